/**
 * `npm run lab -- --estate FILE [--scenario NAME] [--fault NAME]... [--root DIR] [--quiet]`
 * Starts the rehearsal lab, prints Lab.info as JSON on stdout, logs to stderr, and stops cleanly
 * on Ctrl+C / SIGTERM. Exit codes: 0 after a clean stop,
 * 2 on bad usage or an estate that does not load.
 *
 * While it runs it reads control lines on stdin, each answered by one JSON line on stdout:
 * `rebuild` brings the lost data center back rebuilt, as an administrator does by hand before a
 * failback (`{"rebuilt":[…what changed…]}`); anything else gets `{"error":"…"}`.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { parseEstate } from '../core/estate/load';
import { FAULTS } from './faults';
import { startLab } from './lab';
import { SCENARIOS } from './model';

const USAGE = `usage: npm run lab -- --estate FILE [--scenario ${SCENARIOS.join('|')}] [--fault NAME]... [--root DIR] [--quiet]
faults: ${FAULTS.map((f) => f.name).join(', ')}`;

interface Args {
  estate?: string;
  scenario: string;
  faults: string[];
  root?: string;
  quiet: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { scenario: 'steady', faults: [], quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--estate') args.estate = value();
      else if (a === '--scenario') args.scenario = value();
      else if (a === '--fault') args.faults.push(value());
      else if (a === '--root') args.root = value();
      else if (a === '--quiet') args.quiet = true;
      else return `unknown argument '${a}'`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return args.estate ? args : '--estate is required';
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(`lab: ${args}\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = fs.readFileSync(args.estate!, 'utf8');
  } catch (e) {
    console.error(`lab: cannot read ${args.estate}: ${(e as Error).message}`);
    return 2;
  }
  const loaded = parseEstate(text, args.estate!);
  for (const p of loaded.problems) console.error(`${args.estate}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message} [${p.rule}]`);
  if (!loaded.estate) return 2;
  let lab;
  try {
    lab = await startLab({
      estate: loaded.estate, scenario: args.scenario, faults: args.faults, ...(args.root ? { root: args.root } : {}),
      ...(args.quiet ? {} : { log: (line: string) => console.error(line) }),
    });
  } catch (e) {
    console.error(`lab: ${(e as Error).message}`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(lab.info, null, 2)}\n`);
  console.error(`lab: scenario ${lab.info.scenario} running; Ctrl+C stops it`);
  const control = readline.createInterface({ input: process.stdin });
  control.on('line', (line) => {
    const command = line.trim();
    const reply = command === 'rebuild' ? { rebuilt: lab.rebuildFailedDatacenter() } : { error: `unknown control line '${command}' (known: rebuild)` };
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  });
  await new Promise<void>((resolve) => {
    const onSignal = () => resolve();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  control.close();
  await lab.stop();
  console.error('lab: stopped');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
