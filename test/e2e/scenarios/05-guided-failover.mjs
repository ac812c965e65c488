// @ts-check
// (5) The guided Persistent Chat failover, as an operator runs it from the command palette:
// "Lync: Fail Over Persistent Chat…" → the pool picked in the quick pick → the runbook rendered
// into .lync-recovery/runbooks/ and opened, the preflight report beside it → Start → for each of
// the 9 steps its confirmation (the exact commands and target) → Run Step → the step runs with
// its progress and is verified → the next; the checkpoint of the last step confirmed → the flow
// says every step is done. Then the status bar says 9/9 and the Estate view (refreshed) shows the
// pool FailedOver and mgc ONLINE on the backup instance.
//
// It needs a lab in scenario pchat-dc-loss that nothing failed over yet: run on its own, or after
// a scenario on another lab (the runner shares a lab between consecutive scenarios on the same one).
import fs from 'node:fs';
import path from 'node:path';
import { check, poll, Workbench } from '../workbench.mjs';

const COMMAND = 'Lync: Fail Over Persistent Chat…';
const PICK_TITLE = 'Which Persistent Chat pool fails over to its backup databases?';
const POOL = 'atl-gc-001.litwareinc.com';
const RUNBOOK = `persistent-chat-failover-${POOL}.runbook.md`;
const TITLE = `Fail over Persistent Chat pool ${POOL} to its backup databases`;
const TARGET = 'REHEARSAL: lab pchat-dc-loss';

/** The procedure's steps, in order, and what each one's confirmation shows (whitespace folded). */
const STEPS = [
  // The primary is down in this lab: the tail-log step says there is no tail to take (its T-SQL is checked in the preflight report below).
  { title: 'Back up the tail of the log if the primary still answers', shows: [] },
  { title: 'Capture the log-shipping state', shows: ["On backup dal-pcbak (dal-pcbak-001.litwareinc.com\\pchat): DECLARE @db sysname = N'mgc'; SELECT s.primary_server,", 'more lines: the preflight report has the whole text'] },
  { title: 'Remove log shipping from the backup database', shows: ["— DESTRUCTIVE: EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';"] },
  { title: 'Copy the remaining log backups', shows: ['from \\\\atl-fs-001.litwareinc.com\\pchat-logs to D:\\LogShipping\\mgc'] },
  { title: 'Apply the unapplied log backups', shows: ['more lines: the preflight report has the whole text', "RESTORE LOG [mgc] FROM DISK = N'D:\\LogShipping\\mgc\\{file}' WITH NORECOVERY;"] },
  { title: 'End the sessions and bring the backup database online', shows: ['— DESTRUCTIVE: DECLARE @db sysname', 'KILL {session_id};', '— DESTRUCTIVE: RESTORE DATABASE [mgc] WITH RECOVERY;'] },
  {
    title: 'Point the pool at its backup databases',
    shows: [`— DESTRUCTIVE: Set-CsPersistentChatState -Identity 'PersistentChatServer:${POOL}' -PoolState FailedOver`, `Verified after: Get-CsPersistentChatState shows PoolState FailedOver for PersistentChatServer:${POOL}`],
  },
  { title: 'Mirror the new primary database', shows: ['— DESTRUCTIVE: Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn', '— DESTRUCTIVE: Install-CsMirrorDatabase -DatabaseType PersistentChatCompliance -SqlServerFqdn'] },
  { title: 'Activate the Persistent Chat servers', shows: ["— DESTRUCTIVE: Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers $null", "— DESTRUCTIVE: Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers @{Add='dal-pc-001.litwareinc.com','dal-pc-002.litwareinc.com'}", 'Verified after: you confirm'] },
];

