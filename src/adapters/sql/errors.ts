/**
 * Turns what `mssql` / `tedious` throw into the engine's typed errors (core/recovery/ports.ts).
 * mssql wraps tedious errors (`originalError`), which wrap Node's socket and TLS errors
 * (`cause`); the useful facts (ECONNREFUSED, a certificate error, the SQL error number) sit at
 * different depths, so the whole chain is read. Every message is redacted.
 *
 * Outcome unknown: once a request was handed to the driver, a connection that breaks under it
 * (tedious: "Connection lost - …" ESOCKET, then "Connection closed before request completed."
 * ECLOSE; Node's ECONNRESET/EPIPE; a cancel that got no answer, ETIMEOUT) or a request timeout
 * leaves its effect unknown. Not so: anything while connecting or logging in, mssql's
 * ECONNCLOSED/ENOTOPEN/ENOCONN and tedious's EINVALIDSTATE (raised before a request is written
 * to the socket, when the pool or connection is closed or not ready), and any SQL Server error.
 */
import type { Redactor } from '../../core/recovery/redact';
import {
  CancelledError,
  ConnectionError,
  SqlError,
  SqlLoginError,
  TimeoutError,
  type ConnectionFailure,
  type SqlServerMessage,
} from '../../core/recovery/ports';
import { DEFAULT_REQUEST_TIMEOUT_MS, describeEndpoint, type SqlConnectionSettings } from './settings';

export const LOGIN_FAILED = 18456;

export interface SqlErrorContext {
  readonly instanceId: string;
  readonly settings: SqlConnectionSettings;
  readonly redactor: Redactor;
  /** The ERROR token of a refused login: tedious keeps only its text. */
  readonly loginMessage?: SqlServerMessage;
  /** The request had been handed to the driver: a broken connection may leave its outcome unknown. */
  readonly requestSent?: boolean;
}

interface ErrorLike {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly number?: unknown;
  readonly class?: unknown;
  readonly state?: unknown;
  readonly serverName?: unknown;
  readonly procName?: unknown;
  readonly lineNumber?: unknown;
  readonly originalError?: unknown;
  readonly cause?: unknown;
  readonly precedingErrors?: unknown;
  /** AggregateError: tedious tries each address and reports all failures. */
  readonly errors?: unknown;
}

const asErrorLike = (e: unknown): ErrorLike | undefined => (e !== null && typeof e === 'object' ? (e as ErrorLike) : undefined);

/** The error and everything it wraps, outermost first. */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const queue = [asErrorLike(err)];
  while (queue.length > 0 && out.length < 16) {
    const e = queue.shift();
    if (!e || out.includes(e)) continue;
    out.push(e);
    queue.push(asErrorLike(e.originalError) ?? asErrorLike(e.cause));
    if (Array.isArray(e.errors)) queue.push(...e.errors.map(asErrorLike));
  }
  return out;
}

const codesOf = (err: unknown): string[] => chain(err).flatMap((e) => (typeof e.code === 'string' ? [e.code] : []));
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function serverMessage(e: ErrorLike, redactor: Redactor): SqlServerMessage | undefined {
  const number = num(e.number);
  if (number === undefined) return undefined;
  return {
    number,
    class: num(e.class) ?? 0,
    state: num(e.state) ?? 0,
    message: redactor.text(str(e.message) ?? ''),
    ...(str(e.serverName) ? { serverName: str(e.serverName) } : {}),
    ...(str(e.procName) ? { procName: str(e.procName) } : {}),
    ...(num(e.lineNumber) !== undefined ? { lineNumber: num(e.lineNumber) } : {}),
  };
}

/** TLS failures Node reports while verifying the server's certificate. */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

function connectionFailure(codes: readonly string[]): ConnectionFailure {
  if (codes.includes('ECONNREFUSED')) return 'refused';
  if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EINSTLOOKUP')) return 'unknown-host';
  if (codes.some((c) => TLS_CODES.test(c))) return 'tls';
  if (codes.some((c) => c === 'ETIMEOUT' || c === 'ETIMEDOUT')) return 'timeout';
  if (codes.some((c) => c === 'ECONNRESET' || c === 'ECONNCLOSED' || c === 'EPIPE' || c === 'ESOCKET' || c === 'ECLOSE')) return 'closed';
  return 'other';
}

/**
 * The TLS handshake found no protocol version both ends accept: Node (and so tedious) requires
 * TLS 1.2 or later, while SQL Server 2008, 2008 R2, 2012 and 2014 speak TLS 1.2 only from the
 * builds KB 3135244 lists (R8).
 */
const TLS_VERSION_CODES = new Set(['ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE']);

const TLS_VERSION_ADVICE =
  'TLS handshake failed: the server offers no TLS version this client accepts (TLS 1.2 or later). ' +
  'SQL Server 2008, 2008 R2, 2012 and 2014 support TLS 1.2 only from the builds listed in "TLS 1.2 support for Microsoft SQL Server" ' +
  '(KB 3135244, https://support.microsoft.com/kb/3135244): install that update on the SQL Server, and check that TLS 1.2 is enabled ' +
  'in Windows (SChannel) there. Until then the only way in is without TLS (`encrypt: false` for this instance in the connection settings), ' +
  'which exposes the session on the network and fails anyway if the server forces encryption.';

