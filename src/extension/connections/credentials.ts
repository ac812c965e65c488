/**
 * SQL passwords: kept in the editor's secret storage (`context.secrets`, behind `SecretStore` so
 * tests use a map), one key per estate SQL instance id (`lyncRecovery.sql.<instanceId>`), with
 * an index of the ids that have one (SecretStorage cannot list its keys).
 *
 * A password typed at the prompt is only *pending* until a login with it succeeds; then it is
 * stored. A stored password that the server refuses is deleted, so the next explicit action asks
 * again. Passwords never reach a log line: messages name the instance id only.
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

export interface PasswordRequest {
  readonly instanceId: string;
  /** `user` or `DOMAIN\user`. */
  readonly account: string;
  /** Where the password is for (`server\instance`). */
  readonly where: string;
}

/** Asks the user; `undefined` = cancelled. */
export type PasswordPrompt = (request: PasswordRequest) => Promise<string | undefined>;

export const SECRET_PREFIX = 'lyncRecovery.sql.';
/** The index of saved ids; not a valid instance id key because of the `$`. */
export const SECRET_INDEX_KEY = 'lyncRecovery.sql.$saved';

export function secretKey(instanceId: string): string {
  return `${SECRET_PREFIX}${instanceId}`;
}

/** The saved ids whose instance is no longer in the estate. */
export function obsoleteSecrets(saved: readonly string[], estateInstanceIds: Iterable<string>): string[] {
  const keep = new Set(estateInstanceIds);
  return saved.filter((id) => !keep.has(id));
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
  /** Typed at the prompt, not yet accepted by a server. */
  readonly #pending = new Map<string, string>();
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
   * The password to log in with: pending, else saved, else (when `interactive`) asked for.
   * `undefined`: none saved and not asked, or the prompt was cancelled.
   */
  async password(request: PasswordRequest, interactive: boolean): Promise<string | undefined> {
    const password = await this.#password(request, interactive);
    if (password !== undefined) this.seen?.add([password]);
    return password;
  }

  async #password(request: PasswordRequest, interactive: boolean): Promise<string | undefined> {
    const pending = this.#pending.get(request.instanceId);
    if (pending !== undefined) return pending;
    const saved = await this.store.get(secretKey(request.instanceId));
    if (saved !== undefined) return saved;
    if (!interactive) return undefined;
    const asked = this.#prompts.then(async () => {
      // Another refresh may have asked for the same instance while this one waited.
      const again = this.#pending.get(request.instanceId) ?? (await this.store.get(secretKey(request.instanceId)));
      if (again !== undefined) return again;
      const typed = await this.#prompt(request);
      if (typed === undefined || typed === '') return undefined;
      this.#pending.set(request.instanceId, typed);
      return typed;
    });
    this.#prompts = asked.catch(() => undefined);
    return asked;
  }

  /** Whether a password is at hand without asking. */
  async has(instanceId: string): Promise<boolean> {
    return this.#pending.has(instanceId) || (await this.store.get(secretKey(instanceId))) !== undefined;
  }

  /** A login succeeded: a pending password becomes a saved one. */
  async accepted(instanceId: string): Promise<void> {
    const pending = this.#pending.get(instanceId);
    if (pending === undefined) return;
    this.#pending.delete(instanceId);
    await this.store.store(secretKey(instanceId), pending);
    await this.#updateIndex((ids) => (ids.includes(instanceId) ? ids : [...ids, instanceId].sort()));
    this.log.info(`Saved the password for SQL instance ${instanceId} in the secret storage.`);
    this.#changed();
  }

  /** The server refused the login: forget the password used, pending or saved. */
  async refused(instanceId: string): Promise<void> {
    if (this.#pending.delete(instanceId)) {
      this.log.warn(`The password typed for SQL instance ${instanceId} was refused; it was not saved.`);
      return;
    }
    if ((await this.store.get(secretKey(instanceId))) === undefined) return;
    await this.forget(instanceId);
    this.log.warn(`The saved password for SQL instance ${instanceId} was refused; it was deleted and will be asked for again.`);
  }

  /** Ids with a saved password. */
  async saved(): Promise<string[]> {
    await this.#index;
    return this.#readIndex();
  }

  async forget(instanceId: string): Promise<void> {
    this.#pending.delete(instanceId);
    await this.store.delete(secretKey(instanceId));
    await this.#updateIndex((ids) => ids.filter((id) => id !== instanceId));
    this.log.info(`Deleted the saved password for SQL instance ${instanceId}.`);
    this.#changed();
  }

  /** Deletes the passwords of instances that left the estate; returns their ids. */
  async keepOnly(estateInstanceIds: Iterable<string>): Promise<string[]> {
    const gone = obsoleteSecrets(await this.saved(), estateInstanceIds);
    for (const id of gone) await this.forget(id);
    if (gone.length > 0) this.log.info(`SQL instances left the estate; their saved passwords were deleted: ${gone.join(', ')}`);
    return gone;
  }

  /**
   * The passwords known for these instances (typed or saved), without asking: what a journal must
   * never write down (`FileJournalStore({ secrets })`). Never logged.
   */
  async known(instanceIds: Iterable<string>): Promise<string[]> {
    const found = new Set<string>();
    for (const id of instanceIds) {
      const password = this.#pending.get(id) ?? (await this.store.get(secretKey(id)));
      if (password) found.add(password);
    }
    return [...found];
  }

  /** Pending (typed, unverified) passwords are dropped, e.g. when the target changes. */
  clearPending(): void {
    this.#pending.clear();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  async #readIndex(): Promise<string[]> {
    const text = await this.store.get(SECRET_INDEX_KEY);
    if (!text) return [];
    try {
      const ids: unknown = JSON.parse(text);
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }

  #updateIndex(update: (ids: string[]) => string[]): Promise<void> {
    const next = this.#index.then(async () => {
      const ids = await this.#readIndex();
      const updated = update(ids);
      if (updated.length === 0) await this.store.delete(SECRET_INDEX_KEY);
      else await this.store.store(SECRET_INDEX_KEY, JSON.stringify(updated));
    });
    this.#index = next.catch(() => undefined);
    return next;
  }
}
