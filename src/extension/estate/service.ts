/**
 * The workspace's estate: finds the file, loads it, and reloads it when it changes on disk, when
 * the setting or the workspace folders change. Loads run one at a time; file events are
 * debounced. `ready()` resolves once the load in progress (or about to start) has finished.
 */
import * as vscode from 'vscode';
import { describeError, type Logger } from '../log';
import { discoverEstate } from './discover';
import { ESTATE_DISCOVERY_GLOB, ESTATE_SETTING, isDiscoverableEstatePath } from './files';
import { loadEstate, type LoadedEstate } from './load';

export interface EstateState extends LoadedEstate {
  /** The estate file, when discovery found (or the setting names) one. */
  readonly uri?: vscode.Uri;
}

const DEBOUNCE_MS = 200;

export class EstateService implements vscode.Disposable {
  private state: EstateState = { view: { kind: 'searching' } };
  private readonly changed = new vscode.EventEmitter<EstateState>();
  /** Fires after every load, with the new state. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Watches a file the setting names outside the discovery pattern (`**\/lync-estate.{yaml,yml}`). */
  private extraWatcher?: { readonly uri: vscode.Uri; readonly disposable: vscode.Disposable };
  private tail: Promise<void> = Promise.resolve();
  private queued = false;
  private timer?: ReturnType<typeof setTimeout>;
  private scheduled?: { readonly promise: Promise<void>; readonly resolve: () => void };

  constructor(private readonly log: Logger) {
    const watcher = vscode.workspace.createFileSystemWatcher(ESTATE_DISCOVERY_GLOB);
    this.disposables.push(
      watcher,
      ...this.watch(watcher),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(ESTATE_SETTING)) this.scheduleReload('setting changed');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload('workspace folders changed')),
      // In Restricted Mode the workspace's value of the setting is ignored; trust brings it back.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleReload('workspace trusted')),
    );
  }

  get current(): EstateState {
    return this.state;
  }

  /** Resolves once the current or pending load has finished. */
  ready(): Promise<void> {
    return this.scheduled?.promise ?? this.tail;
  }

  /** Finds and loads the estate now (after any load in progress). */
  reload(): Promise<void> {
    if (!this.queued) {
      this.queued = true;
      this.tail = this.tail.then(async () => {
        this.queued = false;
        await this.loadOnce();
      });
    }
    return this.tail;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.scheduled?.resolve();
    this.extraWatcher?.disposable.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private watch(watcher: vscode.FileSystemWatcher): vscode.Disposable[] {
    const on = (what: string) => (uri: vscode.Uri) => this.scheduleReload(`${uri.toString()} ${what}`);
    return [watcher.onDidCreate(on('created')), watcher.onDidChange(on('changed')), watcher.onDidDelete(on('deleted'))];
  }

  private scheduleReload(reason: string): void {
    this.log.debug(`Estate reload scheduled: ${reason}`);
    clearTimeout(this.timer);
    if (!this.scheduled) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      this.scheduled = { promise, resolve };
    }
    this.timer = setTimeout(() => {
      const scheduled = this.scheduled;
      this.scheduled = undefined;
      this.timer = undefined;
      void this.reload().then(() => scheduled?.resolve());
    }, DEBOUNCE_MS);
  }

  /** Never rejects: a failure becomes the state the view shows. */
  private async loadOnce(): Promise<void> {
    let next: EstateState;
    try {
      const found = await discoverEstate();
      if (!found) {
        next = { view: { kind: 'none' } };
      } else {
        next = { uri: found.uri, ...(await loadEstate(found.uri, this.log)) };
        this.watchNamedFile(found.uri);
      }
    } catch (error) {
      this.log.error('Estate discovery failed', error);
      next = { view: { kind: 'unreadable', message: vscode.l10n.t('The estate could not be found: {0}', describeError(error)) } };
    }
    this.state = next;
    this.changed.fire(next);
  }

  private watchNamedFile(uri: vscode.Uri): void {
    if (this.extraWatcher?.uri.toString() === uri.toString()) return;
    this.extraWatcher?.disposable.dispose();
    this.extraWatcher = undefined;
    const covered = isDiscoverableEstatePath(uri.path) && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
    if (covered) return;
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), name));
    this.extraWatcher = { uri, disposable: vscode.Disposable.from(watcher, ...this.watch(watcher)) };
  }
}
