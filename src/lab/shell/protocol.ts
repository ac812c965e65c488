/**
 * Wire protocol between the stand-in process and the lab's shell server: newline-delimited
 * JSON over one loopback TCP connection per stand-in (one connection = one PowerShell session).
 * The first message is `{ token }`; a wrong token is refused and the connection closed.
 * Imported by the stand-in, so it stays free of lab code.
 */
import type { Socket } from 'node:net';

/** Environment variables carrying the connection details to the stand-in. */
export const ENV_PORT = 'LYNC_LAB_SHELL_PORT';
export const ENV_TOKEN = 'LYNC_LAB_SHELL_TOKEN';

export interface Hello {
  readonly token: string;
}

export type HelloReply = { readonly ok: true; readonly newline: '\n' | '\r\n' } | { readonly ok: false; readonly error: string };

export interface LineRequest {
  readonly id: number;
  readonly line: string;
}

export interface WireLine {
  readonly stream: 'out' | 'err';
  readonly text: string;
  readonly console?: boolean;
}

export interface LineReply {
  readonly id: number;
  readonly lines: readonly WireLine[];
  readonly newLine?: { readonly out?: string; readonly err?: string };
  readonly exit?: number;
}

/** Calls `onMessage` for every JSON line received on the socket. */
export function onJsonLines(socket: Socket, onMessage: (message: unknown) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (text.trim()) onMessage(JSON.parse(text));
    }
  });
}

export function sendJson(socket: Socket, message: unknown): void {
  socket.write(`${JSON.stringify(message)}\n`);
}
