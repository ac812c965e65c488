/**
 * What the runbook language client hands to the server: the documents it syncs and the files it
 * watches. Kept free of `vscode` so that a unit test can check it against the server's patterns.
 */
import type { DocumentSelector } from 'vscode-languageclient/node';
import { ESTATE_FILES_GLOB, RUNBOOK_FILES_GLOB } from '../../core/runbook/protocol';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'markdown', pattern: RUNBOOK_FILES_GLOB },
  { scheme: 'file', language: 'yaml', pattern: ESTATE_FILES_GLOB },
] as const satisfies DocumentSelector;

/** File events the server needs for files that are not open: estates and runbooks. */
export const WATCHED_FILES: readonly string[] = [ESTATE_FILES_GLOB, RUNBOOK_FILES_GLOB];
