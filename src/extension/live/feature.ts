/**
 * Live status in the Estate view: reads through the current target's clients, decorates pool
 * and store rows, refreshes one row (inline action) or all (view title), and auto-refreshes
 * while the view is visible (`lyncRecovery.live.autoRefreshSeconds`). Nothing is read in an
 * untrusted workspace, nor while the view is hidden unless a refresh is asked for.
 */
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import type { TargetService } from '../connections/targetService';
import type { WorkspaceTrustGuard } from '../connections/trust';
import { SETTING } from '../connections/settings';
import type { EstateService } from '../estate/service';
import type { EstateNode } from '../estateTree/model';
import type { LiveDecorator } from '../estateTree/provider';
import type { EstateTreeView } from '../estateTree/view';
import type { Logger } from '../log';
import { livePlan, scopeOfRef, type LivePlan, type RefreshScope } from './plan';
import { LiveStatusService, type RefreshSummary } from './statusService';
import { liveDecoration, type LiveDecoration } from './viewModel';

export const LiveCommand = {
  refreshStatus: 'lyncRecovery.refreshStatus',
  refreshAllStatus: 'lyncRecovery.refreshAllStatus',
} as const;

export class LiveFeature implements vscode.Disposable, LiveDecorator {
  readonly service: LiveStatusService;
  readonly #changed = new vscode.EventEmitter<readonly string[] | undefined>();
  readonly onDidChange = this.#changed.event;
  readonly #disposables: vscode.Disposable[] = [this.#changed];
  #plan?: { readonly state: unknown; readonly plan: LivePlan | undefined };
  #timer?: ReturnType<typeof setInterval>;
  #autoRunning = false;
  #afterChange?: Promise<void>;
  #again = false;
  /** How long the last full refresh took (ms). */
  lastRefreshMs?: number;

  constructor(
    private readonly estate: EstateService,
    private readonly targets: TargetService,
    private readonly tree: EstateTreeView,
    private readonly trust: WorkspaceTrustGuard,
    private readonly log: Logger,
  ) {
    this.service = new LiveStatusService({
      clients: () => this.targets.clients(),
      plan: () => this.#currentPlan(),
      timeoutMs: () => this.targets.liveSettings().timeoutMs,
      log,
    });
    const subscription = this.service.onDidChange((keys) => this.#changed.fire(keys));
    this.#disposables.push(
      { dispose: () => subscription.dispose() },
      registerCommand(LiveCommand.refreshStatus, log, (node?: EstateNode) => this.#refreshCommand(node)),
      registerCommand(LiveCommand.refreshAllStatus, log, () => this.#refreshCommand(undefined)),
      // New clients (target, estate or settings changed): old readings no longer say anything.
      targets.onDidResetClients(() => {
        this.service.reset();
        this.#changed.fire(undefined);
        this.#readIfVisible();
      }),
      tree.view.onDidChangeVisibility(() => this.#readIfVisible()),
      trust.onDidGrant(() => this.#readIfVisible()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTING.liveAutoRefreshSeconds) || e.affectsConfiguration(SETTING.liveTimeoutSeconds)) this.#schedule();
      }),
    );
    tree.provider.setLiveDecorator(this);
    this.#schedule();
  }

  decorate(node: EstateNode): LiveDecoration | undefined {
    if (!node.live) return undefined;
    return liveDecoration(
      node.live,
      { sql: (id) => this.service.sqlEntry(id), pool: (fqdn) => this.service.poolEntry(fqdn) },
      { t: vscode.l10n.t, badge: this.targets.badge, formatTime: (ms) => new Date(ms).toLocaleTimeString() },
    );
  }

  /**
   * Reads the live status (all of it, or what one row shows). Rejects in an untrusted workspace.
   * `interactive`: may ask for missing passwords.
   */
  async refresh(options: { readonly node?: EstateNode; readonly nodeId?: string; readonly interactive?: boolean } = {}): Promise<RefreshSummary> {
    if (!this.trust.trusted) throw new Error(this.trust.explanation(vscode.l10n.t('read the live status')));
    await this.estate.ready();
    await this.targets.ready();
    let scope: RefreshScope | undefined;
    const node = options.node ?? (options.nodeId !== undefined ? this.#findNode(options.nodeId) : undefined);
    if (options.nodeId !== undefined && !node) throw new Error(vscode.l10n.t('No row {0} with a live status in the Estate view.', options.nodeId));
    if (node?.live) scope = scopeOfRef(node.live);
    const summary = await this.service.refresh(scope, { interactive: options.interactive ?? false });
    if (!scope) this.lastRefreshMs = summary.ms;
    return summary;
  }

  /**
   * After a step ran, marked or reopened: the view must not show the estate as it was before the
   * step. Reads without asking for passwords; changes while a read runs make one more read.
   */
  refreshAfterChange(): void {
    if (!this.trust.trusted || !this.#currentPlan()) return;
    if (this.#afterChange) {
      this.#again = true;
      return;
    }
    this.#afterChange = this.refresh()
      .then(
        () => undefined,
        (error: unknown) => this.log.warn(`Reading the live status after a step: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.#afterChange = undefined;
        if (this.#again) {
          this.#again = false;
          this.refreshAfterChange();
        }
      });
  }

  async #refreshCommand(node: EstateNode | undefined): Promise<void> {
    if (!this.trust.require(vscode.l10n.t('read the live status'))) return;
    if (node && !node.live) return;
    await this.refresh({ ...(node ? { node } : {}), interactive: true });
  }

  /** A row with that id among those the view was given (or reachable from the top level). */
  #findNode(id: string): EstateNode | undefined {
    const visit = (nodes: readonly EstateNode[]): EstateNode | undefined => {
      for (const n of nodes) {
        if (n.id === id) return n;
        if (n.collapsible !== 'none' && n.kind !== 'warnings') {
          const found = visit(this.tree.provider.getChildren(n));
          if (found) return found;
        }
      }
      return undefined;
    };
    return visit(this.tree.provider.getChildren());
  }

  #currentPlan(): LivePlan | undefined {
    const state = this.estate.current;
    if (this.#plan?.state !== state) {
      const estate = state.view.kind === 'loaded' ? state.view.estate : undefined;
      this.#plan = { state, plan: estate ? livePlan(estate) : undefined };
    }
    return this.#plan.plan;
  }

  /** The view was shown (or trust granted, or the target changed): read if nothing fresh is shown. */
  #readIfVisible(): void {
    if (!this.tree.view.visible || !this.trust.trusted || !this.#currentPlan()) return;
    const { autoRefreshMs } = this.targets.liveSettings();
    const last = this.service.lastReadAt;
    const stale = last === undefined || (autoRefreshMs > 0 && Date.now() - last >= autoRefreshMs);
    if (stale) void this.#background();
  }

  async #background(): Promise<void> {
    if (this.#autoRunning) return;
    this.#autoRunning = true;
    try {
      await this.refresh({ interactive: false });
    } catch (error) {
      this.log.debug(`Live status: background read skipped: ${String((error as Error).message ?? error)}`);
    } finally {
      this.#autoRunning = false;
    }
  }

  #schedule(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const { autoRefreshMs } = this.targets.liveSettings();
    if (autoRefreshMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.tree.view.visible && this.trust.trusted) void this.#background();
    }, autoRefreshMs);
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.tree.provider.setLiveDecorator(undefined);
    this.service.reset();
    for (const d of this.#disposables) d.dispose();
  }
}
