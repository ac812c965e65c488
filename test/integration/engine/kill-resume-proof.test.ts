/**
 * Issue 17 item 5, "resume only on proof": `lync-runbook run --yes` runs the sample Persistent
 * Chat failover against the lab as a child process and is SIGKILLed while
 * `Set-CsPersistentChatActiveServer` is in flight: the lab holds that call (never answers it) and
 * tells the test when it arrives — an event, not a sleep. Before
 * the fix, the resumed `--yes` run took the step's auto-confirmed checkpoint as proof, recorded the
 * command done without sending it and exited 0, the active servers left in the dark data center.
 * The held call never took effect, so the resumed run must send it: asserted from the lab's state.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLab, type Lab } from '../../../src/lab';
import { cliSettings, litwareEstate, runCli, SAMPLES } from './helpers';

const RUNBOOK = path.join(SAMPLES, 'persistent-chat-failover.runbook.md');
const POOL = 'atl-gc-001.litwareinc.com';
const ATLANTA = ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com'];
const DALLAS = ['dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com'];

describe('kill -9 as Set-CsPersistentChatActiveServer starts, then resume with --yes (lync-runbook run as a child process)', () => {
  let lab: Lab;
  let work: string;
  let settingsFile: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    lab = await startLab({ estate: litwareEstate(), scenario: 'pchat-dc-loss', progressDelayMs: 0 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kill-resume-proof-'));
    ({ settingsFile, env } = cliSettings(lab, work));
  });

  after(async () => {
    await lab?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('sends the interrupted command again: the active servers end in the surviving data center', async () => {
    const pool = lab.lync.pcPool(POOL)!;
    assert.deepEqual(pool.activeServers, ATLANTA);

    const held = lab.holdNextCall('Set-CsPersistentChatActiveServer');
    const first = runCli(['run', '--yes', '--settings', settingsFile, RUNBOOK], env);
    await Promise.race([held, first.exited]);
    process.kill(-first.pid, 'SIGKILL');
    const exit = await first.exited;
    assert.equal(exit.signal, 'SIGKILL', `the first run was not killed:\n${first.output()}`);
    assert.deepEqual(pool.activeServers, ATLANTA, 'the held call changed nothing');
    const journal = fs.readdirSync(path.join(work, 'journals')).find((f) => f.endsWith('.jsonl'))!;
    const records = fs.readFileSync(path.join(work, 'journals', journal), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; stepId?: string; text?: string });
    assert.equal(records.at(-1)?.type, 'action-started', 'killed with the action started and not finished');
    assert.match(records.at(-1)?.text ?? '', /^Set-CsPersistentChatActiveServer/);

    const second = runCli(['run', '--yes', '--settings', settingsFile, RUNBOOK], env);
    const done = await second.exited;
    assert.equal(done.code, 0, second.output());
    assert.doesNotMatch(second.output(), /verified complete \(confirmed\)/);
    assert.match(second.output(), /interrupted earlier and nothing shows whether it took effect; sent again/);
    assert.deepEqual(pool.activeServers, DALLAS);
  });
});
