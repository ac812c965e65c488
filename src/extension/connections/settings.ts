/**
 * Connection settings as the user writes them (`lyncRecovery.sql.connections`,
 * `lyncRecovery.shell.*`, `lyncRecovery.live.*`), checked, and mapped to the adapters' settings.
 * Pure: no `vscode`, no I/O. Passwords never appear in settings; they come from the secret store
 * and are passed in by the caller, and nothing here logs.
 */
import type { SqlConnectionSettings } from '../../adapters/sql/settings';
import type { PowerShellSessionOptions } from '../../adapters/shell/session';
import { importModule, remoteSession } from '../../adapters/shell/prelude';
import type { SqlInstance } from '../../core/estate/model';

export const SETTING = {
  sqlConnections: 'lyncRecovery.sql.connections',
  shellExecutable: 'lyncRecovery.shell.executable',
  shellMode: 'lyncRecovery.shell.mode',
  shellModule: 'lyncRecovery.shell.module',
  shellRemoteUri: 'lyncRecovery.shell.remoteUri',
  shellPrelude: 'lyncRecovery.shell.prelude',
  liveTimeoutSeconds: 'lyncRecovery.live.timeoutSeconds',
  liveAutoRefreshSeconds: 'lyncRecovery.live.autoRefreshSeconds',
} as const;

export const DEFAULT_TIMEOUT_SECONDS = 5;
export const DEFAULT_AUTO_REFRESH_SECONDS = 60;
export const DEFAULT_SHELL_MODULE = 'Lync';

/** One entry of `lyncRecovery.sql.connections` (keyed by the estate's SQL instance id). */
export interface SqlConnectionProfile {
  readonly authentication: 'sql' | 'ntlm';
  readonly user: string;
  /** NTLM only. */
  readonly domain?: string;
  /** Default true. */
  readonly encrypt?: boolean;
  /** Default false. */
  readonly trustServerCertificate?: boolean;
  /** PEM file of a CA to trust besides the system's (read by the caller). */
  readonly caFile?: string;
  /** Connect to this host instead of the estate's `server` (an alias, a tunnel); TLS still checks the estate's name. */
  readonly host?: string;
  /** TCP port; wins over the estate's port and named instance. */
  readonly port?: number;
}

export interface ShellSettings {
  /** Empty: the adapter's default (`powershell.exe` on Windows, `pwsh` elsewhere). */
  readonly executable: string;
  readonly mode: 'local' | 'remote';
  /** Module imported in `local` mode. */
  readonly module: string;
  /** `remote` mode: e.g. `https://fe01.contoso.com/OcsPowershell`. */
  readonly remoteUri: string;
  /** Extra one-line commands run after the module import / remote session. */
  readonly prelude: readonly string[];
}

export interface LiveSettings {
  readonly timeoutMs: number;
  /** 0 = off. */
  readonly autoRefreshMs: number;
}

/** A setting value that could not be used, said in one sentence (for the Test Connections report and the log). */
export interface SettingProblem {
  readonly setting: string;
  readonly message: string;
}

