/**
 * The readers of Lync replies assume nothing the documentation does not say (domain audit D7, R5):
 * PoolState is read by name only, and the pairing by the partner's FQDN in the reply, whatever
 * property holds it. In-process fakes of the ports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFqdn } from '../../../src/core/commands/values';
import type { Check } from '../../../src/core/procedures';
import { evaluateCheck, type CheckContext } from '../../../src/core/recovery/verify';
import { poolStateOf } from '../../../src/core/recovery/lync-status';
import { FakeShell, FakeSql, ports } from '../engine/fakes';

const PC = 'atl-gc-001.litwareinc.com';
const LOST = parseFqdn('atl-cs-001.litwareinc.com');
const PARTNER = parseFqdn('dal-cs-001.litwareinc.com');

const context = (shell: FakeShell): CheckContext => ({
  ports: ports(new FakeSql(() => []), shell),
  stepDone: () => false,
  checkpoint: async () => true,
});

describe('PoolState is read by name (D7)', () => {
  it('a number is not mapped to a name: its numbering is documented nowhere', () => {
    const state = poolStateOf([{ Identity: `service:PersistentChatServer:${PC}`, PoolState: 1 }], PC);
    assert.notEqual(state, 'FailedOver');
    assert.match(state ?? '', /unknown \(1: not a name\)/);
  });

  it('the name, in any case, is read', () => {
    assert.equal(poolStateOf([{ Identity: `service:PersistentChatServer:${PC}`, PoolState: 'failedover' }], PC), 'FailedOver');
  });
});

describe('the pairing is read from the reply, not from a guessed property (R5)', () => {
  const check: Check = { kind: 'pool-paired', pool: LOST, partner: PARTNER };

  it('passes when the partner is named under any property', async () => {
    const shell = new FakeShell(() => [{ Identity: LOST, BackupPool: { Fqdn: PARTNER } }]);
    const result = await evaluateCheck(check, context(shell));
    assert.equal(result.ok, true, result.detail);
  });

  it('fails, naming what the reply held, when the partner is not in it', async () => {
    const shell = new FakeShell(() => [{ Identity: LOST, BackupPool: 'other-cs-001.litwareinc.com' }]);
    const result = await evaluateCheck(check, context(shell));
    assert.equal(result.ok, false);
    assert.match(result.detail, /does not name dal-cs-001\.litwareinc\.com \(it names other-cs-001\.litwareinc\.com\)/);
  });
});
