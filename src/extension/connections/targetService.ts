/**
 * The connection target (LIVE or REHEARSAL) and its clients. Two disposal scopes: this service
 * lives as long as the extension; the clients (SQL pools, the shell process) live as long as the
 * target, the estate and the connection settings stay the same — any change disposes them and
 * the next read builds new ones.
 *
 * A rehearsal target comes from `LYNC_RECOVERY_LAB` (the path of a lab info JSON file, read at
 * start-up), from "Lync: Use Rehearsal Lab…", or from `useRehearsal(info)` (the Rehearse command,
 * tests).
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { KnownSecrets } from '../../core/recovery/redact';
import type { EstateService } from '../estate/service';
import { describeError, type Logger } from '../log';
import { createTargetClients, type TargetClients } from './clients';
import type { Credentials } from './credentials';
import { parseLiveSettings, parseShellSettings, parseSqlConnections, SETTING, type LiveSettings, type SettingProblem } from './settings';
import { describeTarget, LAB_ENV, LIVE, parseLabInfo, targetBadge, type Target } from './target';

const SETTINGS_THAT_RESET_CLIENTS = [SETTING.sqlConnections, 'lyncRecovery.shell', SETTING.liveTimeoutSeconds];

export class TargetService implements vscode.Disposable {
  #target: Target = LIVE;
  #clients?: TargetClients;
  readonly #changed = new vscode.EventEmitter<Target>();
  /** The target changed (LIVE ↔ REHEARSAL, or another lab). */
  readonly onDidChange = this.#changed.event;
  readonly #reset = new vscode.EventEmitter<void>();
  /** The clients were thrown away (target, estate or settings changed): readings made with them are stale. */
  readonly onDidResetClients = this.#reset.event;
  readonly #disposables: vscode.Disposable[] = [this.#changed, this.#reset];
  readonly #ready: Promise<void>;
  #reportedProblems = '';

  constructor(
    private readonly estate: EstateService,
    private readonly credentials: Credentials,
    private readonly log: Logger,
    /** Every password met (the live target's, each lab's): what no output may show. */
    readonly secrets: KnownSecrets,
  ) {
    this.#disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (SETTINGS_THAT_RESET_CLIENTS.some((s) => e.affectsConfiguration(s))) this.resetClients('connection settings changed');
      }),
      // Saved passwords stay: they are keyed by estate, host and login, and another estate (a
      // clone, an untrusted folder) not naming them says nothing about them.
      estate.onDidChange(() => this.resetClients('estate reloaded')),
    );
    this.#ready = this.#fromEnvironment();
  }

  /** Resolves once the start-up target (from `LYNC_RECOVERY_LAB`) is known. */
  ready(): Promise<void> {
    return this.#ready;
  }

  get current(): Target {
    return this.#target;
  }

  get badge(): 'LIVE' | 'REHEARSAL' {
    return targetBadge(this.#target);
  }

  /** Points every read at a running lab (its info JSON, as `npm run lab` prints it). */
  async useRehearsal(info: unknown, source = 'a lab started by Lync Recovery'): Promise<void> {
    const parsed = parseLabInfo(info);
    this.#set({ kind: 'rehearsal', info: parsed, source });
  }

  /** Reads a lab info JSON file and uses it. */
  async useRehearsalFile(file: string): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      throw new Error(vscode.l10n.t('Cannot read the lab info file {0}: {1}', file, describeError(error)));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(vscode.l10n.t('{0} is not JSON ({1}); expected what `npm run lab` prints.', file, describeError(error)));
    }
    try {
      await this.useRehearsal(json, file);
    } catch (error) {
      throw new Error(vscode.l10n.t('{0} is not a lab info file: {1}', file, describeError(error)));
    }
  }

  async useLive(): Promise<void> {
    this.#set(LIVE);
  }

  /** The settings of the live reads (timeout, auto-refresh). */
  liveSettings(): LiveSettings {
    const c = vscode.workspace.getConfiguration('lyncRecovery.live');
    return parseLiveSettings({ timeoutSeconds: c.get('timeoutSeconds'), autoRefreshSeconds: c.get('autoRefreshSeconds') });
  }

  /** Problems with the connection settings, as sentences. */
  settingProblems(): SettingProblem[] {
    return [...this.#sqlConnections().problems, ...this.#shellSettings().problems];
  }

  /** The current target's clients, built on first use after a change. */
  clients(): TargetClients {
    if (this.#clients) return this.#clients;
    const connections = this.#sqlConnections();
    const shell = this.#shellSettings();
    const problems = [...connections.problems, ...shell.problems].map((p) => p.message).join('\n');
    if (problems && problems !== this.#reportedProblems) this.log.warn(`Connection settings: ${problems}`);
    this.#reportedProblems = problems;
    const state = this.estate.current;
    this.#clients = createTargetClients({
      target: this.#target,
      estate: state.view.kind === 'loaded' ? state.view.estate : undefined,
      connections,
      shell: shell.settings,
      timeoutMs: this.liveSettings().timeoutMs,
      credentials: this.credentials,
      readFile: (path) => fs.readFile(path, 'utf8'),
      log: this.log,
      t: vscode.l10n.t,
    });
    return this.#clients;
  }

  /** Disposes the clients; the next read builds new ones. */
  resetClients(reason: string): void {
    const old = this.#clients;
    this.#clients = undefined;
    if (old) {
      this.log.debug(`Connections closed: ${reason}`);
      void old.dispose();
    }
    this.#reset.fire();
  }

  dispose(): void {
    void this.#clients?.dispose();
    this.#clients = undefined;
    for (const d of this.#disposables) d.dispose();
  }

  #set(target: Target): void {
    this.#target = target;
    if (target.kind === 'rehearsal') this.secrets.add(Object.values(target.info.instances).map((i) => i.password));
    this.credentials.clearPending();
    this.log.info(`Connection target: ${describeTarget(target)}`);
    this.resetClients('target changed');
    this.#changed.fire(target);
  }

  #sqlConnections() {
    return parseSqlConnections(vscode.workspace.getConfiguration().get<unknown>(SETTING.sqlConnections));
  }

  #shellSettings() {
    const c = vscode.workspace.getConfiguration('lyncRecovery.shell');
    return parseShellSettings({ executable: c.get('executable'), mode: c.get('mode'), module: c.get('module'), remoteUri: c.get('remoteUri'), prelude: c.get('prelude') });
  }

  async #fromEnvironment(): Promise<void> {
    const file = process.env[LAB_ENV];
    if (!file) return;
    try {
      await this.useRehearsalFile(file);
    } catch (error) {
      this.log.error(`${LAB_ENV} is set but cannot be used`, error);
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is set but cannot be used: {1}. Using the live estate.', LAB_ENV, describeError(error)));
    }
  }
}
