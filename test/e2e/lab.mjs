// @ts-check
// Starts the rehearsal lab CLI (src/lab/cli.ts through tsx) as a child in its own process group,
// waits for the info JSON it prints on stdout and writes it to `<root>/lab-info.json`: the file
// that `LYNC_RECOVERY_LAB` points the extension at. Shared by `npm run demo` and the e2e runner.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopProcessGroups } from './processes.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @typedef {object} LabOptions
 * @property {string} root                  the lab's folder (shares, drives, journals); must exist
 * @property {string} [scenario]            steady | pchat-dc-loss | pool-loss (default pchat-dc-loss)
 * @property {string} [estate]              estate file (default samples/litware/lync-estate.yaml)
 * @property {string[]} [faults]            fault names armed at start
 * @property {boolean} [quiet]              --quiet (default true); otherwise the lab logs to `log`
 * @property {string} [log]                 file receiving the lab's stderr (default: inherited)
 * @property {number} [startTimeoutMs]      default 60000
 */

/**
 * @typedef {object} LabChild
 * @property {number} pgid        the lab's process group (the child is its leader)
 * @property {() => Promise<string[]>} rebuild  the lost data center comes back rebuilt (the lab's `rebuild` control line); resolves with what changed
 * @property {string} infoFile    `<root>/lab-info.json`
 * @property {any} info           the parsed info JSON
 * @property {() => Promise<number[]>} stop  SIGTERM the group (SIGKILL after a grace period); the pids SIGKILLed
 */

/** Labs started and not stopped yet: SIGKILLed if this process exits first. @type {Set<number>} */
const liveLabs = new Set();
process.on('exit', () => {
  for (const pgid of liveLabs) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * @param {LabOptions} options
 * @returns {Promise<LabChild>}
 */
export function startLabChild(options) {
  const estate = options.estate ?? path.join('samples', 'litware', 'lync-estate.yaml');
  const args = [
    '--import', 'tsx', 'src/lab/cli.ts',
    '--estate', estate, '--scenario', options.scenario ?? 'pchat-dc-loss', '--root', options.root,
    ...(options.quiet === false ? [] : ['--quiet']),
    ...(options.faults ?? []).flatMap((f) => ['--fault', f]),
  ];
  const errFd = options.log ? fs.openSync(options.log, 'a') : undefined;
  const child = spawn(process.execPath, args, {
    cwd: repoRoot, detached: true, stdio: ['pipe', 'pipe', errFd ?? 'inherit'],
  });
  if (errFd !== undefined) fs.closeSync(errFd);
  const pgid = /** @type {number} */ (child.pid);
  liveLabs.add(pgid);
  let stopped = false;
  const stop = async () => {
    if (stopped) return [];
    stopped = true;
    const killed = await stopProcessGroups([pgid]);
    liveLabs.delete(pgid);
    return killed;
  };
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (/** @type {Error} */ e) => { clearTimeout(timer); void stop().finally(() => reject(e)); };
    const timer = setTimeout(() => fail(new Error(`the lab printed no info JSON within ${timeoutMs} ms`)), timeoutMs);
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`the lab exited (${code ?? signal}) before it was ready`)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      let info;
      try {
        info = JSON.parse(out);
      } catch {
        return; // the JSON is not complete yet
      }
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.stdout?.removeAllListeners('data');
      // Keep draining (the lab must never block on a full pipe); each later line answers a control line.
      /** @type {((line: string) => void)[]} */
      const waiting = [];
      let rest = '';
      child.stdout?.on('data', (/** @type {string} */ chunk) => {
        rest += chunk;
        for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n')) {
          const line = rest.slice(0, nl).trim();
          rest = rest.slice(nl + 1);
          if (line) waiting.shift()?.(line);
        }
      });
      const rebuild = () => new Promise((resolveReply, rejectReply) => {
        waiting.push((line) => {
          const reply = JSON.parse(line);
          if (reply.error) rejectReply(new Error(`lab: ${reply.error}`));
          else resolveReply(/** @type {string[]} */ (reply.rebuilt));
        });
        child.stdin?.write('rebuild\n');
      });
      const infoFile = path.join(options.root, 'lab-info.json');
      fs.writeFileSync(infoFile, JSON.stringify(info, null, 2));
      resolve({ pgid, infoFile, info, stop, rebuild });
    });
  });
}
