/**
 * Logging behind a small interface: the extension logs to the "Lync Recovery" log output
 * channel; tests use `silentLogger`. Only types come from `vscode`, so this module loads in
 * plain Node.
 */
import type * as vscode from 'vscode';
import type { KnownSecrets } from '../core/recovery/redact';
import { showHidden } from '../core/text';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Writes to a `LogOutputChannel` (`createOutputChannel(name, { log: true })`), every line redacted. */
export class ChannelLogger implements Logger {
  constructor(
    private readonly channel: Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error'>,
    private readonly secrets: Pick<KnownSecrets, 'text'>,
  ) {}

  trace(message: string): void {
    this.channel.trace(showHidden(this.secrets.text(message)));
  }

  debug(message: string): void {
    this.channel.debug(showHidden(this.secrets.text(message)));
  }

  info(message: string): void {
    this.channel.info(showHidden(this.secrets.text(message)));
  }

  warn(message: string): void {
    this.channel.warn(showHidden(this.secrets.text(message)));
  }

  error(message: string, error?: unknown): void {
    this.channel.error(showHidden(this.secrets.text(error === undefined ? message : `${message}: ${describeError(error)}`)));
  }
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A one-line description of anything thrown, for logs and messages (never `[object Object]`). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
