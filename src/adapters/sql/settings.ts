/**
 * How to reach one SQL Server instance, and its translation into an `mssql` pool configuration.
 * Pure (no connection is opened here) so the mapping is unit-tested on its own.
 */
import type { config as MssqlConfig } from 'mssql';
import { tediousConnector } from './connector';

export type SqlAuth =
  | { readonly kind: 'sql'; readonly user: string; readonly password: string }
  /** Windows (NTLM) authentication with explicit credentials. */
  | { readonly kind: 'ntlm'; readonly domain: string; readonly user: string; readonly password: string };

export interface SqlConnectionSettings {
  /** Host name or address of the SQL Server (the estate's `server`, or the lab's 127.0.0.1). */
  readonly host: string;
  /** TCP port. When set it wins over `instanceName` (no SQL Browser lookup). */
  readonly port?: number;
  /** Named instance, resolved through the SQL Browser service when no port is given. */
  readonly instanceName?: string;
  readonly auth: SqlAuth;
  /** Database of the session; `master` unless told otherwise (RESTORE must not run inside its target). */
  readonly database?: string;
  /** TLS for the whole session. Default true. */
  readonly encrypt?: boolean;
  /** Accept any server certificate. Default false: the certificate is verified. */
  readonly trustServerCertificate?: boolean;
  /** PEM of the CA (or self-signed certificate) to trust in addition to the system's. */
  readonly caPem?: string;
  /** Name the server certificate must carry, when it is not `host` (e.g. connecting by address). */
  readonly tlsServerName?: string;
  /** Default 15 s. */
  readonly connectTimeoutMs?: number;
  /**
   * How long a statement may go without any reply from the server (tedious stops this clock at
   * the first reply packet); 0 = no limit. Default 30 min: a RESTORE may think that long before
   * its first progress message. A limit on a call's total time is the call's `timeoutMs`.
   */
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30 * 60_000;

/** What error messages call the instance: `host:port` or `host\instance`. */
export function describeEndpoint(settings: SqlConnectionSettings): string {
  if (settings.port !== undefined) return `${settings.host}:${settings.port}`;
  if (settings.instanceName) return `${settings.host}\\${settings.instanceName}`;
  return `${settings.host}:1433`;
}

/** The secrets of the settings, for redaction. */
export function secretsOf(settings: SqlConnectionSettings): string[] {
  return [settings.auth.password];
}

export function toMssqlConfig(settings: SqlConnectionSettings): MssqlConfig {
  const auth = settings.auth;
  return {
    server: settings.host,
    // tedious connects to `port` whenever it is set; an instance name alone means a Browser lookup.
    ...(settings.port !== undefined ? { port: settings.port } : {}),
    database: settings.database ?? 'master',
    connectionTimeout: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    authentication:
      auth.kind === 'sql'
        ? { type: 'default', options: { userName: auth.user, password: auth.password } }
        : { type: 'ntlm', options: { domain: auth.domain, userName: auth.user, password: auth.password } },
    options: {
      encrypt: settings.encrypt ?? true,
      trustServerCertificate: settings.trustServerCertificate ?? false,
      ...(settings.port === undefined && settings.instanceName ? { instanceName: settings.instanceName } : {}),
      ...(settings.caPem ? { cryptoCredentialsDetails: { ca: settings.caPem } } : {}),
      ...(settings.tlsServerName ? { serverName: settings.tlsServerName } : {}),
      appName: 'Lync Recovery',
      // Nagle off: a request longer than one packet must not wait for a delayed ACK (connector.ts).
      connector: tediousConnector,
    },
    // One recovery step talks to an instance at a time; a small pool is plenty.
    pool: { min: 0, max: 4, idleTimeoutMillis: 30_000 },
  };
}
