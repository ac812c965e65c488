/**
 * `lync-runbook lint [--estate FILE] [--format text|json] FILE...` (docs/runbook-format.md).
 * Reports what `run` would refuse on: the runbook's rules, the estate's problems (under the
 * estate's file name) and the planner's refusals (core/recovery/preflight.ts).
 * Exit 0 = no errors, 1 = at least one error, 2 = bad usage or unreadable input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { preflight, type EstateFile, type Finding } from '../core/recovery/preflight';
import { loadPowerShellParser, parseRunbook } from '../core/runbook';
import { showHidden } from '../core/text';
import { EstateStore } from '../server/estates';
import { grammarFiles } from '../adapters/grammar';
import { readTextFileSync, TextFileError } from '../adapters/files/text-file';
import { MAX_RUNBOOK_BYTES } from '../core/text-files';

export const LINT_USAGE = 'Usage: lync-runbook lint [--estate FILE] [--format text|json] FILE...';

interface Options {
  readonly estate?: string;
  readonly format: 'text' | 'json';
  readonly files: readonly string[];
}

interface Output {
  out(line: string): void;
  err(line: string): void;
}

function parseArgs(argv: readonly string[]): Options | string {
  let estate: string | undefined;
  let format: 'text' | 'json' = 'text';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--estate' || a === '--format') {
      const value = argv[++i];
      if (value === undefined) return `${a} needs a value`;
      if (a === '--estate') estate = value;
      else if (value === 'text' || value === 'json') format = value;
      else return `--format must be text or json, not '${value}'`;
    } else if (a.startsWith('--')) return `unknown option '${a}'`;
    else files.push(a);
  }
  if (!files.length) return 'no runbook file given';
  return { ...(estate ? { estate } : {}), format, files };
}

export async function lint(argv: readonly string[], io: Output = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    io.err(`lync-runbook lint: ${options}\n${LINT_USAGE}`);
    return 2;
  }
  const texts = new Map<string, string>();
  for (const file of options.files) {
    try {
      texts.set(file, readTextFileSync(file, { what: 'runbook', maxBytes: MAX_RUNBOOK_BYTES }));
    } catch (err) {
      io.err(`lync-runbook lint: ${err instanceof TextFileError ? err.message : `cannot read ${file}: ${String(err)}`}`);
      return 2;
    }
  }
  if (options.estate && !fs.existsSync(options.estate)) {
    io.err(`lync-runbook lint: cannot read estate ${options.estate}: ENOENT`);
    return 2;
  }
  const powershell = await loadPowerShellParser(grammarFiles);
  const estates = new EstateStore();
  const findings: Finding[] = [];
  for (const [file, text] of texts) {
    const runbook = parseRunbook(text, { powershell });
    const named = runbook.frontMatter?.entries.find((e) => e.key === 'estate')?.value;
    // --estate overrides the runbook's own `estate:`; the estate is shown as the user would name it.
    const shown = options.estate ?? (named ? (path.isAbsolute(named) ? named : path.join(path.dirname(file), named)) : undefined);
    let estate: EstateFile | undefined;
    if (shown !== undefined) {
      const loaded = estates.load(path.resolve(shown));
      estate = { file: shown, ...(loaded.result ? { result: loaded.result } : {}), ...(loaded.error ? { error: loaded.error } : {}) };
    }
    findings.push(...preflight(runbook, file, estate).findings);
  }
  // An estate shared by several runbooks is reported once.
  const seen = new Set<string>();
  const rows = findings
    .map((p) => ({ file: p.file, line: p.range.start.line + 1, column: p.range.start.character + 1, endLine: p.range.end.line + 1, endColumn: p.range.end.character + 1, severity: p.severity, rule: p.rule, message: p.message }))
    .filter((r) => {
      const key = JSON.stringify(r);
      return !seen.has(key) && Boolean(seen.add(key));
    });
  if (options.format === 'json') io.out(JSON.stringify(rows, null, 2));
  else {
    for (const r of rows) io.out(showHidden(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.message} [${r.rule}]`));
    const errors = rows.filter((r) => r.severity === 'error').length;
    io.out(`${rows.length} problem${rows.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${texts.size} file${texts.size === 1 ? '' : 's'}`);
  }
  return rows.some((r) => r.severity === 'error') ? 1 : 0;
}
