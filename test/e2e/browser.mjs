// @ts-check
// Launches Debian's Chromium through playwright-core, offline and quiet (no component updates,
// no sync, no QUIC, no background networking). Playwright starts it in its own process group.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { childPids } from './processes.mjs';
import { chromiumPath, INSTALL_HINT } from './tooling.mjs';

/**
 * @typedef {object} LaunchedBrowser
 * @property {import('playwright-core').Browser} browser
 * @property {import('playwright-core').BrowserContext} context
 * @property {number | undefined} pid  the browser process, leader of its process group
 * @property {() => Promise<void>} close
 */

/** Throw-away folders of browsers not closed yet; removed if this process exits first. */
const liveHomes = new Set();
process.on('exit', () => {
  for (const home of liveHomes) fs.rmSync(home, { recursive: true, force: true });
});

/**
 * @param {{ viewport?: { width: number, height: number } }} [options]
 * @returns {Promise<LaunchedBrowser>}
 */
export async function launchChromium(options = {}) {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(`no Chromium found; run ${INSTALL_HINT} or set LYNC_CHROMIUM`);
  // Playwright spawns the browser as a direct child of this process (in its own process group)
  // but does not expose its pid on a launched Browser: take the child that appears.
  const before = new Set(childPids(process.pid));
  // Chromium keeps crash reports, dconf state and temp files in the user's folders and /tmp:
  // point them at a throw-away folder.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-chromium-'));
  liveHomes.add(home);
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    fs.rmSync(home, { recursive: true, force: true });
    liveHomes.delete(home);
  };
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      env: { ...process.env, TMPDIR: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
    const pid = childPids(process.pid).find((p) => !before.has(p));
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    return { browser, context, pid, close };
  } catch (e) {
    await close();
    throw e;
  }
}
