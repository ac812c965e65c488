/**
 * Helpers for the extension-host tests: activation, walking a tree provider the way the view
 * does, and waiting on events with a deadline (never fixed sleeps).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LyncRecoveryApi } from '../../../src/extension/api';

export const EXTENSION_ID = 'lync-recovery.lync-recovery';

/** The commands and view the extension is specified to contribute. */
export const ESTATE_COMMANDS = [
  'lyncRecovery.importTopology',
  'lyncRecovery.openEstate',
  'lyncRecovery.refreshEstate',
  'lyncRecovery.openSampleEstate',
] as const;
export const ESTATE_VIEW = { container: 'lyncRecovery', id: 'lyncRecovery.estate' } as const;

/** How long a test waits for the extension to react before it fails with a description. */
export const REACTION_TIMEOUT_MS = 15_000;

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension<unknown>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded; extensions: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  return ext;
}

/** What the manifest (package.json) of the extension under test says. */
export interface Manifest {
  readonly engines?: { readonly vscode?: string };
  readonly contributes?: {
    readonly commands?: readonly { readonly command: string }[];
    readonly viewsContainers?: Readonly<Record<string, readonly { readonly id: string }[]>>;
    readonly views?: Readonly<Record<string, readonly { readonly id: string }[]>>;
  };
}

export function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

export function assertIsApi(api: unknown): asserts api is LyncRecoveryApi {
  assert.ok(api && typeof api === 'object', `activate() returned ${String(api)}, not the LyncRecoveryApi`);
  const { estateTree, estateReady } = api as Partial<LyncRecoveryApi>;
  assert.equal(typeof estateReady, 'function', 'api.estateReady is a function');
  assert.ok(estateTree && typeof estateTree === 'object', 'api.estateTree is a TreeDataProvider');
  assert.equal(typeof estateTree.getTreeItem, 'function', 'api.estateTree.getTreeItem is a function');
  assert.equal(typeof estateTree.getChildren, 'function', 'api.estateTree.getChildren is a function');
}

/** Activates the extension (idempotent) and returns its API, checked for shape. */
export async function activateApi(): Promise<LyncRecoveryApi> {
  const api = await extension().activate();
  assertIsApi(api);
  return api;
}

/** One row of a tree as the view would show it. */
export interface TreeRow {
  readonly depth: number;
  /** Labels from the root down to this row. */
  readonly path: readonly string[];
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
  readonly item: vscode.TreeItem;
}

function labelText(label: string | vscode.TreeItemLabel | undefined): string {
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/**
 * Walks a tree provider depth first, expanding every collapsible row (as a user expanding all
 * would), up to `maxDepth` levels and `maxRows` rows.
 */
export async function walkTree(
  provider: vscode.TreeDataProvider<unknown>,
  { maxDepth = 8, maxRows = 5_000 } = {},
): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  const visit = async (element: unknown, depth: number, parents: readonly string[]): Promise<void> => {
    const children = (await provider.getChildren(element)) ?? [];
    for (const child of children) {
      if (rows.length >= maxRows) return;
      const item = await provider.getTreeItem(child);
      const label = labelText(item.label);
      const path = [...parents, label];
      rows.push({
        depth,
        path,
        label,
        description: typeof item.description === 'string' ? item.description : '',
        contextValue: item.contextValue ?? '',
        item,
      });
      if (depth + 1 < maxDepth && item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
        await visit(child, depth + 1, path);
      }
    }
  };
  await visit(undefined, 0, []);
  return rows;
}

/** The tree as indented text, for assertion messages. */
export function renderTree(rows: readonly TreeRow[]): string {
  if (rows.length === 0) return '  (empty)';
  return rows.map((r) => `${'  '.repeat(r.depth + 1)}${r.label}${r.description ? `  — ${r.description}` : ''}  [${r.contextValue}]`).join('\n');
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `label` contains `text` as a whole word (`mgc` matches "mgc", not "mgccomp"). */
export function labelHas(label: string, text: string): boolean {
  return new RegExp(`(^|[^\\w-])${escapeRegExp(text)}($|[^\\w-])`, 'i').test(label);
}

/**
 * An error row: the view's contract is `contextValue` facets (`problem;severity=error;…` or
 * `unreadable;`), and the `error` codicon.
 */
export function isErrorRow(row: TreeRow): boolean {
  const icon = row.item.iconPath;
  return /(^|;)severity=error;/.test(row.contextValue)
    || row.contextValue.startsWith('unreadable;')
    || (icon instanceof vscode.ThemeIcon && icon.id === 'error');
}

/** Rejects with `what` once `deadline` (ms since epoch) passes. */
export function beforeDeadline<T>(promise: Thenable<T>, deadline: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what()}`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Counts an event's firings from construction on, so that a firing between two checks is never
 * missed: read `count`, check the state, then `await after(count, …)`.
 */
export class EventCounter implements vscode.Disposable {
  #count = 0;
  #waiters: (() => void)[] = [];
  readonly #subscription: vscode.Disposable;

  constructor(event: vscode.Event<unknown>) {
    this.#subscription = event(() => {
      this.#count++;
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  get count(): number {
    return this.#count;
  }

  /** Resolves once the event has fired more than `seen` times in all. */
  async after(seen: number, deadline: number, what: () => string): Promise<void> {
    while (this.#count <= seen) {
      await beforeDeadline(new Promise<void>((resolve) => this.#waiters.push(resolve)), deadline, what);
    }
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#waiters.length = 0;
  }
}

/**
 * Waits until the estate tree, walked after `estateReady()`, satisfies `accept`; re-checks on
 * every `onDidChangeTreeData`. Fails at the deadline with the last tree seen.
 */
export async function waitForEstateTree(
  api: LyncRecoveryApi,
  what: string,
  accept: (rows: readonly TreeRow[]) => boolean,
  timeoutMs = REACTION_TIMEOUT_MS,
): Promise<TreeRow[]> {
  const onChange = api.estateTree.onDidChangeTreeData;
  assert.ok(onChange, 'api.estateTree has an onDidChangeTreeData event');
  const changes = new EventCounter(onChange);
  const deadline = Date.now() + timeoutMs;
  let rows: TreeRow[] = [];
  const describe = () => `${what}; the tree was:\n${renderTree(rows)}`;
  try {
    for (;;) {
      const seen = changes.count;
      await beforeDeadline(api.estateReady(), deadline, () => `api.estateReady() (${what})`);
      rows = await walkTree(api.estateTree);
      if (accept(rows)) return rows;
      await changes.after(seen, deadline, describe);
    }
  } finally {
    changes.dispose();
  }
}
