/**
 * lync-runbook: check, rehearse and run Lync recovery runbooks from a terminal.
 * Exit codes: 0 ok, 1 problems found / run failed, 2 bad usage or unreadable input.
 */
import { version } from '../../package.json';
import { keepGrammarOnBaselineCompiler } from '../adapters/grammar';
import { lock, mark } from './journal-commands';
import { lint } from './lint';
import { rehearse } from './rehearse';
import { run } from './run';

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
  if (command === 'lint') return lint(argv.slice(1));
  if (command === 'rehearse') return rehearse(argv.slice(1));
  if (command === 'run') return run(argv.slice(1));
  if (command === 'mark') return mark(argv.slice(1));
  if (command === 'lock') return lock(argv.slice(1));
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
