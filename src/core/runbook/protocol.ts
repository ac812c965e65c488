/**
 * Custom LSP messages between the language server and the extension: one typed module, shared by
 * both sides (the client may import core, never server).
 */
import type { Range } from '../text';
import type { ActionKind } from './model';

export const RUNBOOK_STEPS_METHOD = 'lyncRecovery/runbookSteps';

/**
 * The files the server checks, as VS Code globs: the client's document selector and file watchers
 * and the server's own watcher registration use these, so an estate the server accepts is also one
 * the client sends (`.yml` as well as `.yaml`).
 */
export const RUNBOOK_FILES_GLOB = '**/*.runbook.md';
export const ESTATE_FILES_GLOB = '**/*lync-estate.{yaml,yml}';

/** The server's `initializationOptions`. */
export interface RunbookServerOptions {
  /** The `bundle.l10n.<language>.json` of the client's display language (`vscode.l10n.uri`); absent in English. */
  readonly l10nBundle?: string;
}

export interface RunbookStepsParams {
  /** The runbook's document URI. */
  readonly uri: string;
}

export interface RunbookStepAction {
  readonly index: number;
  readonly kind: ActionKind;
  /** `on=` of the action (e.g. `backup`, `backup:mgccomp`, an instance id), when it has one. */
  readonly target?: string;
  readonly text: string;
  readonly range: Range;
}

export interface RunbookStepInfo {
  readonly id: string;
  readonly title: string;
  /** The whole step, heading included. */
  readonly range: Range;
  readonly headingRange: Range;
  readonly actions: readonly RunbookStepAction[];
}

export interface RunbookStepsResult {
  readonly uri: string;
  /** `runbook:` of the front matter when it is a known kind. */
  readonly kind?: string;
  readonly steps: readonly RunbookStepInfo[];
}
