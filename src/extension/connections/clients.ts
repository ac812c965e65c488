/**
 * The clients of one target: one `SqlGateway` (one mssql pool per instance) and one
 * `ShellSession`, built from the target, the estate and the settings. This is the
 * client-lifetime scope: the target service throws the whole object away (and closes its
 * connections and shell) when the target, the estate or a connection setting changes.
 *
 * No `vscode` here: the bench and the unit tests build it directly. What it says to people (access
 * refusals, descriptions, errors from the connection settings) goes through `config.t`, which
 * the extension sets to `vscode.l10n.t`; adapter log lines stay as they are.
 */
import type { MssqlGatewayOptions } from '../../adapters/sql/gateway';
import { describeEndpoint, type SqlConnectionSettings } from '../../adapters/sql/settings';
import type { PowerShellSessionOptions } from '../../adapters/shell/session';
import type { SqlCommand } from '../../core/commands/tsql';
import type { Estate, SqlInstance } from '../../core/estate/model';
import type { PowerShellCommand } from '../../core/commands/powershell';
import { SqlLoginError, type DiagnosticLog, type ShellCallOptions, type ShellSession, type SqlCallOptions, type SqlGateway, type SqlResult } from '../../core/recovery/ports';
import type { Logger } from '../log';
import { formatMessage, type Translate } from '../translate';
import type { Credentials, SecretTarget } from './credentials';
import {
  liveShellOptions,
  liveSqlSettings,
  rehearsalShellOptions,
  rehearsalSqlSettings,
  SETTING,
  type ParsedConnections,
  type ShellSettings,
} from './settings';
import type { Target } from './target';
import { findSqlInstance } from '../../core/estate/queries';

export interface ClientConfig {
  readonly target: Target;
  readonly estate: Estate | undefined;
  readonly connections: ParsedConnections;
  readonly shell: ShellSettings;
  readonly timeoutMs: number;
  readonly credentials: Credentials;
  /** Reads a CA file (PEM text). */
  readonly readFile: (path: string) => Promise<string>;
  readonly log: Logger;
  /** User-visible text: `vscode.l10n.t` in the extension; default `formatMessage` (English). */
  readonly t?: Translate;
}

/** Whether an instance can be connected to, checked before connecting. */
export type SqlAccess =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** `unconfigured`: no connection settings; `no-password`: none saved (and not asked); `unknown`: not in the estate / lab. */
      readonly state: 'unconfigured' | 'no-password' | 'unknown';
      readonly message: string;
    };

/** How an instance is reached, for reports (never the password). */
export interface SqlEndpointInfo {
  readonly endpoint: string;
  readonly account: string;
  readonly tls: string;
}

export interface TargetClients {
  readonly target: Target;
  readonly sql: SqlGateway;
  /** Undefined when the target has no shell (a lab started without one). */
  readonly shell: ShellSession | undefined;
  /** Checks settings and password before any connection; `interactive` may ask for the password. */
  prepareSql(instanceId: string, interactive: boolean): Promise<SqlAccess>;
  describeSql(instanceId: string): SqlEndpointInfo | undefined;
  /** What the shell is, for reports. */
  describeShell(): string;
  /** The passwords this target's connections use (for the journal's redaction); never logged. */
  secrets?(): Promise<string[]>;
  /** Closes the connections and the shell. Idempotent. */
  dispose(): Promise<void>;
}

function tlsText(settings: Pick<SqlConnectionSettings, 'encrypt' | 'trustServerCertificate' | 'caPem'>, t: Translate): string {
  if (settings.encrypt === false) return t('not encrypted (encrypt: false)');
  if (settings.trustServerCertificate) return t('encrypted, certificate NOT verified (trustServerCertificate: true)');
  return settings.caPem ? t('encrypted, certificate verified against the configured CA') : t('encrypted, certificate verified');
}

/**
 * The drivers (mssql/tedious, node-powershell) are loaded on first use, not when the extension
 * activates: a Lync Recovery that only checks runbooks never loads them.
 */