export interface ParsedConnections {
  readonly profiles: ReadonlyMap<string, SqlConnectionProfile>;
  readonly problems: readonly SettingProblem[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Reads `lyncRecovery.sql.connections`; entries that cannot be used are reported, not guessed at. */
export function parseSqlConnections(raw: unknown): ParsedConnections {
  const profiles = new Map<string, SqlConnectionProfile>();
  const problems: SettingProblem[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!isRecord(raw)) {
    problems.push({ setting: SETTING.sqlConnections, message: `${SETTING.sqlConnections} must be an object keyed by SQL instance id.` });
    return { profiles, problems };
  }
  for (const [id, value] of Object.entries(raw)) {
    const setting = `${SETTING.sqlConnections}.${id}`;
    const bad = (message: string) => problems.push({ setting, message: `${setting}: ${message}` });
    if (!isRecord(value)) {
      bad('must be an object such as { "authentication": "sql", "user": "…" }.');
      continue;
    }
    if ('password' in value) bad('passwords are not read from settings (they would be stored in plain text); remove it, Lync Recovery asks for the password and keeps it in the secret storage.');
    const authentication = value.authentication ?? 'sql';
    if (authentication !== 'sql' && authentication !== 'ntlm') {
      bad(`authentication must be "sql" or "ntlm", not ${JSON.stringify(authentication)}.`);
      continue;
    }
    const user = optionalString(value.user);
    if (!user) {
      bad('user is required.');
      continue;
    }
    let domain = optionalString(value.domain);
    let account = user;
    // DOMAIN\user written in one field.
    if (authentication === 'ntlm' && !domain && user.includes('\\')) {
      [domain, account] = [user.slice(0, user.indexOf('\\')), user.slice(user.indexOf('\\') + 1)];
    }
    if (authentication === 'ntlm' && !domain) {
      bad('NTLM authentication needs a domain (set "domain", or write the user as DOMAIN\\user).');
      continue;
    }
    const port = value.port;
    if (port !== undefined && !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)) {
      bad(`port must be a TCP port number, not ${JSON.stringify(port)}.`);
      continue;
    }
    const flag = (name: string): boolean | undefined => {
      const v = value[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'boolean') bad(`${name} must be true or false; ignored.`);
      return typeof v === 'boolean' ? v : undefined;
    };
    const encrypt = flag('encrypt');
    const trustServerCertificate = flag('trustServerCertificate');
    const caFile = optionalString(value.caFile);
    const host = optionalString(value.host);
    profiles.set(id, {
      authentication,
      user: account,
      ...(authentication === 'ntlm' && domain ? { domain } : {}),
      ...(encrypt !== undefined ? { encrypt } : {}),
      ...(trustServerCertificate !== undefined ? { trustServerCertificate } : {}),
      ...(caFile ? { caFile } : {}),
      ...(host ? { host } : {}),
      ...(typeof port === 'number' ? { port } : {}),
    });
  }
  return { profiles, problems };
}

/** The adapter's settings for a live instance: where from the estate (or the profile's override), how from the profile. */
export function liveSqlSettings(
  instance: SqlInstance,
  profile: SqlConnectionProfile,
  password: string,
  options: { readonly caPem?: string; readonly timeoutMs: number },
): SqlConnectionSettings {
  const port = profile.port ?? instance.port;
  const overridden = profile.host !== undefined && profile.host.toLowerCase() !== instance.server.toLowerCase();
  return {
    host: profile.host ?? instance.server,
    ...(port !== undefined ? { port } : {}),
    ...(port === undefined && instance.instance ? { instanceName: instance.instance } : {}),
    auth:
      profile.authentication === 'ntlm'
        ? { kind: 'ntlm', domain: profile.domain ?? '', user: profile.user, password }
        : { kind: 'sql', user: profile.user, password },
    encrypt: profile.encrypt ?? true,
    trustServerCertificate: profile.trustServerCertificate ?? false,
    ...(options.caPem ? { caPem: options.caPem } : {}),
    // Connecting through another name: the certificate still names the estate's server.
    ...(overridden ? { tlsServerName: instance.server } : {}),
    connectTimeoutMs: options.timeoutMs,
  };
}

/** What a rehearsal lab says about one of its SQL instances (the lab's `info.instances[id]`). */
export interface LabSqlEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Verified TLS against the lab's CA; the lab's certificate names `localhost`. */
export function rehearsalSqlSettings(endpoint: LabSqlEndpoint, options: { readonly caPem: string; readonly timeoutMs: number }): SqlConnectionSettings {
  return {
    host: endpoint.host,
    port: endpoint.port,
    auth: { kind: 'sql', user: endpoint.user, password: endpoint.password },
    encrypt: true,
    trustServerCertificate: false,
    caPem: options.caPem,
    tlsServerName: 'localhost',
    connectTimeoutMs: options.timeoutMs,
  };
}

export function parseShellSettings(raw: {
  readonly executable?: unknown;
  readonly mode?: unknown;
  readonly module?: unknown;
  readonly remoteUri?: unknown;
  readonly prelude?: unknown;
}): { readonly settings: ShellSettings; readonly problems: readonly SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const mode = raw.mode === 'remote' ? 'remote' : 'local';
  if (raw.mode !== undefined && raw.mode !== 'local' && raw.mode !== 'remote') {
    problems.push({ setting: SETTING.shellMode, message: `${SETTING.shellMode} must be "local" or "remote"; using "local".` });
  }
  const prelude: string[] = [];
  if (Array.isArray(raw.prelude)) {
    for (const line of raw.prelude) {
      if (typeof line !== 'string' || /[\r\n]/.test(line)) {
        problems.push({ setting: SETTING.shellPrelude, message: `${SETTING.shellPrelude}: each entry must be one line of text; ${JSON.stringify(line)} is ignored.` });
      } else if (line.trim() !== '') prelude.push(line);
    }
  } else if (raw.prelude !== undefined) {
    problems.push({ setting: SETTING.shellPrelude, message: `${SETTING.shellPrelude} must be a list of lines; ignored.` });
  }
  return {
    settings: {
      executable: optionalString(raw.executable) ?? '',
      mode,
      module: optionalString(raw.module) ?? DEFAULT_SHELL_MODULE,
      remoteUri: optionalString(raw.remoteUri) ?? '',
      prelude,
    },
    problems,
  };
}

/**
 * node-powershell options for the live shell: the Lync module (or a remote session), then the
 * extra prelude. Throws with a sentence naming the setting when a value cannot be used.
 */
export function liveShellOptions(settings: ShellSettings, timeoutMs: number): PowerShellSessionOptions {
  let first: string;
  try {
    first = settings.mode === 'remote' ? remoteSession(settings.remoteUri) : importModule(settings.module);
  } catch (error) {
    const setting = settings.mode === 'remote' ? SETTING.shellRemoteUri : SETTING.shellModule;
    throw new Error(`${setting}: ${(error as Error).message}`);
  }
  return {
    ...(settings.executable ? { executable: settings.executable } : {}),
    prelude: [first, ...settings.prelude],
    invocationTimeoutMs: timeoutMs,
  };
}

/** What the lab says about its shell (the lab's `info.shell`). */
export interface LabShellLaunch {
  readonly executable: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The lab's start-up lines: its error view and `Import-Module` of its LyncLab module by path. */
  readonly prelude: readonly string[];
}

/**
 * The least time limit of a rehearsal shell call. The lab's shell is real PowerShell: starting it
 * and importing LyncLab (the prelude, under the same limit) takes 1–3 s on an idle machine and
 * more on a loaded one, beyond the few seconds a live status read is given.
 */
export const LAB_SHELL_MIN_TIMEOUT_MS = 60_000;

/** The lab's shell runs the lab's prelude (which imports LyncLab) instead of the configured module. */
export function rehearsalShellOptions(launch: LabShellLaunch, timeoutMs: number): PowerShellSessionOptions {
  const invocationTimeoutMs = Math.max(timeoutMs, LAB_SHELL_MIN_TIMEOUT_MS);
  return { executable: launch.executable, args: launch.args, env: launch.env, prelude: launch.prelude, invocationTimeoutMs };
}

export function parseLiveSettings(raw: { readonly timeoutSeconds?: unknown; readonly autoRefreshSeconds?: unknown }): LiveSettings {
  const seconds = (v: unknown, fallback: number, min: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback);
  const timeout = seconds(raw.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS, 0.1);
  const auto = seconds(raw.autoRefreshSeconds, DEFAULT_AUTO_REFRESH_SECONDS, 0);
  // An auto-refresh faster than the timeout would pile reads on a dead server.
  return { timeoutMs: Math.round(timeout * 1000), autoRefreshMs: auto === 0 ? 0 : Math.round(Math.max(auto, timeout, 5) * 1000) };
}

