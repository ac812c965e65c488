/** Test client: the built server over stdio, with readiness helpers that wait on messages (no sleeps). */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  RegistrationRequest,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '../..');

export interface TestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  /** Every diagnostics notification received, in order (never cleared). */
  readonly published: readonly PublishDiagnosticsParams[];
  /** Resolves with the first diagnostics for `uri` that satisfy `accept` (past or future). */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

/** `initializationOptions`: what the extension sends (`RunbookServerOptions`, e.g. the client's language bundle). */
export async function startClient(initializationOptions?: unknown): Promise<TestClient> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const seen: PublishDiagnosticsParams[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    seen.push(p);
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null, initializationOptions });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    process: child,
    published,
    diagnostics(uri, accept = () => true) {
      const past = seen.filter((p) => p.uri === uri && accept(p)).pop();
      if (past) {
        seen.splice(0, seen.length);
        return Promise.resolve(past);
      }
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await exited;
      connection.dispose();
    },
  };
}

/**
 * A process's resident memory now and at its peak (MB), as the kernel counts it (/proc, Linux):
 * the figure the issues measure, read from outside so the server carries no test-only code.
 */
export function processMemoryMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export interface TestWorkspace {
  readonly client: TestClient;
  /** The temporary folder holding the estate and the runbook. */
  readonly dir: string;
  readonly estateFile: string;
  /** The runbook's URI, opened at version 1. */
  readonly uri: string;
  /** Stops the server and removes the folder. */
  dispose(): Promise<void>;
}

/** A temporary folder with the Litware sample estate as `estateName` and `runbook` as failover.runbook.md, open in a started server. */
export async function openWorkspace(estateName: string, runbook: string, initializationOptions?: unknown): Promise<TestWorkspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-lsp-'));
  const estateFile = path.join(dir, estateName);
  fs.copyFileSync(path.join(ROOT, 'samples/litware/lync-estate.yaml'), estateFile);
  const file = path.join(dir, 'failover.runbook.md');
  fs.writeFileSync(file, runbook);
  const uri = pathToFileURL(file).toString();
  const client = await startClient(initializationOptions);
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text: runbook } });
  return {
    client, dir, estateFile, uri,
    async dispose() {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
