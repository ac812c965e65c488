import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rehearse } from '../../../src/cli/rehearse';
import { run } from '../../../src/cli/run';

const SAMPLE = path.resolve(__dirname, '../../../samples/litware/persistent-chat-failover.runbook.md');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('lync-runbook run / rehearse (arguments, dry run)', () => {
  it('run --dry-run prints every step with its target and exact text, exit 0', async () => {
    const o = io();
    assert.equal(await run(['--dry-run', SAMPLE], o.io, {}), 0);
    const text = o.out.join('\n');
    assert.match(text, /DRY RUN — nothing is sent/);
    assert.match(text, /backup dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\) {2}\[destructive: asks first\]\n\s+EXEC master\.dbo\.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';/);
  });

  it('a live run without a terminal refuses (it must ask before destructive actions), exit 2', async () => {
    const o = io();
    assert.equal(await run([SAMPLE], o.io, {}), 2);
    assert.match(o.err.join('\n'), /needs a terminal/);
  });

  it('bad usage and unreadable files exit 2 with a message', async () => {
    const o = io();
    assert.equal(await run([], o.io, {}), 2);
    assert.equal(await run(['--dry-run', '/nonexistent.runbook.md'], o.io, {}), 2);
    assert.equal(await rehearse(['--fault', 'no-such-fault', SAMPLE], o.io), 2);
    assert.match(o.err.join('\n'), /no runbook file given[\s\S]*cannot read[\s\S]*unknown fault no-such-fault/);
  });
});
