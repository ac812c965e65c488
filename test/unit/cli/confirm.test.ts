/** What `lync-runbook run` asks the operator: the interrupted question carries what the journal and the verification saw. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeConfirm } from '../../../src/cli/run';

const interrupted = { kind: 'interrupted', stepId: 'fail-over-pool', target: 'Lync Server Management Shell', text: 'Set-CsPersistentChatState -Identity x -PoolState FailedOver' } as const;

test('an interrupted action: the command, the recorded error and verification, then the question', () => {
  const text = describeConfirm({ ...interrupted, detail: 'Recorded: the shell did not answer within 60000 ms. Verification: PoolState is Normal.' });
  assert.match(text, /^Step fail-over-pool was interrupted while sending to Lync Server Management Shell:\n {4}Set-CsPersistentChatState/);
  assert.match(text, /\nRecorded: the shell did not answer within 60000 ms\. Verification: PoolState is Normal\.\nNothing shows whether it completed\. Send it again\?$/);
});

test('without a detail the question follows the command directly', () => {
  assert.match(describeConfirm(interrupted), /FailedOver\nNothing shows whether it completed\. Send it again\?$/);
});
