/**
 * The lab's shell server: listens on 127.0.0.1 for the LyncLab module inside real PowerShell,
 * checks the per-lab token, and answers each cmdlet call over the shared Lync state (calls.ts).
 * `launch` is what the product hands to node-powershell: the PowerShell executable, the
 * connection details, and the prelude that imports the module (see docs/lab-cmdlets.md,
 * "Launching").
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { psString } from '../../core/commands/powershell';
import type { Estate } from '../../core/estate/model';
import { createLyncState, type LyncState } from '../lync/state';
import { handleCall } from './calls';
import { labCmdlets } from './catalogue';
import { FaultLatch } from './faults';
import { MODULE_NAME, lyncLabModule } from './module';
import type { FaultFlags, LabSqlSide } from './ports';
import { ENV_PORT, ENV_TOKEN, onJsonLines, sendJson, type CmdletCall, type HelloReply } from './protocol';
import { requirePowerShell } from './pwsh';

export interface ShellLaunch {
  /** PowerShell: pwsh (PowerShell 7), or powershell.exe (Windows PowerShell 5.1) on Windows. */
  readonly executable: string;
  /** Arguments before node-powershell's own; none. */
  readonly args: string[];
  /** Connection details for the module; merge over the parent's environment. */
  readonly env: Record<string, string>;
  /** One-line commands a session runs first: `Import-Module` of LyncLab by path. */
  readonly prelude: string[];
}

export interface ShellServer {
  readonly launch: ShellLaunch;
  readonly lync: LyncState;
  /** See Lab.holdNextCall. */
  holdNextCall(cmdlet: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ShellServerOptions {
  readonly estate: Estate;
  readonly sql: LabSqlSide;
  readonly scenario: string;
  readonly faults: FaultFlags;
  /** The Lync side to serve (the lab's own); default: a new one for `estate` and `scenario`. */
  readonly lync?: LyncState;
}

export async function startShellServer(opts: ShellServerOptions): Promise<ShellServer> {
  const executable = requirePowerShell();
  const lync = opts.lync ?? createLyncState(opts.estate, opts.scenario);
  const env = { lync, sql: opts.sql, faults: new FaultLatch(opts.faults), held: new Map<string, () => void>() };
  const cmdlets = labCmdlets();
  const token = randomBytes(24).toString('hex');
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let authenticated = false;
    onJsonLines(socket, (message) => {
      if (!authenticated) {
        if (!tokenMatches(token, (message as { token?: unknown }).token)) {
          sendJson(socket, { ok: false, error: 'invalid token' } satisfies HelloReply);
          socket.end();
          return;
        }
        authenticated = true;
        sendJson(socket, { ok: true } satisfies HelloReply);
        return;
      }
      const reply = handleCall(env, cmdlets, message as CmdletCall);
      // pwsh-hang: the call is never answered; PowerShell waits until it is killed.
      if (reply !== 'hang') sendJson(socket, reply);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  // <modules>/LyncLab/LyncLab.psm1: importable by path (the prelude) and by name through PSModulePath.
  const modulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-lab-shell-'));
  const moduleFile = path.join(modulesDir, MODULE_NAME, `${MODULE_NAME}.psm1`);
  fs.mkdirSync(path.dirname(moduleFile));
  fs.writeFileSync(moduleFile, lyncLabModule());
  const modulePath = [modulesDir, process.env.PSModulePath].filter(Boolean).join(path.delimiter);

  return {
    lync,
    holdNextCall: (cmdlet) => new Promise<void>((resolve) => env.held.set(cmdlet.toLowerCase(), resolve)),
    launch: {
      executable,
      args: [],
      // TERM=dumb: no terminal escape sequences from PowerShell 7 in what the product reads.
      env: { [ENV_PORT]: String(port), [ENV_TOKEN]: token, TERM: 'dumb', PSModulePath: modulePath },
      prelude: [`Import-Module ${psString(moduleFile)} -ErrorAction Stop`],
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          fs.rmSync(modulesDir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
