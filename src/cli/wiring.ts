/**
 * Building the engine's ports from connection settings: the real mssql gateway, node-powershell
 * session and file-system log-backup files. Free of terminal concerns, so the extension can use
 * it too (it passes settings from its configuration and passwords from SecretStorage).
 *
 * Settings file (JSON, see docs/engine.md), every key optional except the SQL user:
 *   { "sql": { "default": { "user": "…", "encrypt": true, "trustServerCertificate": false, "caFile": "…" },
 *              "<instance id>": { "host": "…", "port": 1433, "user": "…" } },
 *     "shell": { "executable": "powershell.exe", "module": "Lync" | "remote": "https://fe/OcsPowershell" },
 *     "journalDirectory": "…" }
 * Passwords never live in the file: `LYNC_RECOVERY_SQL_PASSWORD_<INSTANCE ID>` (upper case,
 * non-alphanumerics as `_`) or `LYNC_RECOVERY_SQL_PASSWORD`.
 */
import fs from 'node:fs';
import { FsLogBackupFiles, type FsLogBackupFilesOptions } from '../adapters/files';
import { importModule, PowerShellSession, remoteSession, type PowerShellSessionOptions } from '../adapters/shell';
import { MssqlGateway, type SqlConnectionSettings } from '../adapters/sql';
import type { Estate } from '../core/estate/model';
import type { EnginePorts } from '../core/recovery/run-types';

export interface SqlInstanceSettings {
  readonly host?: string;
  readonly port?: number;
  readonly instanceName?: string;
  readonly user?: string;
  readonly domain?: string;
  readonly encrypt?: boolean;
  readonly trustServerCertificate?: boolean;
  readonly caFile?: string;
  readonly tlsServerName?: string;
}

export interface LiveSettings {
  readonly sql?: Readonly<Record<string, SqlInstanceSettings>>;
  readonly shell?: { readonly executable?: string; readonly module?: string; readonly remote?: string };
  readonly journalDirectory?: string;
}

/** The ports and what must never be written down (passwords), with one place to close them. */
export interface Wiring {
  readonly ports: EnginePorts;
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

export const passwordVariable = (instanceId: string): string => `LYNC_RECOVERY_SQL_PASSWORD_${instanceId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** Connection settings of one estate SQL instance: the estate's host, overridden by the settings file. */
export function liveSqlSettings(estate: Estate, settings: LiveSettings, env: NodeJS.ProcessEnv, instanceId: string): SqlConnectionSettings {
  const instance = estate.sqlInstances.find((i) => i.id === instanceId);
  if (!instance) throw new Error(`SQL instance ${instanceId} is not in the estate.`);
  const merged: SqlInstanceSettings = { ...settings.sql?.['default'], ...settings.sql?.[instanceId] };
  const password = env[passwordVariable(instanceId)] ?? env['LYNC_RECOVERY_SQL_PASSWORD'];
  if (!merged.user) throw new Error(`No SQL user for ${instanceId}: set sql.default.user or sql["${instanceId}"].user in the settings file.`);
  if (password === undefined) throw new Error(`No password for ${instanceId}: set ${passwordVariable(instanceId)} or LYNC_RECOVERY_SQL_PASSWORD in the environment.`);
  const port = merged.port ?? instance.port;
  const instanceName = merged.instanceName ?? instance.instance;
  return {
    host: merged.host ?? instance.server,
    ...(port !== undefined ? { port } : {}),
    ...(instanceName !== undefined ? { instanceName } : {}),
    auth: merged.domain ? { kind: 'ntlm', domain: merged.domain, user: merged.user, password } : { kind: 'sql', user: merged.user, password },
    ...(merged.encrypt !== undefined ? { encrypt: merged.encrypt } : {}),
    ...(merged.trustServerCertificate !== undefined ? { trustServerCertificate: merged.trustServerCertificate } : {}),
    ...(merged.caFile ? { caPem: fs.readFileSync(merged.caFile, 'utf8') } : {}),
    ...(merged.tlsServerName ? { tlsServerName: merged.tlsServerName } : {}),
  };
}

/** Every password the environment holds for the estate's instances (for the journal's redaction). */
export function liveSecrets(estate: Estate, env: NodeJS.ProcessEnv): string[] {
  return [env['LYNC_RECOVERY_SQL_PASSWORD'], ...estate.sqlInstances.map((i) => env[passwordVariable(i.id)])].filter((s): s is string => typeof s === 'string' && s !== '');
}

export interface PortOptions {
  readonly sql: (instanceId: string) => SqlConnectionSettings;
  readonly shell: PowerShellSessionOptions;
  readonly files?: FsLogBackupFilesOptions;
  readonly secrets: readonly string[];
}

export function wirePorts(options: PortOptions): Wiring {
  const sql = new MssqlGateway({ settings: options.sql });
  const shell = new PowerShellSession(options.shell);
  const files = new FsLogBackupFiles(options.files ?? {});
  return {
    ports: { sql, shell, files },
    secrets: options.secrets,
    close: async () => {
      await Promise.allSettled([sql.close(), shell.close()]);
    },
  };
}

export function liveWiring(estate: Estate, settings: LiveSettings, env: NodeJS.ProcessEnv = process.env): Wiring {
  const shell = settings.shell ?? {};
  const prelude = shell.remote ? [remoteSession(shell.remote)] : [importModule(shell.module ?? 'Lync')];
  return wirePorts({
    sql: (id) => liveSqlSettings(estate, settings, env, id),
    shell: { ...(shell.executable ? { executable: shell.executable } : {}), prelude },
    secrets: liveSecrets(estate, env),
  });
}
