// @ts-check
// (7) The workbench in French (code-server --locale fr): the Lync view, a runbook diagnostic and a
// step's confirmation dialog come from Lync Recovery's French bundles, with the vocabulary of
// Microsoft's French Lync pages. VS Code itself stays English (a stub language pack: see
// ../language-pack.mjs), so every French text checked here is the extension's.
import fs from 'node:fs';
import path from 'node:path';
import { check, poll } from '../workbench.mjs';

const RUNBOOK = 'persistent-chat-failover.runbook.md';

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'in French: the Lync view, a diagnostic and a step dialog',
  lab: 'pchat-dc-loss',
  locale: 'fr',
  async run({ wb, page, server, pristine, shot }) {
    check((await page.locator('.statusbar-item', { hasText: 'Lync : RÉPÉTITION' }).count()) === 1, 'the status bar says Lync : RÉPÉTITION');

    // The view: its name and a row of the tree.
    await wb.openLyncView();
    await wb.widenSidebar(460);
    // One view in the container: its header is hidden, its name is in the header's label.
    await page.locator('.part.sidebar .pane-header[aria-label^="Parc "]').first().waitFor({ state: 'attached' });
    await wb.waitForTreeRow('the Persistent Chat pool', (r) => r.label === 'atl-gc-001.litwareinc.com', /^Atlanta \+ Dallas · /);
    await wb.expandTreeRow('atl-gc-001.litwareinc.com');
    await wb.waitForTreeRow('the databases of the pool, in French', (r) => r.label === 'Bases de données', /.*/);

    // A diagnostic: the rule's line in French, before the detail.
    const file = path.join(server.workspace, RUNBOOK);
    const original = pristine(RUNBOOK);
    fs.writeFileSync(file, original.replace(' -PoolState FailedOver', ''));
    await wb.openFile(RUNBOOK);
    await wb.openProblems();
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'pool-state-missing' });
    await problem.waitFor();
    const text = (await problem.innerText()).replace(/\s+/g, ' ');
    check(/Set-CsPersistentChatState` sans `-PoolState` : le paramètre est facultatif/.test(text), `the problem in French: ${text}`);
    await shot('french-diagnostic');

    // A step's dialog: the runbook repaired, "Exécuter le reste" runs step 1 (it reads only) and
    // asks before step 2's destructive command, in French; the dialog is declined.
    fs.writeFileSync(file, original);
    await poll(async () => (await page.locator('.markers-panel .monaco-list-row', { hasText: 'pool-state-missing' }).count()) === 0, { message: 'the problem gone once the runbook is repaired' });
    // The title lens comes back with the repaired runbook's steps a moment after its problem goes:
    // wait for it to show, rather than look once.
    const title = page.locator('.editor-instance .codelens-decoration', { hasText: /Exécuter le reste/ }).first();
    await title.waitFor();
    await title.locator('a', { hasText: /Exécuter le reste/ }).click();
    const dialog = await poll(() => wb.currentDialog(), { timeout: 90_000, message: 'the step dialog' });
    check(/l’étape remove-log-shipping envoie une commande destructive à /.test(dialog.title), `the dialog in French: ${dialog.text}`);
    check(/Cible : [\s\S]*Commande exacte :[\s\S]*L’exécuter \?/.test(dialog.text), `the dialog's detail in French: ${dialog.text}`);
    await shot('french-step-dialog');
    await page.keyboard.press('Escape');
    await poll(async () => !(await wb.currentDialog()), { message: 'the dialog closed' });
  },
};
