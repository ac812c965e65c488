/** Test client: the built server over stdio, with readiness helpers that wait on messages (no sleeps). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  createProtocolConnection,
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
  /** Resolves with the first diagnostics for `uri` that satisfy `accept` (past or future). */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

export async function startClient(): Promise<TestClient> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const seen: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    seen.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    process: child,
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
