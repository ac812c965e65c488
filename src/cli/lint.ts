/**
 * `lync-runbook lint [--estate FILE] [--format text|json] FILE...` (docs/runbook-format.md).
 * Reports what `run` would refuse on: the runbook's rules, the estate's problems (under the
 * estate's file name) and the planner's refusals (core/recovery/preflight.ts).
 * Exit 0 = no errors, 1 = at least one error, 2 = bad usage or unreadable input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { preflight, type EstateFile, type Finding } from '../core/recovery/preflight';
import { loadPowerShellParser, parseRunbook, type PowerShellParser } from '../core/runbook';
import { showHidden } from '../core/text';
import { EstateStore } from '../server/estates';
import { grammarFiles } from '../adapters/grammar';
import { readTextFileSync, TextFileError } from '../adapters/files/text-file';
import { MAX_RUNBOOK_BYTES } from '../core/text-files';
import { parseCommandLine } from './options';

export const LINT_USAGE = 'Usage: lync-runbook lint [--estate FILE] [--format text|json] FILE...';

/** The rule id of a file whose check threw: the other files are still checked (issue 18). */
export const CHECK_FAILED = 'lint/check-failed';

interface Options {
  readonly estate?: string;
  readonly format: 'text' | 'json';
  readonly help: boolean;
  readonly files: readonly string[];
}

interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** What checking one runbook needs besides its text; shared by every file of one call. */
export interface LintContext {
  readonly powershell: PowerShellParser;
  readonly estates: EstateStore;
  /** `--estate`: overrides the runbook's own `estate:`. */
  readonly estate?: string;
}

function options(argv: readonly string[]): Options | string {
  const parsed = parseCommandLine(argv, { estate: { type: 'string' }, format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h', default: false } });
  if (typeof parsed === 'string') return parsed;
  const { estate, format, help } = parsed.values;
  if (format !== 'text' && format !== 'json') return `--format must be text or json, not '${format}'`;
  if (!help && !parsed.positionals.length) return 'no runbook file given';
  return { ...(estate ? { estate } : {}), format, help, files: parsed.positionals };
}

/** The findings of one runbook: its rules, its estate's problems and the planner's refusals. */
export function lintFile(file: string, text: string, context: LintContext): readonly Finding[] {
  const runbook = parseRunbook(text, { powershell: context.powershell });
  const named = runbook.frontMatter?.entries.find((e) => e.key === 'estate')?.value;
  // --estate overrides the runbook's own `estate:`; the estate is shown as the user would name it.
  const shown = context.estate ?? (named ? (path.isAbsolute(named) ? named : path.join(path.dirname(file), named)) : undefined);
  let estate: EstateFile | undefined;
  if (shown !== undefined) {
    const loaded = context.estates.load(path.resolve(shown));
    estate = { file: shown, ...(loaded.result ? { result: loaded.result } : {}), ...(loaded.error ? { error: loaded.error } : {}) };
  }
  return preflight(runbook, file, estate).findings;
}

/** A file whose check threw (a bug): reported on the file, as an error, so it is never taken for clean. */
function checkFailed(file: string, err: unknown): Finding {
  const what = err instanceof Error ? err.message : String(err);
  return {
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'error',
    rule: CHECK_FAILED,
    message: `lync-runbook could not check this file (${what}); the other files were checked. This is a bug: please report it with the file.`,
  };
}

export async function lint(argv: readonly string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }, check = lintFile): Promise<number> {
  const parsed = options(argv);
  if (typeof parsed === 'string') {
    io.err(`lync-runbook lint: ${parsed}\n${LINT_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.out(LINT_USAGE);
    return 0;
  }
  // An unreadable file is bad input (exit 2) but does not hide the results of the others.
  let unreadable = false;
  const texts = new Map<string, string>();
  for (const file of parsed.files) {
    try {
      texts.set(file, readTextFileSync(file, { what: 'runbook', maxBytes: MAX_RUNBOOK_BYTES }));
    } catch (err) {
      io.err(`lync-runbook lint: ${err instanceof TextFileError ? err.message : `cannot read ${file}: ${String(err)}`}`);
      unreadable = true;
    }
  }
  if (parsed.estate && !fs.existsSync(parsed.estate)) {
    io.err(`lync-runbook lint: cannot read estate ${parsed.estate}: ENOENT`);
    return 2;
  }
  const context: LintContext = { powershell: await loadPowerShellParser(grammarFiles), estates: new EstateStore(), ...(parsed.estate ? { estate: parsed.estate } : {}) };
  const findings: Finding[] = [];
  for (const [file, text] of texts) {
    try {
      findings.push(...check(file, text, context));
    } catch (err) {
      findings.push(checkFailed(file, err));
    }
  }
  // An estate shared by several runbooks is reported once.
  const seen = new Set<string>();
  const rows = findings
    .map((p) => ({ file: p.file, line: p.range.start.line + 1, column: p.range.start.character + 1, endLine: p.range.end.line + 1, endColumn: p.range.end.character + 1, severity: p.severity, rule: p.rule, message: p.message }))
    .filter((r) => {
      const key = JSON.stringify(r);
      return !seen.has(key) && Boolean(seen.add(key));
    });
  if (parsed.format === 'json') io.out(JSON.stringify(rows, null, 2));
  else {
    for (const r of rows) io.out(showHidden(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.message} [${r.rule}]`));
    const errors = rows.filter((r) => r.severity === 'error').length;
    io.out(`${rows.length} problem${rows.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${texts.size} file${texts.size === 1 ? '' : 's'}`);
  }
  if (unreadable) return 2;
  return rows.some((r) => r.severity === 'error') ? 1 : 0;
}
