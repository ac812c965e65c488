// @ts-check
// Drives the real VS Code workbench served by code-server, through its DOM as a user would:
// Quick Open, the command palette, quick picks, the activity bar, tree rows, the Problems panel,
// code lenses, webviews, modal dialogs, notifications and the status bar. Every wait is on UI
// state (locator.waitFor or polling a DOM condition until a deadline) — never a fixed sleep.
import fs from 'node:fs';
import path from 'node:path';

/** Default deadline of one UI wait. */
export const UI_TIMEOUT_MS = 30_000;

/** The status bar item of the active runbook (`REHEARSAL PC Failover 3/8`); its aria-label lists every step. */
const RUNBOOK_PROGRESS_ID = 'lync-recovery.lync-recovery.lyncRecovery.runbookProgress';

/**
 * Re-evaluates `fn` until it returns a truthy value (which it resolves with) or the deadline
 * passes; like Playwright Test's expect.poll, for conditions that span several elements.
 * @template T
 * @param {() => Promise<T> | T} fn
 * @param {{ timeout?: number, interval?: number, message?: string | (() => string | Promise<string>) }} [options]
 * @returns {Promise<NonNullable<T>>}
 */
export async function poll(fn, options = {}) {
  const deadline = Date.now() + (options.timeout ?? UI_TIMEOUT_MS);
  const interval = options.interval ?? 100;
  /** @type {unknown} */
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return /** @type {NonNullable<T>} */ (value);
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const what = typeof options.message === 'function' ? await options.message() : options.message ?? 'condition';
      throw new Error(`timed out after ${options.timeout ?? UI_TIMEOUT_MS} ms waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : lastError})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** @param {boolean} condition @param {string} message @returns {asserts condition} */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * @typedef {object} TreeRow
 * @property {number} level        aria-level (1 = top)
 * @property {string} label
 * @property {string} description
 * @property {boolean | undefined} expanded
 * @property {string[]} path       labels of the ancestors and the row itself
 */

/**
 * @typedef {object} Dialog
 * @property {'destructive' | 'checkpoint' | 'override' | 'interrupted' | 'other'} kind
 * @property {string} title
 * @property {string} text        title and detail, as shown
 */

/**
 * @typedef {object} RunOptions
 * @property {(aria: string) => boolean} until  the run is over when the runbook's status bar item says so
 * @property {number} [timeout]
 * @property {(dialog: Dialog) => Promise<string | undefined> | string | undefined} [answer]
 *   which button to press; default: Run (destructive), Confirm (checkpoint); undefined = unexpected
 * @property {{ match: RegExp, then: (text: string) => Promise<void> }[]} [onProgress]
 *   called once each, the first time the run's progress notification matches
 */

export class Workbench {
  /**
   * @param {import('playwright-core').Page} page
   * @param {{ shotsDir: string, log: (message: string) => void }} options
   */
  constructor(page, options) {
    this.page = page;
    this.shotsDir = options.shotsDir;
    this.log = options.log;
  }

  /** The workbench has loaded the workspace and the extension is active (its target in the status bar). */
  async ready() {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // "Lync: LIVE", or translated ("Lync : PRODUCTION", "Lync：生产").
    await this.page.locator('.statusbar-item', { hasText: /Lync\s?[:：]/ }).first().waitFor({ timeout: 60_000 });
  }

  /** @param {string} file  a PNG under the shots folder */
  async screenshot(file) {
    const target = path.join(this.shotsDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Keep hovers and the mouse's highlight out of the picture unless a step wants them.
    await this.page.screenshot({ path: target });
    return target;
  }

  get quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits for its tab to be active. @param {string} name */
  async openFile(name) {
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(name);
    await this.quickInput.locator('.monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * Runs a command from the palette (F1) by its full title, e.g. "Lync: Export Recovery Report".
   * Resolves once the palette has closed or, with `opens`, once the quick pick the command opens
   * (by its title) is shown: the same widget then closes and opens again, too fast to wait on.
   * @param {string} title
   * @param {{ opens?: string }} [options]
   */
  async runCommand(title, options = {}) {
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: title }) }).first();
    await row.waitFor();
    await poll(async () => (await this.quickInput.locator('.monaco-list-row.focused').first().innerText()).includes(title), { message: `"${title}" focused in the palette` });
    await this.page.keyboard.press('Enter');
    if (options.opens === undefined) {
      await this.quickInput.waitFor({ state: 'hidden' });
      return;
    }
    const opens = options.opens;
    await poll(async () => (await this.quickInputTitle()) === opens, { message: async () => `the quick pick "${opens}" after "${title}" (shown: ${JSON.stringify(await this.quickInputTitle())})` });
  }

  /** The title of the quick input shown, or undefined when none is. */
  async quickInputTitle() {
    if (!(await this.quickInput.isVisible().catch(() => false))) return undefined;
    return (await this.quickInput.locator('.quick-input-title').innerText({ timeout: 1000 }).catch(() => '')).trim();
  }

  /**
   * Picks the item labelled `label` in the quick pick shown: types it as the filter, waits for
   * that row to be focused, presses Enter, and waits for the pick to close (or another to open).
   * Resolves with the item's description.
   * @param {string} label
   */
  async pickQuickItem(label) {
    const input = this.quickInput.locator('input');
    await input.waitFor();
    const title = await this.quickInputTitle();
    await input.fill(label);
    const focused = this.quickInput.locator('.monaco-list-row.focused').first();
    await poll(async () => (await focused.locator('.label-name').first().innerText({ timeout: 1000 })).trim() === label, {
      message: async () => `"${label}" focused in the quick pick "${title}" (rows: ${JSON.stringify(await this.quickInput.locator('.monaco-list-row').allInnerTexts())})`,
    });
    const description = (await focused.locator('.label-description').first().innerText({ timeout: 1000 }).catch(() => '')).trim();
    await this.page.keyboard.press('Enter');
    await poll(async () => (await this.quickInputTitle()) !== title, { message: `the quick pick "${title}" to close after picking ${label}` });
    return description;
  }

  // ── The Lync view ────────────────────────────────────────────────────────────────────────

  /** The Estate view's rows (the Lync Recovery container has this one view). */
  get treeRowLocator() {
    return this.page.locator('.part.sidebar .pane-body .monaco-list-row');
  }

  async openLyncView() {
    const tab = this.page.locator('.activitybar .action-item a[aria-label^="Lync Recovery"]');
    await tab.waitFor();
    if ((await tab.getAttribute('aria-expanded')) !== 'true' && !(await this.page.locator('.part.sidebar .composite.title', { hasText: /Lync Recovery/i }).isVisible())) await tab.click();
    await this.page.locator('.part.sidebar .composite.title', { hasText: /Lync Recovery/i }).waitFor();
    await this.treeRowLocator.first().waitFor();
  }

  /** Drags the side bar's edge so the tree's descriptions fit. @param {number} width */
  async widenSidebar(width) {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const x = box.x + box.width - 1;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
    await this.page.mouse.move(box.x + width + 400, y + 300);
    await poll(async () => ((await this.page.locator('.part.sidebar').boundingBox())?.width ?? 0) >= width - 10, { message: `the side bar ${width} px wide` });
  }

  /** @returns {Promise<TreeRow[]>} the rows shown, in order, with their ancestors' labels */
  async treeRows() {
    const raw = await this.treeRowLocator.evaluateAll((rows) => rows.map((row) => ({
      level: Number(row.getAttribute('aria-level')),
      expanded: row.getAttribute('aria-expanded'),
      label: row.querySelector('.label-name')?.textContent ?? '',
      description: row.querySelector('.label-description')?.textContent ?? '',
    })));
    /** @type {string[]} */
    const stack = [];
    return raw.map((r) => {
      stack.length = r.level - 1;
      stack.push(r.label);
      return { level: r.level, label: r.label, description: r.description, expanded: r.expanded === null ? undefined : r.expanded === 'true', path: [...stack] };
    });
  }

  /** @param {TreeRow[]} rows */
  static renderTree(rows) {
    return rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}${r.description ? `  — ${r.description}` : ''}`).join('\n');
  }

  /** The row whose label starts with `label`. @param {string} label */
  treeRow(label) {
    return this.treeRowLocator.filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
  }

  /** Expands a collapsed row and waits for its children. @param {string} label */
  async expandTreeRow(label) {
    const row = this.treeRow(label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await poll(async () => (await row.getAttribute('aria-expanded')) === 'true', { message: `${label} expanded` });
  }

  /**
   * Waits until a row (found by `where` on the rows with their ancestry) has a description
   * matching `description`; resolves with it.
   * @param {string} what  for the error message
   * @param {(row: TreeRow) => boolean} where
   * @param {RegExp} description
   * @param {number} [timeout]
   */
  async waitForTreeRow(what, where, description, timeout = UI_TIMEOUT_MS) {
    /** @type {TreeRow[]} */
    let rows = [];
    return poll(async () => {
      rows = await this.treeRows();
      const row = rows.find(where);
      return row && description.test(row.description) ? row : undefined;
    }, { timeout, message: () => `${what} to match ${description}; the tree shows:\n${Workbench.renderTree(rows)}` });
  }

  /** Clicks a view title action of the Lync view (they show on hover). @param {string} label */
  async clickViewAction(label) {
    await this.page.locator('.part.sidebar .composite.title').hover();
    const action = this.page.locator(`.part.sidebar .title-actions .action-label[aria-label="${label}"]`);
    await action.waitFor();
    await action.click();
  }

  // ── Webviews (the Markdown preview, …) ──────────────────────────────────────────────────

  /**
   * Waits until a webview shown in the workbench (a frame of the page) has a text matching
   * `match`; resolves with that text. Webviews load on their own: their content shows late.
   * @param {RegExp} match
   * @param {number} [timeout]
   */
  async waitForWebviewText(match, timeout = UI_TIMEOUT_MS) {
    /** @type {string[]} */
    let seen = [];
    return poll(async () => {
      seen = [];
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        const text = await frame.locator('body').innerText({ timeout: 1000 }).catch(() => '');
        if (match.test(text)) return text;
        if (text.trim()) seen.push(text.replace(/\s+/g, ' ').slice(0, 80));
      }
      return undefined;
    }, { timeout, message: () => `a webview showing ${match}; webviews show: ${JSON.stringify(seen)}` });
  }

  // ── Problems panel ───────────────────────────────────────────────────────────────────────

  async openProblems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
  }

  /** The Problems panel's marker rows (not the file rows). */
  get problemRows() {
    return this.page.locator('.markers-panel .monaco-list-row').filter({ has: this.page.locator('.marker-message-details, .marker-code, .marker-source') });
  }

  // ── Editor, code lenses ──────────────────────────────────────────────────────────────────

  /** The code lens line above a heading of the active editor. @param {string} heading  text of the heading line */
  async lensAbove(heading) {
    const line = this.page.locator('.editor-instance .view-line', { hasText: heading }).first();
    await line.waitFor();
    const top = (await line.boundingBox())?.y ?? 0;
    const lenses = this.page.locator('.editor-instance .codelens-decoration');
    const tops = await lenses.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().y));
    let best = -1;
    tops.forEach((y, i) => { if (y < top && (best < 0 || y > tops[best])) best = i; });
    check(best >= 0, `no code lens above "${heading}"`);
    return lenses.nth(best);
  }

  /** The status bar item of the active runbook. */
  get runbookStatus() {
    return this.page.locator(`[id="${RUNBOOK_PROGRESS_ID}"]`);
  }

  async runbookStatusAria() {
    return (await this.runbookStatus.getAttribute('aria-label', { timeout: 10_000 })) ?? '';
  }

  /** The modal dialog shown and not answered yet (answered ones are marked until they are gone). */
  get dialog() {
    return this.page.locator('.monaco-dialog-box:not([data-e2e-answered])');
  }

  /** @returns {Promise<Dialog | undefined>} the modal dialog shown, if any */
  async currentDialog() {
    const box = this.dialog.first();
    if (!(await box.isVisible().catch(() => false))) return undefined;
    // It may close while it is read: short timeouts, and an empty text then.
    const title = ((await box.locator('.dialog-message-text').innerText({ timeout: 1000 }).catch(() => '')) || '').trim();
    const detail = ((await box.locator('.dialog-message-detail').innerText({ timeout: 1000 }).catch(() => '')) || '').trim();
    if (!title) return undefined;
    const kind = /sends a destructive command/.test(title) ? 'destructive'
      : /confirm before going on/.test(title) ? 'checkpoint'
        : /does not hold/.test(title) ? 'override'
          : /was interrupted/.test(title) ? 'interrupted' : 'other';
    return { kind, title, text: `${title}\n${detail}` };
  }

  /** Whether the modal dialog shown fits the window (its buttons can be clicked). */
  async dialogFits() {
    const box = await this.dialog.first().boundingBox();
    const viewport = this.page.viewportSize();
    return !!box && !!viewport && box.y >= 0 && box.x >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
  }

  /** The text of the run's progress notification (a toast with a Cancel button), if shown. */
  async progressToast() {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { has: this.page.locator('.monaco-button', { hasText: 'Cancel' }) }).first();
    if (!(await toast.isVisible().catch(() => false))) return undefined;
    return (await toast.innerText({ timeout: 1000 }).catch(() => '')).replace(/\s+/g, ' ') || undefined;
  }

  /**
   * Waits for a notification toast whose text matches; resolves with its text (whitespace folded).
   * @param {RegExp} match
   * @param {number} [timeout]
   */
  async waitForNotification(match, timeout = UI_TIMEOUT_MS) {
    /** @type {string[]} */
    let shown = [];
    return poll(async () => {
      shown = (await this.page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      return shown.find((t) => match.test(t));
    }, { timeout, message: () => `a notification matching ${match}; shown: ${JSON.stringify(shown)}` });
  }

  /** Error notifications shown (toasts with the error icon). */
  async errorToasts() {
    return this.page.locator('.notifications-toasts .notification-toast', { has: this.page.locator('.codicon-error') }).allInnerTexts();
  }

  /**
   * Clicks a code lens (or anything that starts a run), makes sure the click started something —
   * a lens re-rendered under the pointer swallows a click — then answers the modal dialogs until
   * the runbook's status bar item says the run is over. Resolves with the dialogs answered.
   * @param {() => Promise<void>} start
   * @param {RunOptions} options
   * @returns {Promise<Dialog[]>}
   */
  async run(start, options) {
    const before = await this.runbookStatusAria();
    const started = async () => !!(await this.currentDialog())
      || (await this.runbookStatus.locator('.codicon-modifier-spin').count()) > 0
      || (await this.runbookStatusAria()) !== before;
    for (let attempt = 1; ; attempt++) {
      await start();
      try {
        await poll(started, { timeout: 5000, message: 'the run to start' });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        this.log(`the click did not start the run (attempt ${attempt}); again`);
      }
    }
    /** @type {Dialog[]} */
    const answered = [];
    const pending = [...(options.onProgress ?? [])];
    const deadline = Date.now() + (options.timeout ?? 120_000);
    for (;;) {
      check(Date.now() < deadline, `the run did not finish within ${options.timeout ?? 120_000} ms; status: ${await this.runbookStatusAria()}`);
      const dialog = await this.currentDialog();
      if (dialog) {
        const button = options.answer ? await options.answer(dialog) : dialog.kind === 'destructive' ? 'Run' : dialog.kind === 'checkpoint' ? 'Confirm' : undefined;
        check(!!button, `unexpected dialog: ${dialog.text}`);
        this.log(`dialog (${dialog.kind}): ${dialog.title} → ${button}`);
        answered.push(dialog);
        // This very element is answered (and marked so): the next dialog, even with the same
        // text, is a new element.
        const box = await this.dialog.first().elementHandle({ timeout: 5000 });
        check(!!box, `the dialog "${dialog.title}" went away before it was answered`);
        /** @type {import('playwright-core').ElementHandle | undefined} */
        let target;
        for (const b of await box.$$('.dialog-buttons .monaco-button')) if ((await b.innerText()).trim() === button) target = b;
        check(!!target, `no button "${button}" in the dialog "${dialog.title}"`);
        await box.evaluate((el) => el.setAttribute('data-e2e-answered', ''));
        await target.click();
        continue;
      }
      if (pending.length > 0) {
        const toast = await this.progressToast();
        for (const p of [...pending]) {
          if (toast && p.match.test(toast)) {
            pending.splice(pending.indexOf(p), 1);
            await p.then(toast);
          }
        }
      }
      const aria = await this.runbookStatusAria();
      if (/— (failed|interrupted)/.test(aria)) {
        throw new Error(`the run failed: ${aria}\nnotifications: ${(await this.errorToasts()).join(' | ').replace(/\s+/g, ' ')}`);
      }
      const spinning = (await this.runbookStatus.locator('.codicon-modifier-spin').count()) > 0;
      if (!spinning && options.until(aria) && !(await this.progressToast())) return answered;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
