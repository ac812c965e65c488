/**
 * The `lync-runbook` task type (package.json `taskDefinitions`), without `vscode`: what a task
 * definition may say and the CLI arguments it becomes. The task runs the CLI the VSIX ships
 * (`dist/cli.js`), so a workspace-wide check sees every runbook — the language server only checks
 * the open ones — and its output feeds the `$lync-runbook` problem matcher.
 */

export const TASK_TYPE = 'lync-runbook';

/** The runbooks a task without `files` checks, and what it leaves out. */
export const RUNBOOK_GLOB = '**/*.runbook.md';
export const EXCLUDED_GLOB = '**/node_modules/**';

export interface LintTaskDefinition {
  readonly type: typeof TASK_TYPE;
  readonly command: 'lint';
  /** Runbooks relative to the workspace folder; absent: every runbook of the folder. */
  readonly files?: readonly string[];
  /** An estate file that overrides each runbook's own `estate:`. */
  readonly estate?: string;
}

/** A definition from tasks.json (any JSON) as a lint task, or why it is not one. */
export function parseTaskDefinition(value: unknown): LintTaskDefinition | string {
  if (!value || typeof value !== 'object') return 'a task definition must be an object';
  const d = value as Record<string, unknown>;
  if (d.type !== TASK_TYPE) return `the task type must be "${TASK_TYPE}"`;
  if (d.command !== 'lint') return `"command" must be "lint", not ${JSON.stringify(d.command)}`;
  if (d.files !== undefined && (!Array.isArray(d.files) || d.files.some((f) => typeof f !== 'string' || f === ''))) return '"files" must be a list of runbook paths';
  if (d.estate !== undefined && (typeof d.estate !== 'string' || d.estate === '')) return '"estate" must be a file path';
  return {
    type: TASK_TYPE,
    command: 'lint',
    ...(d.files ? { files: d.files as string[] } : {}),
    ...(typeof d.estate === 'string' ? { estate: d.estate } : {}),
  };
}

/**
 * The CLI's arguments: `lint [--estate FILE] FILE...`, text format (the one the problem matcher
 * reads). Each value is its own argument of a process execution, never parsed by a shell.
 */
export function lintArguments(cli: string, definition: LintTaskDefinition, files: readonly string[]): string[] {
  return [cli, 'lint', ...(definition.estate ? ['--estate', definition.estate] : []), ...files];
}
