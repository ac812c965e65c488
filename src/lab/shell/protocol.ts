/**
 * Wire protocol between the LyncLab module (runtime.ps1.ts, inside PowerShell) and the lab's
 * shell server: newline-delimited JSON over one loopback TCP connection per PowerShell process.
 * The first message is `{ token }`; a wrong token is refused and the connection closed. Then
 * each cmdlet call is one `CmdletCall` line answered by one `CmdletReply` line (none at all
 * while the `pwsh-hang` fault holds the call).
 */
import type { Socket } from 'node:net';

/** Environment variables carrying the connection details to PowerShell. */
export const ENV_PORT = 'LYNC_LAB_SHELL_PORT';
export const ENV_TOKEN = 'LYNC_LAB_SHELL_TOKEN';

export type HelloReply = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** A JSON value of a bound parameter (hashtables such as `@{Replace=…}` arrive as objects). */
export type ParamValue = string | number | boolean | null | readonly ParamValue[] | { readonly [key: string]: ParamValue };

export interface CmdletCall {
  readonly cmdlet: string;
  /** `$PSCmdlet.ParameterSetName`. */
  readonly set: string;
  /** Bound parameters without the common ones: switches as booleans, enums by name. */
  readonly params: Readonly<Record<string, ParamValue>>;
}

/**
 * A value in a reply. Lab objects carry `__type` (inserted into PSTypeNames) and optionally
 * `__string` (their ToString()); enum values are `{ __enum, value }` and become the module's
 * enum, dates `{ __date: ms }`.
 */
export type WireValue = string | number | boolean | null | readonly WireValue[] | { readonly [key: string]: WireValue };

export interface WireError {
  readonly message: string;
  /** ErrorRecord id; PowerShell appends `,<cmdlet name>` to make the FullyQualifiedErrorId. */
  readonly errorId: string;
  /** ErrorCategory name, e.g. `ObjectNotFound`. */
  readonly category: string;
  /** .NET exception type (its full name); unknown types become InvalidOperationException. */
  readonly exception: string;
  readonly target?: string;
}

export interface CmdletReply {
  readonly objects: readonly WireValue[];
  readonly verbose: readonly string[];
  readonly warnings: readonly string[];
  /** A terminating error, after the objects written before it. */
  readonly errors: readonly WireError[];
  /** The process must end now with this code and message on stderr (the `pwsh-crash` fault). */
  readonly exit?: { readonly code: number; readonly message: string };
}

/** Calls `onMessage` for every JSON line received on the socket; a line that is not JSON ends the connection. */
export function onJsonLines(socket: Socket, onMessage: (message: unknown) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!text.trim()) continue;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        socket.destroy();
        return;
      }
      onMessage(message);
    }
  });
}

export function sendJson(socket: Socket, message: unknown): void {
  socket.write(`${JSON.stringify(message)}\n`);
}
