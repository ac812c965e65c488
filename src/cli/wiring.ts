/**
 * Building the engine's ports from connection settings: the real mssql gateway, node-powershell
 * session and file-system log-backup files. Free of terminal concerns, so the extension can use
 * it too (it passes settings from its configuration and passwords from SecretStorage).
 *
 * Settings file (JSON, see docs/engine.md), every key optional except the SQL user:
 *   { "sql": { "default": { "user": "…", "encrypt": true, "trustServerCertificate": false, "caFile": "…" },
 *              "<instance id>": { "host": "…", "port": 1433, "user": "…" } },
 *     "shell": { "executable": "powershell.exe", "args": […], "module": "Lync" | "remote": "https://fe/OcsPowershell" },
 *     "files": { "pathMap": { "\\\\fs01\\pchat-logs": "/mnt/pchat-logs" } },
 *     "journalDirectory": "…" }
 * Passwords never live in the file: `LYNC_RECOVERY_SQL_PASSWORD_<INSTANCE ID>` (upper case,
 * non-alphanumerics as `_`) or `LYNC_RECOVERY_SQL_PASSWORD`.
 */
import fs from 'node:fs';
import { FsLogBackupFiles, type FsLogBackupFilesOptions } from '../adapters/files';
import { importModule, passwordsIn, passwordVariable, PowerShellSession, remoteSession, SQL_PASSWORD_VARIABLE, type PowerShellSessionOptions } from '../adapters/shell';
import { MssqlGateway, type SqlConnectionSettings } from '../adapters/sql';
import type { Estate } from '../core/estate/model';
import type { EnginePorts } from '../core/recovery/run-types';
import { findSqlInstance } from '../core/estate/queries';

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
  /** `args`: placed before PowerShell's own (`-NoProfile …`), e.g. a stand-in script or `-Version`. */
  readonly shell?: { readonly executable?: string; readonly args?: readonly string[]; readonly module?: string; readonly remote?: string };
  /**
   * `pathMap`: Windows path prefix → where this machine reaches it (a share mounted elsewhere, a
   * server's drive reached as `\\server\D$`). Prefixes match case-insensitively, longest first.
   */
  readonly files?: { readonly pathMap?: Readonly<Record<string, string>> };
  readonly journalDirectory?: string;
}

/**
 * The `files.pathMap` of the settings as a path mapping; paths under no prefix are unchanged.
 * The rest of the path keeps its segments, joined with the replacement's separator.
 */
export function pathMapper(pathMap: Readonly<Record<string, string>>): (windowsPath: string) => string {
  const norm = (p: string) => p.replace(/\//g, '\\').replace(/\\+$/, '');
  const entries = Object.entries(pathMap)
    .map(([from, to]) => [norm(from).toLowerCase(), to] as const)
    .sort((a, b) => b[0].length - a[0].length);
  return (windowsPath) => {
    const p = norm(windowsPath);
    for (const [from, to] of entries) {
      const lower = p.toLowerCase();
      if (lower !== from && !lower.startsWith(`${from}\\`)) continue;
      const rest = p.slice(from.length).split('\\').filter((s) => s !== '');
      if (rest.includes('..')) throw new Error(`'..' is not allowed in a mapped path: '${windowsPath}'`);
      const sep = to.includes('\\') && !to.includes('/') ? '\\' : '/';
      return [to.replace(/[\\/]+$/, ''), ...rest].join(sep);
    }
    return windowsPath;
  };
}

/** The ports and what must never be written down (passwords), with one place to close them. */
export interface Wiring {
  readonly ports: EnginePorts;
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

/** Connection settings of one estate SQL instance: the estate's host, overridden by the settings file. */
export function liveSqlSettings(estate: Estate, settings: LiveSettings, env: NodeJS.ProcessEnv, instanceId: string): SqlConnectionSettings {
  const instance = findSqlInstance(estate, instanceId);
  if (!instance) throw new Error(`SQL instance ${instanceId} is not in the estate.`);
  const merged: SqlInstanceSettings = { ...settings.sql?.['default'], ...settings.sql?.[instanceId] };
  const password = env[passwordVariable(instanceId)] ?? env[SQL_PASSWORD_VARIABLE];
  if (!merged.user) throw new Error(`No SQL user for ${instanceId}: set sql.default.user or sql["${instanceId}"].user in the settings file.`);
  if (password === undefined) throw new Error(`No password for ${instanceId}: set ${passwordVariable(instanceId)} or ${SQL_PASSWORD_VARIABLE} in the environment.`);
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

export function liveWiring(estate: Estate, settings: LiveSettings, env: NodeJS.ProcessEnv = process.env, onShellWaiting?: (waitedMs: number) => void): Wiring {
  const shell = settings.shell ?? {};
  const prelude = shell.remote ? [remoteSession(shell.remote)] : [importModule(shell.module ?? 'Lync')];
  const pathMap = settings.files?.pathMap;
  return wirePorts({
    sql: (id) => liveSqlSettings(estate, settings, env, id),
    shell: { ...(shell.executable ? { executable: shell.executable } : {}), ...(shell.args ? { args: shell.args } : {}), prelude, ...(onShellWaiting ? { onWaiting: onShellWaiting } : {}) },
    ...(pathMap && Object.keys(pathMap).length > 0 ? { files: { mapPath: pathMapper(pathMap) } } : {}),
    secrets: passwordsIn(env),
  });
}
