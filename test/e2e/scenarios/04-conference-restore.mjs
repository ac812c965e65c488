// @ts-check
// (4) Conference content restored with the Backup Service, against a lab started outside the
// editor (scenario pool-loss: atl-cs-001 is down and lost its conference content). The lost pool
// must answer again before its content can be copied back, so, as the procedure goes: the pool
// is failed over (pool-failover runbook, "Run remaining"), rebuilt (the lab's `rebuild`, as the
// administrator does before a failback), its users failed back ("Run step" on the failback's first
// step), then the conference-restore runbook runs
// with its progress notification showing the Backup Service wait, and ends completed.
import { check, poll } from '../workbench.mjs';

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'conference content restored with the Backup Service, its progress shown, ending completed',
  lab: 'pool-loss',
  async run({ wb, page, shot, lab }) {
    await wb.openLyncView();
    await wb.widenSidebar(460);
    await wb.waitForTreeRow('the lost Front End pool', (r) => r.label === 'atl-cs-001.litwareinc.com', /Atlanta · .*(error|down|does not answer)/);

    // 1. Fail atl-cs-001 over to dal-cs-001.
    await wb.openFile('pool-failover.runbook.md');
    const failoverTitle = page.locator('.editor-instance .codelens-decoration', { hasText: /Run remaining \(3 of 3\)/ }).first();
    await failoverTitle.waitFor();
    await wb.run(() => failoverTitle.locator('a', { hasText: /Run remaining/ }).click(), { until: (aria) => /3 of 3 steps done/.test(aria) });

    // 2. atl-cs-001 is rebuilt (Microsoft: fail back "after the pool that experienced the disaster is
    // back online"), then its users are failed back: the first step of the failback only, with its own lens.
    wb.log(`lab rebuild: ${(await lab.rebuild()).join('; ')}`);
    await wb.openFile('pool-failback.runbook.md');
    await page.locator('.editor-instance .codelens-decoration', { hasText: /Run remaining \(2 of 2\)/ }).first().waitFor();
    const failBack = await wb.lensAbove('## 1. Fail the users back');
    await wb.run(() => failBack.locator('a', { hasText: /Run step/ }).click(), { until: (aria) => /1\. Fail the users back — done/.test(aria) });
    check(/2\. Restore the conference content from the partner — not run/.test(await wb.runbookStatusAria()), 'Run step ran that step only');
    // The pool answers again: its Backup Service can be read.
    await wb.clickViewAction('Refresh Live Status');
    await wb.waitForTreeRow('the failed-back pool', (r) => r.label === 'atl-cs-001.litwareinc.com', /Backup Service: /);
    // Its conference content is still missing: the partner's DataConf export is not steady.
    await wb.waitForTreeRow('the partner pool', (r) => r.label === 'dal-cs-001.litwareinc.com', /Backup Service: NonSteadyState \(DataConf\)/);
    wb.log(`tree after the failback: ${JSON.stringify((await wb.treeRows()).filter((r) => r.level === 2).map((r) => `${r.label} ${r.description}`))}`);

    // 3. The conference restore, watched while the Backup Service syncs.
    await wb.openFile('conference-restore.runbook.md');
    const title = page.locator('.editor-instance .codelens-decoration', { hasText: /Run remaining \(3 of 3\)/ }).first();
    await title.waitFor();
    /** @type {string | undefined} */
    let progress;
    const dialogs = await wb.run(() => title.locator('a', { hasText: /Run remaining/ }).click(), {
      until: (aria) => /3 of 3 steps done/.test(aria),
      onProgress: [{
        match: /Wait until the module is steady: ConfServices\.DataConf on dal-cs-001\.litwareinc\.com: export NonSteadyState/,
        then: async (text) => {
          progress = text;
          await shot('conference-restore-progress', { readme: true });
        },
      }],
    });
    check(!!progress, 'the progress notification showed the Backup Service wait (export NonSteadyState)');
    wb.log(`progress notification: ${progress}`);
    check(dialogs.some((d) => d.kind === 'destructive' && d.text.includes('Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf')), 'the sync was confirmed with its exact command');
    const aria = await wb.runbookStatusAria();
    check((aria.match(/— done/g) ?? []).length === 3, `every step done:\n${aria}`);
    await poll(async () => /3\/3 done/.test(await page.locator('.editor-instance .codelens-decoration').first().innerText()), { message: 'the title lens "3/3 done"' });
    await shot('conference-restore-done');

    // The Backup Service of the partner is steady again.
    await wb.openLyncView();
    await wb.clickViewAction('Refresh Live Status');
    await wb.waitForTreeRow('the partner pool', (r) => r.label === 'dal-cs-001.litwareinc.com', /Backup Service: steady/);
  },
};
