/**
 * SQL passwords: kept in the editor's secret storage (`context.secrets`, behind `SecretStore` so
 * tests use a map), one per *secret target* — the estate (its `name`), the host the password is
 * sent to, the SQL instance (named instance or port) and the login — with an index of the targets
 * that have one (SecretStorage cannot list its keys). A workspace that points an instance id at
 * another host (its estate, or a `host` in `lyncRecovery.sql.connections`) asks for a password
 * instead of sending the saved one; a saved password is deleted only by "Forget Saved Password"
 * or when its server refuses it, never because another estate does not name it.
 *
 * A password typed at the prompt is only *pending* until a login with it succeeds; then it is
 * stored. A stored password that the server refuses is deleted, so the next explicit action asks
 * again. Passwords never reach a log line: messages name the instance, host and login only.
 *
 * Earlier versions kept one password per instance id (`lyncRecovery.sql.<id>`), without the host
 * it was for, so nothing shows whether today's host for that id is still that one: a workspace's
 * estate could have pointed the id elsewhere. Such a password is therefore never sent by a
 * background read; the first prompt for that id says it exists and where the login would go, and
 * an empty answer uses it. After the first successful login it is saved under its target and the
 * old key is deleted (read once); refused, it is deleted as a saved one would be.
 *
 * No `vscode` here: the extension passes `context.secrets` and an InputBox prompt.
 */
import type { KnownSecrets } from '../../core/recovery/redact';
import type { Logger } from '../log';

/** The part of `vscode.SecretStorage` used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Where a password is sent and as whom: what a saved password is keyed by. */
export interface SecretTarget {
  /** The estate's `name`. */
  readonly estate: string;
  /** The estate's id of the SQL instance (labels and messages; not part of the key). */
  readonly instanceId: string;
  /** The host the login goes to (the estate's server, or the connection setting's `host`). */
  readonly host: string;
  /** Named instance, when no port is given. */
  readonly instance?: string;
  readonly port?: number;
  /** `user` or `DOMAIN\user`. */
  readonly login: string;
}

export interface PasswordRequest {
  readonly instanceId: string;
  /** `user` or `DOMAIN\user`. */
  readonly account: string;
  /** Where the password is for (`server\instance`, `server,port`). */
  readonly where: string;
  /** An earlier version saved a password for this instance id (its host unknown): an empty answer uses it. */
  readonly earlier?: boolean;
}

/** Asks the user; `undefined` = cancelled; `''` = the earlier version's password when `earlier`, else cancelled. */
export type PasswordPrompt = (request: PasswordRequest) => Promise<string | undefined>;

const SECRET_PREFIX = 'lyncRecovery.sql.';
/** The index of saved targets; not a valid target key because of the `$`. */
export const SECRET_INDEX_KEY = 'lyncRecovery.sql.$targets';
/** Earlier versions: `lyncRecovery.sql.<instance id>` and the index of those ids. */
export const LEGACY_INDEX_KEY = 'lyncRecovery.sql.$saved';
export const legacySecretKey = (instanceId: string): string => `${SECRET_PREFIX}${instanceId}`;

/** `server\instance`, `server,port` (as SQL Server tools write them) or `server`. */
export function whereOf(target: Pick<SecretTarget, 'host' | 'instance' | 'port'>): string {
  if (target.port !== undefined) return `${target.host},${target.port}`;
  return target.instance ? `${target.host}\\${target.instance}` : target.host;
}

/**
 * The storage key of a target. Host and instance names compare without regard to case (DNS, SQL
 * Server); the estate name and the login are kept as written (a login's case may matter to the
 * server's collation), so a change there asks again rather than guess.
 */
export function secretKey(target: SecretTarget): string {
  return `${SECRET_PREFIX}target:${JSON.stringify([target.estate, target.host.toLowerCase(), target.instance?.toLowerCase() ?? '', target.port ?? '', target.login])}`;
}

