/**
 * Runbooks in the extension host: which documents are runbooks, their parse (the PowerShell
 * grammar is loaded the first time a runbook is shown, never at activation), the estate their
 * front matter names, and their plan. Parses are cached per document version.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Estate, EstateLoadResult } from '../../core/estate/model';
import type { CheckOverride, RunPlan } from '../../core/recovery/plan';
import type { Finding } from '../../core/recovery/preflight';
import type { PowerShellParser, Runbook } from '../../core/runbook';
import { decodeText, formatSize, MAX_ESTATE_BYTES } from '../../core/text-files';
import type { StepShape } from './model';

export const RUNBOOK_SUFFIX = '.runbook.md';

export const isRunbookUri = (uri: vscode.Uri): boolean => uri.scheme === 'file' && uri.path.toLowerCase().endsWith(RUNBOOK_SUFFIX);

/** Why a runbook cannot be planned or run: one sentence, plus problems with lines when there are. */
export class RunbookProblem extends Error {
  override readonly name = 'RunbookProblem';

  constructor(
    message: string,
    readonly problems: readonly { readonly line: number; readonly message: string }[] = [],
  ) {
    super(message);
  }
}

/** The gate refused the run (core/recovery/preflight.ts): each refusal with its file, line and check id. */
export class RunRefused extends RunbookProblem {
  constructor(
    message: string,
    readonly refusals: readonly Finding[],
  ) {
    super(message, refusals.map((f) => ({ line: f.range.start.line + 1, message: `${f.file}: ${f.message} [${f.rule}]` })));
  }
}

let parser: Promise<PowerShellParser> | undefined;

async function powershellParser(): Promise<PowerShellParser> {
  parser ??= (async () => {
    const [{ loadPowerShellParser }, { grammarFiles }] = await Promise.all([import('../../core/runbook/powershell'), import('../../adapters/grammar')]);
    return loadPowerShellParser(grammarFiles);
  })();
  parser.catch(() => (parser = undefined));
  return parser;
}

export async function parseRunbookText(text: string): Promise<Runbook> {
  const [{ parseRunbook }, powershell] = await Promise.all([import('../../core/runbook/parse'), powershellParser()]);
  return parseRunbook(text, { powershell });
}

const frontMatter = (runbook: Runbook, key: string) => runbook.frontMatter?.entries.find((e) => e.key === key)?.value || undefined;

export const runbookPool = (runbook: Runbook): string | undefined => frontMatter(runbook, 'pool');

/** The step shapes the view model folds the journal over. */
export function stepShapes(runbook: Runbook): StepShape[] {
  return runbook.steps.map((s) => ({ id: s.id, title: s.title, line: s.headingRange.start.line, actions: s.actions.map((a) => ({ index: a.index, text: a.text })) }));
}

/** Parses of open runbooks, by URI and document version. */
export class RunbookCache {
  readonly #entries = new Map<string, { readonly version: number; readonly runbook: Promise<Runbook> }>();

  get(document: vscode.TextDocument): Promise<Runbook> {
    const key = document.uri.toString();
    const hit = this.#entries.get(key);
    if (hit && hit.version === document.version) return hit.runbook;
    const runbook = parseRunbookText(document.getText());
    this.#entries.set(key, { version: document.version, runbook });
    runbook.catch(() => this.#entries.delete(key));
    return runbook;
  }

  forget(uri: vscode.Uri): void {
    this.#entries.delete(uri.toString());
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** The estate the runbook's front matter names (`estate:`, relative to the runbook). */
export async function loadRunbookEstate(runbookUri: vscode.Uri, runbook: Runbook): Promise<{ estate: Estate; uri: vscode.Uri; loaded: EstateLoadResult }> {
  const named = frontMatter(runbook, 'estate');
  if (!named) throw new RunbookProblem(vscode.l10n.t('{0} names no estate: add "estate: ./lync-estate.yaml" to its front matter.', path.basename(runbookUri.fsPath)));
  const uri = vscode.Uri.file(path.resolve(path.dirname(runbookUri.fsPath), named));
  let text: string;
  try {
    // Only a regular file under the size limit: a device or a pipe (`estate: /dev/zero`) would be read until memory runs out.
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File) || stat.size > MAX_ESTATE_BYTES) {
      throw new RunbookProblem(
        vscode.l10n.t('The estate {0} named by {1} is not a regular file of at most {2}: check the "estate:" path in its front matter.', vscode.workspace.asRelativePath(uri), path.basename(runbookUri.fsPath), formatSize(MAX_ESTATE_BYTES)),
      );
    }
    text = decodeText(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof RunbookProblem) throw error;
    throw new RunbookProblem(vscode.l10n.t('The estate {0} named by {1} cannot be read: check the "estate:" path in its front matter.', vscode.workspace.asRelativePath(uri), path.basename(runbookUri.fsPath)));
  }
  const { parseEstate } = await import('../../core/estate/load');
  const loaded = parseEstate(text, uri.fsPath);
  if (!loaded.estate) {
    const first = loaded.problems[0];
    throw new RunbookProblem(
      vscode.l10n.t('The estate {0} cannot be loaded{1}: fix it first (the Estate view lists the problems).', vscode.workspace.asRelativePath(uri), first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''),
    );
  }
  return { estate: loaded.estate, uri, loaded };
}

/**
 * Lints and plans, as every run must (core/recovery/preflight.ts): the plan, or a RunRefused
 * naming the first refusal (file, line, check id) and how many there are.
 */
export async function gatedPlan(runbookUri: vscode.Uri, runbook: Runbook, estate: { readonly uri: vscode.Uri; readonly loaded: EstateLoadResult }, overrides: readonly CheckOverride[] = []): Promise<RunPlan> {
  const { preflight, findingPlace } = await import('../../core/recovery/preflight');
  const gate = preflight(runbook, runbookUri.fsPath, { file: estate.uri.fsPath, result: estate.loaded }, overrides);
  if (gate.plan) return gate.plan;
  const first = gate.refusals[0]!;
  throw new RunRefused(
    vscode.l10n.t('{0} is not run: {1}{2}', path.basename(runbookUri.fsPath), `${findingPlace(first)}: ${first.message} [${first.rule}]`, gate.refusals.length > 1 ? vscode.l10n.t(' (and {0} more problem(s); lync-runbook lint lists them all)', gate.refusals.length - 1) : ''),
    gate.refusals,
  );
}

/** Plans the runbook, or throws a RunbookProblem listing what cannot be resolved (with lines). */
export async function planFor(runbookUri: vscode.Uri, runbook: Runbook, estate: Estate): Promise<RunPlan> {
  const { planRunbook, PlanError } = await import('../../core/recovery/plan');
  try {
    return planRunbook(runbook, estate, runbookUri.fsPath);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    const first = e.problems[0];
    throw new RunbookProblem(
      vscode.l10n.t('{0} cannot be run: {1}{2}', path.basename(runbookUri.fsPath), first ? `${first.line > 0 ? `line ${first.line}: ` : ''}${first.message}` : '', e.problems.length > 1 ? vscode.l10n.t(' (and {0} more problem(s); see the Problems view)', e.problems.length - 1) : ''),
      e.problems,
    );
  }
}