class LazyGateway implements SqlGateway {
  #inner?: Promise<SqlGateway>;
  #closed = false;

  constructor(
    private readonly options: MssqlGatewayOptions,
    private readonly t: Translate,
  ) {}

  #gateway(): Promise<SqlGateway> {
    if (this.#closed) return Promise.reject(new Error(this.t('the connections of this target were closed')));
    return (this.#inner ??= import('../../adapters/sql/gateway').then((m) => new m.MssqlGateway(this.options)));
  }

  async query(instanceId: string, command: SqlCommand, options?: SqlCallOptions): Promise<SqlResult> {
    return (await this.#gateway()).query(instanceId, command, options);
  }

  async batch(instanceId: string, text: string, options?: SqlCallOptions): Promise<SqlResult> {
    return (await this.#gateway()).batch(instanceId, text, options);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const inner = this.#inner;
    if (inner) await (await inner).close();
  }
}

class LazyShell implements ShellSession {
  #inner?: Promise<ShellSession>;
  #closed = false;

  constructor(
    private readonly options: PowerShellSessionOptions,
    private readonly t: Translate,
  ) {}

  #shell(): Promise<ShellSession> {
    if (this.#closed) return Promise.reject(new Error(this.t('the shell of this target was closed')));
    return (this.#inner ??= import('../../adapters/shell/session').then((m) => new m.PowerShellSession(this.options)));
  }

  async run(command: PowerShellCommand, options?: ShellCallOptions): Promise<string> {
    return (await this.#shell()).run(command, options);
  }

  async runJson(command: PowerShellCommand, options?: ShellCallOptions): Promise<unknown[]> {
    return (await this.#shell()).runJson(command, options);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const inner = this.#inner;
    if (inner) await (await inner).close();
  }
}

/** Adapter log lines go to the extension's log at debug level (the adapters redact secrets). */
function diagnostics(log: Logger): DiagnosticLog {
  return { debug: (m) => log.debug(m), warn: (m) => log.warn(m) };
}

export function createTargetClients(config: ClientConfig): TargetClients {
  return config.target.kind === 'live' ? new LiveClients(config) : new RehearsalClients(config);
}

/** Reports logins to the credentials: a pending password is saved after its first successful login, a refused one is dropped. */
class VerifyingGateway implements SqlGateway {
  constructor(
    private readonly inner: SqlGateway,
    private readonly credentials: Credentials,
    /** What the instance's password is for (undefined: not configured, so no login was made). */
    private readonly targetOf: (instanceId: string) => SecretTarget | undefined,
  ) {}

  query(instanceId: string, command: SqlCommand, options?: SqlCallOptions): Promise<SqlResult> {
    return this.#watch(instanceId, this.inner.query(instanceId, command, options));
  }

  batch(instanceId: string, text: string, options?: SqlCallOptions): Promise<SqlResult> {
    return this.#watch(instanceId, this.inner.batch(instanceId, text, options));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async #watch(instanceId: string, work: Promise<SqlResult>): Promise<SqlResult> {
    const target = this.targetOf(instanceId);
    try {
      const result = await work;
      if (target) await this.credentials.accepted(target);
      return result;
    } catch (error) {
      if (error instanceof SqlLoginError && target) await this.credentials.refused(target);
      throw error;
    }
  }
}

abstract class BaseClients implements TargetClients {
  abstract readonly sql: SqlGateway;
  abstract readonly shell: ShellSession | undefined;
  #disposed?: Promise<void>;

  constructor(protected readonly config: ClientConfig) {}

  get target(): Target {
    return this.config.target;
  }

  protected get t(): Translate {
    return this.config.t ?? formatMessage;
  }

  abstract prepareSql(instanceId: string, interactive: boolean): Promise<SqlAccess>;
  abstract describeSql(instanceId: string): SqlEndpointInfo | undefined;
  abstract describeShell(): string;

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      await Promise.all([this.sql.close().catch(() => undefined), this.shell?.close().catch(() => undefined)]);
    })();
    return this.#disposed;
  }
}

class LiveClients extends BaseClients {
  readonly sql: SqlGateway;
  readonly shell: ShellSession | undefined;
  readonly #shellProblem: string | undefined;

  constructor(config: ClientConfig) {
    super(config);
    this.sql = new VerifyingGateway(
      new LazyGateway({ settings: (id) => this.#settings(id), log: diagnostics(config.log) }, this.t),
      config.credentials,
      (id) => this.#secretTarget(id),
    );
    let shell: ShellSession | undefined;
    let problem: string | undefined;
    try {
      shell = new LazyShell({ ...liveShellOptions(config.shell, config.timeoutMs), log: diagnostics(config.log) }, this.t);
    } catch (error) {
      problem = (error as Error).message;
    }
    this.shell = shell ?? new UnavailableShell(problem ?? this.t('the shell settings cannot be used'));
    this.#shellProblem = problem;
  }

  #instance(id: string): SqlInstance | undefined {
    return this.config.estate && findSqlInstance(this.config.estate, id);
  }

  /**
   * What a password for this instance is keyed by: the estate, where the login goes (the same
   * host, port and instance name `liveSqlSettings` connects to) and the login.
   */
  #secretTarget(instanceId: string): SecretTarget | undefined {
    const estate = this.config.estate;
    const instance = this.#instance(instanceId);
    const profile = this.config.connections.profiles.get(instanceId);
    if (!estate || !instance || !profile) return undefined;
    const port = profile.port ?? instance.port;
    return {
      estate: estate.name,
      instanceId,
      host: profile.host ?? instance.server,
      ...(port !== undefined ? { port } : instance.instance ? { instance: instance.instance } : {}),
      login: profile.domain ? `${profile.domain}\\${profile.user}` : profile.user,
    };
  }

  async prepareSql(instanceId: string, interactive: boolean): Promise<SqlAccess> {
    const instance = this.#instance(instanceId);
    if (!instance) return { ok: false, state: 'unknown', message: this.t('SQL instance {0} is not in the estate.', instanceId) };
    const target = this.#secretTarget(instanceId);
    if (!target) {
      return { ok: false, state: 'unconfigured', message: this.t('No connection settings for {0}: add it to {1}.', instanceId, SETTING.sqlConnections) };
    }
    const password = await this.config.credentials.password(target, interactive);
    if (password === undefined) {
      return { ok: false, state: 'no-password', message: this.t('No saved password for {0} on {1}: refresh it, or run Test Connections, to enter it.', target.login, instanceId) };
    }
    return { ok: true };
  }

  async #settings(instanceId: string): Promise<SqlConnectionSettings> {
    const instance = this.#instance(instanceId);
    const profile = this.config.connections.profiles.get(instanceId);
    const target = this.#secretTarget(instanceId);
    if (!instance || !profile || !target) throw new Error(this.t('SQL instance {0} has no connection settings ({1}).', instanceId, SETTING.sqlConnections));
    const password = await this.config.credentials.password(target, false);
    if (password === undefined) throw new Error(this.t('No password for {0} on SQL instance {1}.', target.login, instanceId));
    let caPem: string | undefined;
    if (profile.caFile) {
      try {
        caPem = await this.config.readFile(profile.caFile);
      } catch (error) {
        throw new Error(this.t('{0}: cannot read {1} ({2}).', `${SETTING.sqlConnections}.${instanceId}.caFile`, profile.caFile, (error as Error).message));
      }
    }
    return liveSqlSettings(instance, profile, password, { ...(caPem ? { caPem } : {}), timeoutMs: this.config.timeoutMs });
  }

  describeSql(instanceId: string): SqlEndpointInfo | undefined {
    const instance = this.#instance(instanceId);
    const profile = this.config.connections.profiles.get(instanceId);
    if (!instance || !profile) return undefined;
    const settings = liveSqlSettings(instance, profile, '', { ...(profile.caFile ? { caPem: 'configured' } : {}), timeoutMs: this.config.timeoutMs });
    const who = `${profile.domain ? `${profile.domain}\\` : ''}${profile.user}`;
    return {
      endpoint: describeEndpoint(settings),
      account: profile.authentication === 'ntlm' ? this.t('Windows (NTLM) {0}', who) : this.t('SQL login {0}', who),
      tls: tlsText(settings, this.t),
    };
  }

  secrets(): Promise<string[]> {
    return this.config.credentials.known((this.config.estate?.sqlInstances ?? []).flatMap((x) => this.#secretTarget(x.id) ?? []));
  }

  describeShell(): string {
    const s = this.config.shell;
    const exe = s.executable || this.t('default executable');
    if (this.#shellProblem) return this.t('{0}: {1}', exe, this.#shellProblem);
    const how = s.mode === 'remote' ? this.t('remote session to {0}', s.remoteUri) : `Import-Module ${s.module}`;
    return s.prelude.length ? this.t('{0}, {1}, {2} extra prelude line(s)', exe, how, s.prelude.length) : this.t('{0}, {1}', exe, how);
  }
}

class RehearsalClients extends BaseClients {
  readonly sql: SqlGateway;
  readonly shell: ShellSession | undefined;
  #caPem?: Promise<string>;

  constructor(config: ClientConfig) {
    super(config);
    this.sql = new LazyGateway({ settings: (id) => this.#settings(id), log: diagnostics(config.log) }, this.t);
    const launch = this.#info.shell;
    this.shell = launch ? new LazyShell({ ...rehearsalShellOptions(launch, config.timeoutMs), log: diagnostics(config.log) }, this.t) : undefined;
  }

  get #info() {
    if (this.config.target.kind !== 'rehearsal') throw new Error('not a rehearsal target');
    return this.config.target.info;
  }

  async prepareSql(instanceId: string): Promise<SqlAccess> {
    if (!this.#info.instances[instanceId]) return { ok: false, state: 'unknown', message: this.t('SQL instance {0} is not in the rehearsal lab.', instanceId) };
    return { ok: true };
  }

  async #settings(instanceId: string): Promise<SqlConnectionSettings> {
    const endpoint = this.#info.instances[instanceId];
    if (!endpoint) throw new Error(this.t('SQL instance {0} is not in the rehearsal lab.', instanceId));
    this.#caPem ??= this.config.readFile(this.#info.caFile);
    const caPem = await this.#caPem.catch((error: unknown) => {
      this.#caPem = undefined;
      throw new Error(this.t("cannot read the lab's CA file {0} ({1}); is the lab still running?", this.#info.caFile, (error as Error).message));
    });
    return rehearsalSqlSettings(endpoint, { caPem, timeoutMs: this.config.timeoutMs });
  }

  describeSql(instanceId: string): SqlEndpointInfo | undefined {
    const endpoint = this.#info.instances[instanceId];
    if (!endpoint) return undefined;
    return { endpoint: `${endpoint.host}:${endpoint.port}`, account: this.t('SQL login {0} (lab)', endpoint.user), tls: this.t('encrypted, certificate verified against the lab CA') };
  }

  async secrets(): Promise<string[]> {
    return [...new Set(Object.values(this.#info.instances).map((x) => x.password))];
  }

  describeShell(): string {
    return this.#info.shell ? this.t("the lab's Lync Management Shell stand-in") : this.t('none (the lab was started without its shell)');
  }
}

/** A shell that cannot start because its settings are wrong: every call says why. */
class UnavailableShell implements ShellSession {
  constructor(private readonly reason: string) {}

  run(): Promise<string> {
    return Promise.reject(new Error(this.reason));
  }

  runJson(): Promise<unknown[]> {
    return Promise.reject(new Error(this.reason));
  }

  async close(): Promise<void> {}
}
