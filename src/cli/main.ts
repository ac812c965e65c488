/**
 * lync-runbook: check, rehearse and run Lync recovery runbooks from a terminal.
 * Exit codes: 0 ok, 1 problems found / run failed, 2 bad usage or unreadable input.
 *
 * Each subcommand is imported when it is called, so `lint` never loads the SQL driver, PowerShell
 * or the lab: start-up is most of a lint's cost (issue 15). esbuild.mjs bundles each subcommand on
 * its own for the same reason.
 */
import { version } from '../../package.json';
import { keepGrammarOnBaselineCompiler } from '../adapters/grammar';

const USAGE = `lync-runbook ${version} — check, rehearse and run Lync recovery runbooks

Usage:
  lync-runbook lint [--estate FILE] [--format text|json] FILE...
  lync-runbook rehearse [--keep-lab] [--fault NAME]... [--override CHECK --reason TEXT]... FILE
  lync-runbook run [--dry-run] [--yes] [--settings FILE] [--override CHECK --reason TEXT]... FILE
  lync-runbook mark done|skip STEP --reason TEXT [--settings FILE] FILE
  lync-runbook lock show|break [--yes] [--settings FILE] FILE
  lync-runbook --help | --version

run and rehearse lint first and refuse on errors; --override waives one check by id (journaled).
Exit codes: 0 success, 1 problems found or the run failed, 2 bad usage or unreadable input.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(version);
    return 0;
  }
  const args = argv.slice(1);
  if (command === 'lint') return (await import('./lint')).lint(args);
  if (command === 'rehearse') return (await import('./rehearse')).rehearse(args);
  if (command === 'run') return (await import('./run')).run(args);
  if (command === 'mark') return (await import('./journal-commands')).mark(args);
  if (command === 'lock') return (await import('./journal-commands')).lock(args);
  console.error(`lync-runbook: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

if (require.main === module) {
  keepGrammarOnBaselineCompiler();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`lync-runbook: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(2);
    },
  );
}
