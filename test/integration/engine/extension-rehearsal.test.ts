/**
 * The extension's rehearsal path without the editor: the lab started as "Rehearse Runbook" starts
 * it (scenario from the lab's rule), the clients of a rehearsal target pointed at it, the set-up
 * through `prepareLab` (the extension's own function, which calls the lab's shared
 * `prepareRehearsal`), then the sample runbook through the ports the run controller builds.
 * Outcomes are read from the lab.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { FileJournalStore } from '../../../src/adapters/journal';
import { runRunbook, type RunPlan, type RunResult } from '../../../src/core/recovery';
import { parseRunbook } from '../../../src/core/runbook';
import { createTargetClients, type TargetClients } from '../../../src/extension/connections/clients';
import { Credentials, MemorySecretStore } from '../../../src/extension/connections/credentials';
import { parseShellSettings } from '../../../src/extension/connections/settings';
import { parseLabInfo } from '../../../src/extension/connections/target';
import { silentLogger } from '../../../src/extension/log';
import { labFilesOf, prepareLab } from '../../../src/extension/rehearsal/setup';
import { enginePorts } from '../../../src/extension/stepping/ports';
import { rehearsalScenario, startLab, type Lab } from '../../../src/lab';
import { powershellParser } from '../../unit/runbook/grammar';
import { litwareEstate, samplePlan, SAMPLES } from './helpers';

interface ExtensionRehearsal {
  readonly lab: Lab;
  readonly clients: TargetClients;
  readonly journalDir: string;
  run(plan: RunPlan): Promise<RunResult>;
  stop(): Promise<void>;
}

async function rehearseLikeTheExtension(kind: string, runbookFile: string): Promise<ExtensionRehearsal> {
  const estate = litwareEstate();
  const lab = await startLab({ estate, scenario: rehearsalScenario(kind), progressDelayMs: 0 });
  const clients = createTargetClients({
    target: { kind: 'rehearsal', info: parseLabInfo(JSON.parse(JSON.stringify(lab.info))), source: 'test' },
    estate,
    connections: { profiles: new Map(), problems: [] },
    shell: parseShellSettings({}).settings,
    timeoutMs: 10_000,
    credentials: new Credentials(new MemorySecretStore(), async () => undefined, silentLogger),
    readFile: (p) => fs.promises.readFile(p, 'utf8'),
    log: silentLogger,
  });
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ext-rehearsal-'));
  const powershell = await powershellParser();
  const runbookPath = path.join(SAMPLES, runbookFile);
  // As the extension does: the pool from the runbook's front matter.
  const pool = parseRunbook(fs.readFileSync(runbookPath, 'utf8'), { powershell }).frontMatter?.entries.find((e) => e.key === 'pool')?.value;
  const stop = async () => {
    await clients.dispose();
    await lab.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  };
  try {
    const prepared = await prepareLab(lab, { kind, estate, pool, runbookPath, clients, parse: async (text) => parseRunbook(text, { powershell }), log: silentLogger });
    assert.equal(prepared.ok, true, JSON.stringify(prepared.setup?.failure));
  } catch (error) {
    await stop();
    throw error;
  }
  const files = labFilesOf(lab);
  return {
    lab,
    clients,
    journalDir,
    async run(plan) {
      const ports = await enginePorts(clients, estate, files, silentLogger);
      const journal = await new FileJournalStore({ directory: journalDir, secrets: [lab.info.instances['dal-pcbak']!.password] }).open(plan.runbookPath);
      try {
        return await runRunbook(plan, {
          ports,
          journal,
          mode: 'rehearsal',
          pollIntervalMs: 1000,
          // The lab's Backup Service clock jumps instead of the test waiting.
          wait: async (ms) => lab.lync.clock.advance(ms),
          confirm: async (request) => {
            if (request.kind === 'checkpoint') files.checkpoint?.(plan, request.stepId);
            return true;
          },
        });
      } finally {
        await journal.close();
      }
    },
    stop,
  };
}

describe('rehearsal as the extension runs it (shared lab set-up)', () => {
  let r: ExtensionRehearsal | undefined;
  afterEach(async () => {
    await r?.stop();
    r = undefined;
  });

  it('conference restore: the lost pool is back, DataConf syncs to SteadyState, content restored', async () => {
    r = await rehearseLikeTheExtension('conference-restore', 'conference-restore.runbook.md');
    const atl = r.lab.lync.fePool('atl-cs-001.litwareinc.com')!;
    assert.equal(atl.reachable, true);
    assert.equal(atl.conferenceContentLost, true);
    const result = await r.run(await samplePlan('conference-restore.runbook.md'));
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    const dataConf = r.lab.lync.backupStatus('dal-cs-001.litwareinc.com').find((m) => m.module === 'ConfServices.DataConf')!;
    assert.ok(['SteadyState', 'FinalState'].includes(dataConf.exportStatus), dataConf.exportStatus);
    assert.equal(r.lab.lync.fePool('atl-cs-001.litwareinc.com')!.conferenceContentLost, false);
  });

  it('Persistent Chat failback: the built-in failover runs as set-up, then the sample failback runs clean end to end', async () => {
    r = await rehearseLikeTheExtension('persistent-chat-failback', 'persistent-chat-failback.runbook.md');
    const model = r.lab.model;
    assert.equal(r.lab.lync.pcPool('atl-gc-001.litwareinc.com')!.poolState, 'FailedOver');
    assert.equal(model.instance('atl-pcsql')!.reachable, true);
    const result = await r.run(await samplePlan('persistent-chat-failback.runbook.md'));
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(result.steps.filter((s) => s.outcome !== 'completed').map((s) => s.stepId), []);
    assert.equal(model.instance('atl-pcsql')!.database('mgc')!.state, 'ONLINE');
    assert.equal(r.lab.lync.pcPool('atl-gc-001.litwareinc.com')!.poolState, 'Normal');
    const journals = fs.readdirSync(path.join(r.lab.info.root, 'journals')).join('\n');
    assert.ok(journals.length > 0, 'the set-up journals in the lab folder');
  });

  it('the lab refuses a set-up for a runbook of another scenario', async () => {
    const estate = litwareEstate();
    const lab = await startLab({ estate, scenario: 'steady', shell: false });
    try {
      await assert.rejects(lab.prepareRehearsal('conference-restore', { runbookPath: 'x.runbook.md' }), /pool-loss/);
    } finally {
      await lab.stop();
    }
  });
});
