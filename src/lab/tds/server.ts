/**
 * A TDS 7.4 listener for one lab SQL instance on 127.0.0.1. `close()` stops listening and drops
 * every connection (an unreachable instance refuses connections); `listen(port)` can reopen it on
 * the same port when the instance comes back.
 */
import net from 'node:net';
import type { FaultSet } from '../faults';
import type { LabInstance } from '../model/instance';
import type { LabModel } from '../model/lab-model';
import type { SqlEngine } from '../sql/engine';
import { TdsConnection } from './connection';

export interface TdsServerOptions {
  readonly instance: LabInstance;
  readonly model: LabModel;
  readonly engine: SqlEngine;
  /** The lab's SQL login. */
  readonly credentials: { readonly user: string; readonly password: string };
  /** Certificate and key for TLS; without them the server answers NOT_SUP to encryption requests. */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly faults: FaultSet;
  readonly log?: (line: string) => void;
  /** Called when a connection closes (the server uses it to forget the connection). */
  readonly onClose?: (c: TdsConnection) => void;
}

export class TdsServer {
  readonly #connections = new Set<TdsConnection>();
  #server: net.Server | undefined;
  #port: number;

  /** `port` 0: a free port is chosen at the first listen(). */
  constructor(
    private readonly opts: Omit<TdsServerOptions, 'onClose'>,
    port = 0,
  ) {
    this.#port = port;
  }

  get port(): number {
    return this.#port;
  }

  /** Listens on 127.0.0.1 (`port` 0 = a free port); resolves with the port. */
  listen(port = this.#port): Promise<number> {
    if (this.#server) return Promise.resolve(this.#port);
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      const c = new TdsConnection(socket, { ...this.opts, onClose: (x) => this.#connections.delete(x) });
      this.#connections.add(c);
    });
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        this.#port = (server.address() as net.AddressInfo).port;
        resolve(this.#port);
      });
    });
  }

  /** Stops listening and closes every connection. Idempotent. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const c of [...this.#connections]) c.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
