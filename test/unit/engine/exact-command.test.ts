/**
 * "Exact command" is what will be sent: a destructive `lync` built-in is confirmed with its T-SQL
 * (the point of no return, RESTORE … WITH RECOVERY), not only the runbook's pseudo-command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRunbook, type ConfirmRequest } from '../../../src/core/recovery';
import { FakeSql, MemoryJournal, ports } from './fakes';
import { FENCE, plan, runbookText } from './support';

describe('the confirmation of a destructive built-in', () => {
  it('carries the T-SQL it sends beside the runbook line', async () => {
    const asked: ConfirmRequest[] = [];
    const sql = new FakeSql(() => []);
    const p = await plan(runbookText(`## Recover {#recover}\n${FENCE}lync\nrecover-database database=mgc on=backup\n${FENCE}`));
    await runRunbook(p, { ports: ports(sql), journal: new MemoryJournal(), mode: 'rehearsal', confirm: async (r) => (asked.push(r), false) });
    const request = asked.find((r) => r.kind === 'destructive');
    assert.ok(request && request.kind === 'destructive');
    assert.equal(request.text, 'recover-database database=mgc on=backup');
    assert.match(request.sends ?? '', /^RESTORE DATABASE \[mgc\] WITH RECOVERY;/);
    assert.equal(sql.sent.filter((s) => /RESTORE/.test(s.text)).length, 0, 'declined: nothing restored');
  });
});
