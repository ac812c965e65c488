// @ts-check
// (1) The Lync view shows the sample estate with live status read from the lab (pchat-dc-loss):
// the backup instance answers with mgc RESTORING, the primary data center is down, the
// Persistent Chat pool is still Normal.
import { check, Workbench } from '../workbench.mjs';

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'the Lync view shows the sample estate with live lab status',
  lab: 'pchat-dc-loss',
  async run({ wb, shot }) {
    check((await wb.page.locator('.statusbar-item', { hasText: 'Lync: REHEARSAL' }).count()) === 1, 'the status bar says Lync: REHEARSAL (LYNC_RECOVERY_LAB)');
    await wb.openLyncView();
    await wb.widenSidebar(460);

    // Data centers, then pools with their live description.
    await wb.waitForTreeRow('Atlanta', (r) => r.level === 1 && r.label === 'Atlanta', /^2 pools · 2 SQL instances down/);
    await wb.waitForTreeRow('Dallas', (r) => r.level === 1 && r.label === 'Dallas', /^1 pool$/);
    await wb.waitForTreeRow('the Persistent Chat pool', (r) => r.label === 'atl-gc-001.litwareinc.com', /Atlanta \+ Dallas · 2 SQL instances down · atl-gc-001 not failed over · Normal$/);
    await wb.waitForTreeRow('the Atlanta Front End pool', (r) => r.label === 'atl-cs-001.litwareinc.com', /Backup Service: /);

    await wb.expandTreeRow('atl-gc-001.litwareinc.com');
    const store = (/** @type {string} */ db, /** @type {string} */ role) => (/** @type {import('../workbench.mjs').TreeRow} */ r) =>
      r.path.includes('atl-gc-001.litwareinc.com') && r.path[r.path.length - 2] === db && r.label.startsWith(`${role} — `);
    const backup = await wb.waitForTreeRow('mgc on the backup instance', store('mgc', 'backup'), /RESTORING/);
    check(backup.label === 'backup — dal-pcbak-001.litwareinc.com\\pchat', `backup row label: ${backup.label}`);
    await wb.waitForTreeRow('mgc on the primary instance', store('mgc', 'primary'), /down/);
    await wb.waitForTreeRow('mgc on the mirror instance', store('mgc', 'mirror'), /down/);
    await wb.waitForTreeRow('mgccomp on the backup instance', store('mgccomp', 'backup'), /ONLINE/);
    const rows = await wb.treeRows();
    for (const server of ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com', 'dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com']) {
      check(rows.some((r) => r.label === server && r.path.includes('atl-gc-001.litwareinc.com')), `Persistent Chat server ${server} under the pool:\n${Workbench.renderTree(rows)}`);
    }
    await shot('estate-live', { readme: true });
  },
};
