/**
 * The lab's shell server: listens on 127.0.0.1 for stand-in processes, checks the per-lab
 * token, and gives every connection its own PowerShell session over the shared Lync state.
 * `launch` is what the product hands to node-powershell to start a stand-in (see
 * docs/lab-cmdlets.md, "Launching").
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Estate } from '../../core/estate/model';
import { createLyncState, type LyncState } from '../lync/state';
import { commandCatalogue } from './catalogue';
import { FaultLatch } from './faults';
import type { FaultFlags, LabSqlSide } from './ports';
import { ENV_PORT, ENV_TOKEN, onJsonLines, sendJson, type HelloReply, type LineReply, type LineRequest } from './protocol';
import { ShellSession } from './session';

export interface ShellLaunch {
  /** `process.execPath`: node, or the editor's Electron binary run as node. */
  readonly executable: string;
  /** Node arguments: the stand-in script (preceded by the tsx loader when run from source). */
  readonly args: string[];
  /** Connection details and `ELECTRON_RUN_AS_NODE=1`; merge over the parent's environment. */
  readonly env: Record<string, string>;
}

export interface ShellServer {
  readonly launch: ShellLaunch;
  readonly lync: LyncState;
  stop(): Promise<void>;
}

export interface ShellServerOptions {
  readonly estate: Estate;
  readonly sql: LabSqlSide;
  readonly scenario: string;
  readonly faults: FaultFlags;
  /** Windows line endings (CRLF) on the stand-in's output. */
  readonly crlf?: boolean;
  /** The Lync side to serve (the lab's own); default: a new one for `estate` and `scenario`. */
  readonly lync?: LyncState;
}

/** Bundled stand-in file name, next to the bundle that contains this module. */
export const STANDIN_BUNDLE = 'lab-shell.js';

export async function startShellServer(opts: ShellServerOptions): Promise<ShellServer> {
  const lync = opts.lync ?? createLyncState(opts.estate, opts.scenario);
  const env = { lync, sql: opts.sql, faults: new FaultLatch(opts.faults) };
  const catalogue = commandCatalogue();
  const token = randomBytes(24).toString('hex');
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let session: ShellSession | undefined;
    onJsonLines(socket, (message) => {
      if (!session) {
        const hello = message as { token?: unknown };
        if (!tokenMatches(token, hello.token)) {
          sendJson(socket, { ok: false, error: 'lab shell: invalid token' } satisfies HelloReply);
          socket.end();
          return;
        }
        session = new ShellSession(env, catalogue);
        sendJson(socket, { ok: true, newline: opts.crlf ? '\r\n' : '\n' } satisfies HelloReply);
        return;
      }
      const req = message as LineRequest;
      const reply = session.execute(req.line);
      // pwsh-hang: the command never completes; the stand-in waits until it is killed.
      if (reply.hang) return;
      sendJson(socket, { id: req.id, lines: reply.lines, newLine: reply.newLine, exit: reply.exit } satisfies LineReply);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    lync,
    launch: {
      executable: process.execPath,
      args: standInArgs(),
      env: { ELECTRON_RUN_AS_NODE: '1', [ENV_PORT]: String(port), [ENV_TOKEN]: token },
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * From source (tests, `tsx`) the stand-in is `standin.ts` beside this file, run through the
 * tsx loader; from a bundle it is `lab-shell.js` beside the bundle.
 */
function standInArgs(): string[] {
  const source = path.join(__dirname, 'standin.ts');
  // createRequire keeps bundlers from trying to resolve tsx, which bundles never need.
  if (fs.existsSync(source)) return ['--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href, source];
  return [path.join(__dirname, STANDIN_BUNDLE)];
}
