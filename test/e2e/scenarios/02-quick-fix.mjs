// @ts-check
// (2) A seeded mistake in the failover runbook (Set-CsPersistentChatState without -PoolState,
// written into the workspace copy before it is opened) shows in the Problems panel with its rule
// id; the quick fix offered on that line (Ctrl+.) repairs it and the problem disappears.
import fs from 'node:fs';
import path from 'node:path';
import { check, poll } from '../workbench.mjs';

const RUNBOOK = 'persistent-chat-failover.runbook.md';
const RULE = 'pool-state-missing';

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'a seeded runbook mistake shows in Problems with its rule id and its quick fix removes it',
  lab: 'pchat-dc-loss',
  async run({ wb, page, server, pristine, shot }) {
    const file = path.join(server.workspace, RUNBOOK);
    const original = pristine(RUNBOOK);
    const seeded = original.replace(' -PoolState FailedOver', '');
    check(seeded !== original, 'the sample runbook has -PoolState FailedOver to remove');
    fs.writeFileSync(file, seeded);

    await wb.openFile(RUNBOOK);
    await wb.openProblems();
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: RULE });
    await problem.waitFor();
    const text = (await problem.innerText()).replace(/\s+/g, ' ');
    check(/Set-CsPersistentChatState without -PoolState/.test(text), `the problem's message: ${text}`);
    check(/\[Ln 52, Col 1\]/.test(text), `the problem is on line 52: ${text}`);
    check((await page.locator('.markers-panel .monaco-list-row').filter({ hasText: /\[Ln \d+, Col \d+\]/ }).count()) === 1, 'exactly one problem in the workspace');
    // The rule id links to its page in the rule catalogue when the diagnostic carries one.
    const link = problem.locator('.code-link, a.monaco-link').first();
    wb.log(`rule id in Problems: ${(await link.count()) ? `link ${await link.getAttribute('href') ?? await link.getAttribute('title')}` : 'plain text'}`);

    // Go to the problem (the editor selects its range), then Ctrl+. offers the fix.
    await problem.dblclick();
    await poll(async () => /Ln 52,/.test(await page.locator('.statusbar-item[id="status.editor.selection"]').innerText()), { message: 'the cursor on line 52' });
    await page.locator('.editor-instance .squiggly-error').first().waitFor();
    // The hover at the cursor (Ctrl+K Ctrl+I, as from the keyboard): the message, the rule id and
    // its page in the rule catalogue, the cmdlet's documentation.
    // The double click opens the editor twice (preview on the first click, then pinned and focused,
    // selecting the range again): Home only after the editor has the keyboard focus, or the second
    // open undoes it.
    await page.locator('.editor-instance :focus').first().waitFor();
    await page.keyboard.press('Home');
    const selection = page.locator('.statusbar-item[id="status.editor.selection"]');
    await poll(async () => /Ln 52, Col 1\b/.test(await selection.innerText()), {
      message: async () => `the cursor at the start of line 52 (status bar: ${await selection.innerText()}; focus: ${await page.locator(':focus').first().getAttribute('class').catch(() => 'none')})`,
    });
    // The marker's part shows at once, the language server's (rule, cmdlet) when it answers;
    // a chord pressed while the editor was busy is pressed again.
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'without -PoolState' });
    let asked = 0;
    let hoverText = '';
    await poll(async () => {
      if (!(await hover.isVisible())) {
        if (Date.now() - asked > 3000) {
          asked = Date.now();
          await page.keyboard.press('Control+K');
          await page.keyboard.press('Control+I');
        }
        return false;
      }
      hoverText = await hover.innerText({ timeout: 1000 }).catch(() => '');
      return hoverText.includes(`${RULE} (error)`) && hoverText.includes(`docs/rules/${RULE}.md`);
    }, { message: () => `the hover with the rule and its page in the rule catalogue; it shows: ${hoverText.replace(/\s+/g, ' ')}` });
    wb.log(`hover: ${hoverText.replace(/\s+/g, ' ').slice(0, 300)}…`);
    await shot('runbook-problem', { readme: true });
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+.');
    const widget = page.locator('.action-widget');
    const fix = widget.locator('.monaco-list-row.action', { hasText: 'Add -PoolState FailedOver' });
    await fix.waitFor();
    await poll(async () => {
      if ((await fix.getAttribute('class'))?.includes('focused')) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, { message: 'the fix focused in the Quick Fix menu' });
    await shot('quick-fix', { readme: true });
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });

    await page.locator('.markers-panel', { hasText: 'No problems have been detected in the workspace.' }).waitFor();
    await page.locator('.editor-instance .squiggly-error').first().waitFor({ state: 'detached' });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active:not(.dirty)', { hasText: RUNBOOK }).waitFor();
    // The tab stops being dirty when the save was sent: wait for the write to land.
    let saved = '';
    await poll(() => (saved = fs.readFileSync(file, 'utf8')) === original, {
      timeout: 10_000,
      message: () => `the fixed runbook on disk to be the sample again (-PoolState FailedOver back at the end of the line); lines that differ: ${JSON.stringify(saved.split('\n').map((line, i) => [i + 1, line, original.split('\n')[i]]).filter(([, a, b]) => a !== b))}`,
    });
    await shot('quick-fix-applied');
  },
};
