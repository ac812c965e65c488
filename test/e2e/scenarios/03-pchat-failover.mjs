// @ts-check
// (3) The whole Persistent Chat failover rehearsed through the code lenses: "Run remaining",
// every destructive command and checkpoint confirmed in its modal dialog; then every step is
// done (lenses, gutter, status bar), the Estate view (refreshed) shows mgc ONLINE on the backup
// instance and the pool FailedOver, and the exported recovery report lists every action.
import fs from 'node:fs';
import path from 'node:path';
import { check, poll, Workbench } from '../workbench.mjs';

const RUNBOOK = 'persistent-chat-failover.runbook.md';
const STEPS = 8;

/** The lines of a runbook's action fences (powershell, sql, lync). @param {string} text */
function actionLines(text) {
  const lines = [];
  let inAction = false;
  for (const line of text.split('\n')) {
    if (/^```/.test(line)) {
      inAction = !inAction && /^```(powershell|sql|lync)\b/.test(line);
      continue;
    }
    if (inAction && line.trim() !== '') lines.push(line.trim());
  }
  return lines;
}

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'the Persistent Chat failover rehearsed through the code lenses, the tree updated, the report exported',
  lab: 'pchat-dc-loss',
  async run({ wb, page, server, pristine, shot }) {
    const file = path.join(server.workspace, RUNBOOK);
    const original = pristine(RUNBOOK);

    // Start from the sample runbook whatever scenario 2 left (it is skipped or failed: revert).
    await wb.openFile(RUNBOOK);
    if (await page.locator('.tab.active.dirty').count()) await wb.runCommand('File: Revert File');
    if (fs.readFileSync(file, 'utf8') !== original) fs.writeFileSync(file, original);
    await page.locator('.tab.active:not(.dirty)', { hasText: RUNBOOK }).waitFor();
    await page.keyboard.press('Control+Home');

    const title = page.locator('.editor-instance .codelens-decoration', { hasText: 'Run remaining' }).first();
    await poll(async () => /REHEARSAL: lab pchat-dc-loss.*Run remaining \(8 of 8\).*0\/8 done/s.test(await title.innerText()), { message: 'the title lens "REHEARSAL: lab pchat-dc-loss | ▶ Run remaining (8 of 8) | … | 0/8 done"' });
    check(/PC Failover 0\/8/.test(await wb.runbookStatus.innerText()), `status bar: ${await wb.runbookStatus.innerText()}`);

    let confirmShot = false;
    const dialogs = await wb.run(() => title.locator('a', { hasText: /Run remaining/ }).click(), {
      until: (aria) => new RegExp(`${STEPS} of ${STEPS} steps done`).test(aria),
      timeout: 150_000,
      answer: async (dialog) => {
        if (!confirmShot && dialog.kind === 'destructive') {
          confirmShot = true;
          await shot('run-confirm', { readme: true });
        }
        return dialog.kind === 'destructive' ? 'Run' : dialog.kind === 'checkpoint' ? 'Confirm' : undefined;
      },
      onProgress: [{ match: /Apply the log backups.*percent processed/, then: async () => { await shot('run-progress', { readme: true }); } }],
    });

    // Every destructive command of the runbook was shown, exactly, before it was sent.
    const destructive = dialogs.filter((d) => d.kind === 'destructive').map((d) => d.text);
    for (const command of [
      "EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';",
      'kill-sessions database=mgc on=backup',
      'recover-database database=mgc on=backup',
      'Set-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" -PoolState FailedOver',
      'Install-CsMirrorDatabase -DatabaseType PersistentChat',
      'Set-CsPersistentChatActiveServer -Identity "global"',
    ]) {
      check(destructive.some((t) => t.replace(/\s+/g, ' ').includes(command)), `a confirmation showed ${command}; dialogs:\n${dialogs.map((d) => d.text).join('\n---\n')}`);
    }
    check(dialogs.some((d) => d.kind === 'checkpoint' && d.text.includes('Persistent Chat clients sign in and rooms are readable')), 'the confirm "…" checkpoint asked the operator');
    check(dialogs.every((d) => d.title.startsWith('REHEARSAL')), 'every dialog is titled REHEARSAL');

    // Every step done: status bar, title lens, step lenses, gutter.
    const aria = await wb.runbookStatusAria();
    check((aria.match(/— done/g) ?? []).length === STEPS, `every step done in the status bar's list:\n${aria}`);
    check(/REHEARSAL PC Failover 8\/8/.test(await wb.runbookStatus.innerText()), `status bar: ${await wb.runbookStatus.innerText()}`);
    await page.keyboard.press('Control+Home');
    await poll(async () => /8\/8 done/.test(await page.locator('.editor-instance .codelens-decoration').first().innerText()), { message: 'the title lens "8/8 done"' });
    const stepLenses = await page.locator('.editor-instance .codelens-decoration').allInnerTexts();
    const visibleSteps = stepLenses.slice(1).filter((t) => t.trim() !== '');
    check(visibleSteps.length > 0 && visibleSteps.every((t) => /✓ done/.test(t)), `the step lenses say done: ${JSON.stringify(stepLenses)}`);
    const gutter = await page.locator('.editor-instance .cgmr').evaluateAll((els) => els.map((e) => e.ownerDocument.defaultView?.getComputedStyle(e).backgroundImage ?? ''));
    check(gutter.length > 0 && gutter.every((g) => g.includes('done.svg')), `the gutter shows done icons: ${JSON.stringify(gutter)}`);
    await shot('run-done', { readme: true });

    // The Estate view after Refresh Live Status.
    await wb.openLyncView();
    await wb.clickViewAction('Refresh Live Status');
    await wb.waitForTreeRow('the Persistent Chat pool', (r) => r.label === 'atl-gc-001.litwareinc.com', /· FailedOver$/);
    await wb.expandTreeRow('atl-gc-001.litwareinc.com');
    const store = (/** @type {string} */ db, /** @type {string} */ role) => (/** @type {import('../workbench.mjs').TreeRow} */ r) =>
      r.path.includes('atl-gc-001.litwareinc.com') && r.path[r.path.length - 2] === db && r.label.startsWith(`${role} — `);
    const backup = await wb.waitForTreeRow('mgc on the backup instance', store('mgc', 'backup'), /ONLINE/);
    check(backup.label === 'backup — dal-pcbak-001.litwareinc.com\\pchat', `backup row: ${backup.label}`);
    check(/principal/.test(backup.description), `mgc on the backup is the mirroring principal: ${backup.description}`);
    await wb.waitForTreeRow('mgc on the backup mirror', store('mgc', 'backup mirror'), /mirror/);
    wb.log(`tree after the failover:\n${Workbench.renderTree(await wb.treeRows())}`);
    await shot('estate-failed-over', { readme: true });

    // Export the report from the palette, save it, and read what it says.
    await page.locator('.tab', { hasText: RUNBOOK }).click();
    await page.locator('.tab.active', { hasText: RUNBOOK }).waitFor();
    await wb.runCommand('Lync: Export Recovery Report');
    await page.locator('.editor-instance .view-lines', { hasText: 'Recovery report — Fail over Persistent Chat from Atlanta to Dallas' }).waitFor();
    await shot('report', { readme: true });
    await page.keyboard.press('Control+S');
    // The Save As dialog (a quick input on the web) fills in its suggestion asynchronously:
    // replace it once it is there, and press Enter once the input holds the name.
    const input = wb.quickInput.locator('input');
    await input.waitFor();
    await poll(async () => (await input.inputValue()).startsWith(server.workspace), { message: 'the Save As suggestion in the workspace' });
    const reportFile = path.join(server.workspace, 'recovery-report.md');
    await input.fill(reportFile);
    await poll(async () => (await input.inputValue()) === reportFile, { message: `the Save As input to hold ${reportFile}` });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'recovery-report.md' }).waitFor();
    // The tab shows the file once the save was sent: wait for the write to land.
    const report = await poll(() => {
      const text = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : '';
      return text.includes('## Key output') ? text : undefined;
    }, { timeout: 10_000, message: `${reportFile} written` });
    check(report.includes('**REHEARSAL**') && report.includes('| Target | REHEARSAL: lab pchat-dc-loss |'), 'the report says REHEARSAL and the target');
    for (const heading of original.match(/^## .*$/gm) ?? []) {
      const stepTitle = heading.replace(/^## /, '').replace(/\s*\{#[^}]+\}$/, '');
      check(new RegExp(`^\\| ${stepTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\| completed \\|`, 'm').test(report), `the report's step table has "${stepTitle}" completed`);
    }
    for (const line of actionLines(original)) check(report.includes(line), `the report lists the action ${line}`);
  },
};