/** A `SecretStore` in memory: unit tests, the bench. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

export class Credentials {
  /** Typed at the prompt, not yet accepted by a server; by target key. */
  readonly #pending = new Map<string, string>();
  /** Pending passwords that are an earlier version's (by target key → instance id). */
  readonly #pendingEarlier = new Map<string, string>();
  /** One prompt at a time: several instances may need one during a refresh. */
  #prompts: Promise<unknown> = Promise.resolve();
  /** Index updates one at a time. */
  #index: Promise<unknown> = Promise.resolve();
  #prompt: PasswordPrompt;
  readonly #listeners = new Set<() => void>();

  constructor(
    private readonly store: SecretStore,
    prompt: PasswordPrompt,
    private readonly log: Logger,
    /** Told every password handed out, so that no output shows it. */
    private readonly seen?: Pick<KnownSecrets, 'add'>,
  ) {
    this.#prompt = prompt;
  }

  /** Replaces the prompt (tests and automation answer it); returns a function that restores the previous one. */
  usePrompt(prompt: PasswordPrompt): () => void {
    const previous = this.#prompt;
    this.#prompt = prompt;
    return () => {
      if (this.#prompt === prompt) this.#prompt = previous;
    };
  }

  /** Called after the set of saved passwords changed. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /**
   * The password to log in to `target` with: pending, else saved for this very target, else (when
   * `interactive`) asked for. `undefined`: none saved and not asked, or the prompt was cancelled.
   */
  async password(target: SecretTarget, interactive: boolean): Promise<string | undefined> {
    const password = await this.#password(target, interactive);
    if (password !== undefined) this.seen?.add([password]);
    return password;
  }

  async #password(target: SecretTarget, interactive: boolean): Promise<string | undefined> {
    const key = secretKey(target);
    const at = async () => this.#pending.get(key) ?? (await this.store.get(key));
    const found = await at();
    if (found !== undefined || !interactive) return found;
    const asked = this.#prompts.then(async () => {
      // Another refresh may have asked for the same target while this one waited.
      const again = await at();
      if (again !== undefined) return again;
      const earlier = await this.store.get(legacySecretKey(target.instanceId));
      const typed = await this.#prompt({ instanceId: target.instanceId, account: target.login, where: whereOf(target), ...(earlier !== undefined ? { earlier: true } : {}) });
      const answer = typed === '' ? earlier : typed;
      if (answer === undefined || answer === '') return undefined;
      this.#pending.set(key, answer);
      if (typed === '') this.#pendingEarlier.set(key, target.instanceId);
      return answer;
    });
    this.#prompts = asked.catch(() => undefined);
    return asked;
  }

  /** Whether a password for this target is at hand without asking. */
  async has(target: SecretTarget): Promise<boolean> {
    return (await this.password(target, false)) !== undefined;
  }

  /** A login succeeded: a pending password becomes a saved one. */
  async accepted(target: SecretTarget): Promise<void> {
    const key = secretKey(target);
    const pending = this.#pending.get(key);
    if (pending === undefined) return;
    this.#pending.delete(key);
    await this.#save(target, pending);
    this.log.info(`Saved the password of ${target.login} for SQL instance ${target.instanceId} (${whereOf(target)}, estate ${target.estate}) in the secret storage.`);
    const earlier = this.#pendingEarlier.get(key);
    this.#pendingEarlier.delete(key);
    if (earlier !== undefined) await this.forgetEarlier(earlier);
    this.#changed();
  }

  /** The server refused the login: forget the password used, pending or saved. */
  async refused(target: SecretTarget): Promise<void> {
    const key = secretKey(target);
    if (this.#pending.delete(key)) {
      const earlier = this.#pendingEarlier.get(key);
      this.#pendingEarlier.delete(key);
      if (earlier !== undefined) {
        await this.forgetEarlier(earlier);
        this.log.warn(`The password an earlier version saved for SQL instance ${earlier} was refused by ${whereOf(target)}; it was deleted.`);
      } else this.log.warn(`The password typed for SQL instance ${target.instanceId} (${whereOf(target)}) was refused; it was not saved.`);
      return;
    }
    if ((await this.store.get(secretKey(target))) === undefined) return;
    await this.forget(target);
    this.log.warn(`The saved password for SQL instance ${target.instanceId} (${whereOf(target)}) was refused; it was deleted and will be asked for again.`);
  }

  /** The targets with a saved password. */
  async savedTargets(): Promise<SecretTarget[]> {
    await this.#index;
    return this.#readIndex();
  }

  /** Instance ids with a password an earlier version saved (by id only), not yet moved to a target. */
  async savedEarlier(): Promise<string[]> {
    await this.#index;
    return (await this.#readJson(LEGACY_INDEX_KEY)).filter((id): id is string => typeof id === 'string');
  }

  /** Instance ids with a saved password (for any estate and host, or by an earlier version). */
  async saved(): Promise<string[]> {
    return [...new Set([...(await this.savedTargets()).map((t) => t.instanceId), ...(await this.savedEarlier())])].sort();
  }

  async forget(target: SecretTarget): Promise<void> {
    const key = secretKey(target);
    this.#pending.delete(key);
    await this.store.delete(key);
    await this.#updateIndex((targets) => targets.filter((t) => secretKey(t) !== key));
    this.log.info(`Deleted the saved password of ${target.login} for SQL instance ${target.instanceId} (${whereOf(target)}, estate ${target.estate}).`);
    this.#changed();
  }

  /**
   * The passwords known for these targets (typed or saved), without asking: what a journal must
   * never write down (`FileJournalStore({ secrets })`). Never logged.
   */
  async known(targets: Iterable<SecretTarget>): Promise<string[]> {
    const found = new Set<string>();
    for (const target of targets) {
      const password = await this.password(target, false);
      if (password) found.add(password);
    }
    return [...found];
  }

  /** Pending (typed, unverified) passwords are dropped, e.g. when the target changes. */
  clearPending(): void {
    this.#pending.clear();
    this.#pendingEarlier.clear();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  async #save(target: SecretTarget, password: string): Promise<void> {
    const key = secretKey(target);
    await this.store.store(key, password);
    await this.#updateIndex((targets) => [...targets.filter((t) => secretKey(t) !== key), target]);
  }

  /** Deletes the password an earlier version saved for this instance id, and its index entry. */
  forgetEarlier(instanceId: string): Promise<void> {
    const next = this.#index.then(async () => {
      if ((await this.store.get(legacySecretKey(instanceId))) === undefined) return;
      await this.store.delete(legacySecretKey(instanceId));
      const ids = (await this.#readJson(LEGACY_INDEX_KEY)).filter((id) => id !== instanceId);
      if (ids.length === 0) await this.store.delete(LEGACY_INDEX_KEY);
      else await this.store.store(LEGACY_INDEX_KEY, JSON.stringify(ids));
      this.log.info(`Deleted the password an earlier version saved for SQL instance ${instanceId} (by instance id).`);
    });
    this.#index = next.catch(() => undefined);
    return next.then(() => this.#changed());
  }

  async #readJson(key: string): Promise<unknown[]> {
    const text = await this.store.get(key);
    if (!text) return [];
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? (value as unknown[]) : [];
    } catch {
      return [];
    }
  }

  async #readIndex(): Promise<SecretTarget[]> {
    return (await this.#readJson(SECRET_INDEX_KEY)).filter(isSecretTarget);
  }

  #updateIndex(update: (targets: SecretTarget[]) => SecretTarget[]): Promise<void> {
    const next = this.#index.then(async () => {
      const updated = update(await this.#readIndex());
      if (updated.length === 0) await this.store.delete(SECRET_INDEX_KEY);
      else await this.store.store(SECRET_INDEX_KEY, JSON.stringify(updated));
    });
    this.#index = next.catch(() => undefined);
    return next;
  }
}

function isSecretTarget(value: unknown): value is SecretTarget {
  const t = value as Partial<Record<keyof SecretTarget, unknown>> | null;
  return (
    typeof t === 'object' && t !== null &&
    typeof t.estate === 'string' && typeof t.instanceId === 'string' && typeof t.host === 'string' && typeof t.login === 'string' &&
    (t.instance === undefined || typeof t.instance === 'string') && (t.port === undefined || typeof t.port === 'number')
  );
}