/** @param {string} text */
const fold = (text) => text.replace(/\s+/g, ' ').trim();

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'the guided Persistent Chat failover from the command palette: pool pick, preflight, each step confirmed and verified',
  lab: 'pchat-dc-loss',
  async run({ wb, page, server, shot }) {
    const file = path.join(server.workspace, '.lync-recovery', 'runbooks', RUNBOOK);
    check(!fs.existsSync(file), `${path.relative(server.workspace, file)} exists already: this scenario needs a fresh workspace and lab`);

    // The pool has not failed over yet (a lab another scenario failed over cannot be used).
    await wb.openLyncView();
    await wb.widenSidebar(460);
    await wb.waitForTreeRow('the Persistent Chat pool', (r) => r.label === POOL, /Atlanta \+ Dallas · 2 SQL instances down · atl-gc-001 not failed over · Normal$/);

    // The command, the pool quick pick.
    await wb.runCommand(COMMAND, { opens: PICK_TITLE });
    const picked = await wb.pickQuickItem(POOL);
    check(/^Atlanta\b/.test(picked), `the pool's site in the quick pick: ${picked}`);

    // The runbook rendered into the workspace and opened, the preflight report beside it, and the modal that starts the run.
    const start = await poll(async () => {
      const d = await wb.currentDialog();
      return d && d.title === `${TARGET} — ${TITLE}` ? d : undefined;
    }, { message: async () => `the guided run's Start dialog (shown: ${JSON.stringify(await wb.currentDialog())})` });
    check(/9 steps, 0 already done or skipped\./.test(start.text), `the Start dialog counts the steps: ${start.text}`);
    check(fs.existsSync(file), `the guided runbook ${path.relative(server.workspace, file)} was written`);
    // The runbook is the active editor (its lenses, gutter and status bar item show the run), the report beside it.
    await page.locator('.editor-group-container.active .tab.active', { hasText: RUNBOOK }).waitFor();
    check(/REHEARSAL PC Failover 0\/9/.test(await wb.runbookStatus.innerText()), `status bar: ${await wb.runbookStatus.innerText()}`);
    // The preflight report, rendered in the Markdown preview: every step, its commands, the destructive ones marked.
    const preflight = fold(await wb.waitForWebviewText(/Preflight — /));
    check(preflight.includes(`Preflight — ${TITLE}`) && preflight.includes(`Target: ${TARGET}`), `the preflight report's title and target: ${preflight.slice(0, 300)}`);
    STEPS.forEach(({ title }, i) => check(preflight.includes(`${i + 1}. ${title}`), `the preflight report lists step ${i + 1}. ${title}`));
    for (const { shows } of STEPS) {
      for (const text of shows.filter((x) => !/^Verified after|more lines/.test(x)).map((x) => x.replace(/^(On [^:]*|— DESTRUCTIVE): /, ''))) {
        check(preflight.includes(text), `the preflight report shows ${text}`);
      }
    }
    check(preflight.includes("BACKUP LOG [mgc] TO DISK = N'{log-shipping share}\\mgc_tail.trn' WITH NORECOVERY;"), 'the preflight report shows the tail-log backup');
    const marked = preflight.match(/destructive: asks first/g)?.length ?? 0;
    check(marked === 9, `the preflight report marks the 9 destructive commands (it marks ${marked})`);
    await shot('preflight');

    /** @type {number[]} */
    const stepsAsked = [];
    let confirmShot = false;
    const dialogs = await wb.run(async () => {}, {
      until: (aria) => /9 of 9 steps done/.test(aria),
      timeout: 150_000,
      answer: async (dialog) => {
        check(await wb.dialogFits(), `the dialog fits the window (its buttons can be clicked): ${dialog.title}`);
        if (dialog.title === start.title) return 'Start';
        const step = /^REHEARSAL — Step (\d+) of 9: (.*)$/.exec(dialog.title);
        if (step) {
          const n = Number(step[1]);
          const expected = STEPS[n - 1];
          check(n === stepsAsked.length + 1, `step ${n} asked after steps ${JSON.stringify(stepsAsked)}`);
          check(step[2] === expected?.title, `step ${n} is "${expected?.title}": ${dialog.title}`);
          check(dialog.text.startsWith(`${dialog.title}\n${TARGET}`), `step ${n}'s confirmation names the target first: ${dialog.text}`);
          for (const text of expected.shows) check(fold(dialog.text).includes(text), `step ${n}'s confirmation shows ${JSON.stringify(text)}:\n${dialog.text}`);
          stepsAsked.push(n);
          if (!confirmShot && n > 1 && /DESTRUCTIVE/.test(dialog.text)) {
            confirmShot = true;
            await shot('guided-step', { readme: true });
          }
          // The longest text, shortened so the dialog fits.
          if (n === 5) await shot('step-confirm-shortened');
          return 'Run Step';
        }
        // A command the step's confirmation showed is not asked for again.
        check(dialog.kind !== 'destructive', `the engine asked again for a command the step's confirmation showed:\n${dialog.text}`);
        if (dialog.kind === 'checkpoint') {
          await shot('checkpoint');
          return 'Confirm';
        }
        return undefined;
      },
      onProgress: [{ match: /Apply the unapplied log backups.*percent processed/, then: async () => { await shot('step-progress'); } }],
    });
    wb.log(`dialogs answered:\n${dialogs.map((d) => `  [${d.kind}] ${d.title}`).join('\n')}`);

    // The flow ends by saying so.
    const done = await wb.waitForNotification(/every step of .* is done or skipped/);
    check(done.includes(`${TARGET}: every step of ${TITLE} is done or skipped.`), `the closing notification: ${done}`);
    check(JSON.stringify(stepsAsked) === JSON.stringify([1, 2, 3, 4, 5, 6, 7, 8, 9]), `each step asked once, in order: ${JSON.stringify(stepsAsked)}`);
    check(dialogs.some((d) => d.kind === 'checkpoint'), 'the last step\'s checkpoint asked the operator');
    check(dialogs.every((d) => d.title.startsWith('REHEARSAL')), `every dialog is titled REHEARSAL: ${dialogs.map((d) => d.title).join(' | ')}`);

    // The runbook (the preview beside it may have taken the focus: the status bar follows the runbook
    // anyway): every step done in the status bar and the title lens.
    await page.locator('.tab', { hasText: RUNBOOK }).first().click();
    await poll(async () => /REHEARSAL PC Failover 9\/9/.test(await wb.runbookStatus.innerText()), { message: async () => `the status bar "REHEARSAL PC Failover 9/9" (shows ${await wb.runbookStatus.innerText()})` });
    const aria = await wb.runbookStatusAria();
    check((aria.match(/— done/g) ?? []).length === STEPS.length, `every step done in the status bar's list:\n${aria}`);
    await page.keyboard.press('Control+Home');
    await poll(async () => /9\/9 done/.test(await page.locator('.editor-instance .codelens-decoration').first().innerText()), { message: 'the title lens "9/9 done"' });
    await shot('done');

    // The lab failed over: the Estate view after Refresh Live Status.
    await wb.openLyncView();
    await wb.clickViewAction('Refresh Live Status');
    await wb.waitForTreeRow('the Persistent Chat pool', (r) => r.label === POOL, /· FailedOver$/);
    await wb.expandTreeRow(POOL);
    const store = (/** @type {string} */ db, /** @type {string} */ role) => (/** @type {import('../workbench.mjs').TreeRow} */ r) =>
      r.path.includes(POOL) && r.path[r.path.length - 2] === db && r.label.startsWith(`${role} — `);
    const backup = await wb.waitForTreeRow('mgc on the backup instance', store('mgc', 'backup'), /ONLINE/);
    check(backup.label === 'backup — dal-pcbak-001.litwareinc.com\\pchat', `backup row: ${backup.label}`);
    check(/principal/.test(backup.description), `mgc on the backup is the mirroring principal: ${backup.description}`);
    await wb.waitForTreeRow('mgc on the backup mirror', store('mgc', 'backup mirror'), /mirror/);
    wb.log(`tree after the guided failover:\n${Workbench.renderTree(await wb.treeRows())}`);
    await shot('estate-failed-over');
  },
};
