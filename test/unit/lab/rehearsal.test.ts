import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rehearsalScenario } from '../../../src/lab/rehearsal';

it('a rehearsal starts from the lab state its runbook kind recovers from', () => {
  assert.equal(rehearsalScenario('persistent-chat-failover'), 'pchat-dc-loss');
  assert.equal(rehearsalScenario('persistent-chat-failback'), 'pchat-dc-loss');
  assert.equal(rehearsalScenario('conference-restore'), 'pool-loss');
  assert.equal(rehearsalScenario('pool-failover'), 'pool-loss');
  assert.equal(rehearsalScenario('pool-failback'), 'pool-loss');
  assert.equal(rehearsalScenario('custom'), 'steady');
  assert.equal(rehearsalScenario(undefined), 'steady');
});