/** A connection that broke under a request, or a cancel that got no answer. */
const MID_REQUEST_CODES = new Set(['ESOCKET', 'ECLOSE', 'ECONNRESET', 'EPIPE', 'ETIMEOUT', 'ETIMEDOUT']);
/** Raised by mssql/tedious before a request is written to the socket. */
const NOT_SENT_CODES = new Set(['ECONNCLOSED', 'ENOTOPEN', 'ENOCONN', 'EINVALIDSTATE']);

const ADVICE: Record<ConnectionFailure, string> = {
  refused: 'nothing accepts connections there: check that SQL Server is running and the port in the connection settings.',
  'unknown-host': 'the host or named instance cannot be resolved: check the server name, or set the port explicitly (SQL Browser may be blocked).',
  tls: "the server's certificate was not accepted: set the CA certificate the server's certificate chains to, and the TLS server name it was issued for.",
  timeout: 'no answer in time: check the network path and firewall to the instance.',
  closed: 'the connection dropped. If a statement was running it may or may not have completed: check the database state before running it again.',
  other: 'check the connection settings for this instance.',
};

/** The typed error for anything the gateway caught while talking to `ctx.instanceId`. */
export function toPortError(err: unknown, ctx: SqlErrorContext): Error {
  const { instanceId, settings, redactor } = ctx;
  const where = `SQL instance '${instanceId}' (${describeEndpoint(settings)})`;
  const links = chain(err);
  const codes = codesOf(err);
  const detail = redactor.text(str(links[0]?.message) ?? String(err));

  if (codes.includes('ECANCEL')) return new CancelledError(`Cancelled: the statement on ${where} was stopped.`, instanceId);

  if (codes.includes('ELOGIN')) {
    const msg = ctx.loginMessage ?? { number: LOGIN_FAILED, class: 14, state: 1, message: detail };
    if (msg.number === LOGIN_FAILED || /login failed/i.test(detail)) {
      const user = settings.auth.kind === 'ntlm' ? `${settings.auth.domain}\\${settings.auth.user}` : settings.auth.user;
      return new SqlLoginError(
        `${where} refused the login of '${redactor.text(user)}' (Msg ${LOGIN_FAILED}: ${msg.message}). Check the user and password settings for this instance.`,
        instanceId,
        [{ ...msg, number: LOGIN_FAILED }],
      );
    }
    return new SqlError(`${where} refused the login (Msg ${msg.number}): ${msg.message}`, instanceId, [msg]);
  }

  // No first reply within the settings' request timeout: tedious already sent ATTENTION, the connection stays usable.
  if (codes[0] === 'ETIMEOUT' && links.some((e) => /timeout: request failed to complete/i.test(str(e.message) ?? ''))) {
    const limit = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // The statement was sent: the server may have run part or all of it before the ATTENTION.
    return new TimeoutError(`${where} did not start answering the statement within ${limit} ms; it was cancelled, and may or may not have taken effect.`, instanceId, limit, { outcomeUnknown: true });
  }

  const messages = [...(Array.isArray(links[0]?.precedingErrors) ? links[0].precedingErrors : []), err]
    .map((e) => asErrorLike(e))
    .flatMap((e) => {
      const m = e && (chain(e).map((l) => serverMessage(l, redactor)).find((x) => x !== undefined));
      return m ? [m] : [];
    });
  if (messages.length > 0) {
    const text = messages.map((m) => `Msg ${m.number}, Level ${m.class}, State ${m.state}: ${m.message}`).join(' ');
    return new SqlError(`${where}: ${text}`, instanceId, messages);
  }

  const failure = connectionFailure(codes);
  const connecting = /^Failed to connect/i.test(detail) || codes.includes('EINSTLOOKUP') || (codes[0] === 'ETIMEOUT' && failure === 'timeout' && ctx.requestSent !== true);
  const notSent = codes.some((c) => NOT_SENT_CODES.has(c));
  const outcomeUnknown = ctx.requestSent === true && !connecting && !notSent && codes.some((c) => MID_REQUEST_CODES.has(c));
  const what = connecting ? `Cannot connect to ${where}` : notSent ? `No open connection to ${where}` : failure === 'closed' || outcomeUnknown ? `Lost the connection to ${where}` : `Connection problem with ${where}`;
  const advice = notSent
    ? 'the connection had closed, so the statement was not sent; the next call opens a new one.'
    : outcomeUnknown
      ? ADVICE.closed
      : failure === 'tls' && codes.some((c) => TLS_VERSION_CODES.has(c))
        ? TLS_VERSION_ADVICE
        : ADVICE[failure];
  return new ConnectionError(`${what}: ${advice} (${detail})`, instanceId, settings.host, settings.port, failure, { outcomeUnknown });
}
