/**
 * Fail closed, against the lab with the real drivers (issue 17, probe F1): the primary is alive
 * (`steady`), and the runbook's estate has one underscore in the backup mirror's FQDN. The gate
 * every run passes (run, rehearse, the editor) refuses it at the estate line, so the split-brain
 * guard cannot silently disappear: `mgc` keeps exactly one ONLINE principal. The control run with
 * the clean estate shows the guard itself stopping the failover before step 1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileJournalStore } from '../../../src/adapters/journal';
import { startRehearsal, type Rehearsal } from '../../../src/cli/rehearse';
import { parseEstate } from '../../../src/core/estate/load';
import { preflight, runRunbook, type Preflight, type RunResult } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../../unit/runbook/grammar';
import { litwareEstate, SAMPLES } from './helpers';

const RUNBOOK = path.join(SAMPLES, 'persistent-chat-failover.runbook.md');
const ESTATE_TEXT = fs.readFileSync(path.join(SAMPLES, 'lync-estate.yaml'), 'utf8');
const UNDERSCORE = ESTATE_TEXT.replace('server: dal-pcbakm-001.litwareinc.com', 'server: dal-pcbakm_001.litwareinc.com');
const UNDERSCORE_LINE = UNDERSCORE.split('\n').findIndex((l) => l.includes('dal-pcbakm_001')) + 1;

describe('fail closed in the lab: the primary is alive, the estate has one underscore', () => {
  let rehearsal: Rehearsal;
  let journalDir: string;
  before(async () => {
    rehearsal = await startRehearsal(litwareEstate(), { scenario: 'steady', progressDelayMs: 0 });
    journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fail-closed-journal-'));
  });
  after(async () => {
    await rehearsal.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  /** The gate, then — only when it gives a plan — the run, every question answered yes (as `--yes`). */
  async function gateAndRun(estateText: string): Promise<{ gate: Preflight; result?: RunResult }> {
    const runbook = parseRunbook(fs.readFileSync(RUNBOOK, 'utf8'), { powershell: await powershellParser() });
    const gate = preflight(runbook, RUNBOOK, { file: 'lync-estate.yaml', result: parseEstate(estateText, 'lync-estate.yaml') });
    if (!gate.plan) return { gate };
    const journal = await new FileJournalStore({ directory: journalDir, secrets: rehearsal.wiring.secrets }).open(gate.plan.runbookPath);
    try {
      return { gate, result: await runRunbook(gate.plan, { ports: rehearsal.wiring.ports, journal, mode: 'rehearsal', confirm: async () => true, pollIntervalMs: 1000 }) };
    } finally {
      await journal.close();
    }
  }

  /** Instances where `mgc` is ONLINE and not a mirror: more than one is split brain. */
  const onlinePrincipals = () =>
    ['atl-pcsql', 'atl-pcsqlm', 'dal-pcbak', 'dal-pcbakm'].filter((id) => {
      const db = rehearsal.lab.model.instance(id)?.database('mgc');
      return db?.state === 'ONLINE' && db.mirroring?.role !== 'MIRROR';
    });

  it('the run is refused at the estate line, nothing is sent, and atl-pcsql stays the only ONLINE principal', async () => {
    const { gate, result } = await gateAndRun(UNDERSCORE);
    assert.equal(result, undefined, 'no run started');
    assert.deepEqual(gate.refusals.map((f) => `${f.file}:${f.range.start.line + 1} ${f.rule}`), [`lync-estate.yaml:${UNDERSCORE_LINE} estate/invalid-fqdn`, `lync-estate.yaml:${UNDERSCORE_LINE} plan/checks-unavailable`]);
    assert.deepEqual(onlinePrincipals(), ['atl-pcsql']);
    assert.equal(rehearsal.lab.model.instance('dal-pcbak')!.database('mgc')!.state, 'RESTORING');
    assert.equal(rehearsal.lync.pcPool('atl-gc-001.litwareinc.com')!.poolState, 'Normal');
  });

  it('control: with the clean estate the split-brain guard stops the failover before step 1', async () => {
    const { result } = await gateAndRun(ESTATE_TEXT);
    assert.ok(result);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.steps.length, 1);
    assert.match(result.failure!.message, /Before step [a-z-]+: expected the primary SQL instance atl-pcsql .* does not answer/);
    assert.deepEqual(onlinePrincipals(), ['atl-pcsql']);
  });
});
