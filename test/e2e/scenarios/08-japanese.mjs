// @ts-check
// (8) The workbench in Japanese (code-server --locale ja): the Lync view and a runbook diagnostic
// come from Lync Recovery's Japanese bundles (常設チャット, 環境); VS Code itself stays English
// (a stub language pack: see ../language-pack.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { check } from '../workbench.mjs';

const RUNBOOK = 'persistent-chat-failover.runbook.md';

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'in Japanese: the Lync view and a diagnostic',
  lab: 'pchat-dc-loss',
  locale: 'ja',
  async run({ wb, page, server, pristine, shot }) {
    check((await page.locator('.statusbar-item', { hasText: 'Lync: リハーサル' }).count()) === 1, 'the status bar says Lync: リハーサル');
    await wb.openLyncView();
    await wb.widenSidebar(460);
    await page.locator('.part.sidebar .pane-header[aria-label^="環境 "]').first().waitFor({ state: 'attached' });

    const file = path.join(server.workspace, RUNBOOK);
    fs.writeFileSync(file, pristine(RUNBOOK).replace(' -PoolState FailedOver', ''));
    await wb.openFile(RUNBOOK);
    await wb.openProblems();
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'pool-state-missing' });
    await problem.waitFor();
    const text = (await problem.innerText()).replace(/\s+/g, ' ');
    check(/`-PoolState` のない `Set-CsPersistentChatState`/.test(text), `the problem in Japanese: ${text}`);
    await shot('japanese-diagnostic');
  },
};
