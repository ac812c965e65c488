/**
 * Estate references are compared by one rule whatever the front end: SQL instance and data-center
 * ids and FQDNs match without regard to letter case. `lint` (and so the editor, which runs the same
 * rules) and `run --dry-run` (the planner) must agree on every reference: before this, `on=DAL-PCBAK`
 * passed lint and the dry run refused it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { run } from '../../../src/cli/run';

const SAMPLES = path.resolve(__dirname, '../../../samples/litware');
const RUNBOOK = 'persistent-chat-failover.runbook.md';
const ESTATE = 'lync-estate.yaml';

function folderWith(runbook: string, estate = fs.readFileSync(path.join(SAMPLES, ESTATE), 'utf8')): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-case-'));
  fs.writeFileSync(path.join(dir, RUNBOOK), runbook);
  fs.writeFileSync(path.join(dir, ESTATE), estate);
  return dir;
}

async function lintErrors(dir: string): Promise<{ code: number; rows: { rule: string; severity: string }[] }> {
  const out: string[] = [];
  const code = await lint(['--format', 'json', path.join(dir, RUNBOOK)], { out: (l) => out.push(l), err: (l) => out.push(l) });
  const rows = (JSON.parse(out.join('\n')) as { rule: string; severity: string }[]).filter((r) => r.severity === 'error');
  return { code, rows };
}

async function dryRun(dir: string): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await run(['--dry-run', path.join(dir, RUNBOOK)], { out: (l) => lines.push(l), err: (l) => lines.push(l) }, {});
  return { code, text: lines.join('\n') };
}

const sample = fs.readFileSync(path.join(SAMPLES, RUNBOOK), 'utf8');

/** The same runbook with one estate reference written in another letter case. */
const VARIANTS: Record<string, string> = {
  'instance id in upper case (on=DAL-PCBAK)': sample.replace('```sql on=backup', '```sql on=DAL-PCBAK'),
  'instance id in mixed case (on=Dal-PcBak)': sample.replace('```sql on=backup', '```sql on=Dal-PcBak'),
  'pool FQDN in upper case (front matter)': sample.replace('pool: atl-gc-001.litwareinc.com', 'pool: ATL-GC-001.LITWAREINC.COM'),
};

describe('estate references in any letter case', () => {
  for (const [name, text] of Object.entries(VARIANTS)) {
    it(`${name}: lint and the dry run agree, and both accept it`, async () => {
      assert.notEqual(text, sample, 'the variant changes the runbook');
      const dir = folderWith(text);
      const linted = await lintErrors(dir);
      const planned = await dryRun(dir);
      assert.deepEqual(linted.rows, [], 'lint reports no error');
      assert.equal(planned.code, 0, planned.text);
    });
  }

  it('an unknown instance id is refused by both, whatever its case', async () => {
    const dir = folderWith(sample.replace('```sql on=backup', '```sql on=DAL-NOWHERE'));
    assert.notEqual((await lintErrors(dir)).rows.length, 0);
    assert.notEqual((await dryRun(dir)).code, 0);
  });

  it('two SQL instance ids that differ only in letter case are a duplicate in the estate', async () => {
    const estate = fs.readFileSync(path.join(SAMPLES, ESTATE), 'utf8').replace(
      '  - { id: dal-pcbakm,',
      '  - { id: DAL-PCBAK, server: dal-pcbak-002.litwareinc.com, instance: pchat, datacenter: dal }\n  - { id: dal-pcbakm,',
    );
    const dir = folderWith(sample, estate);
    const out: string[] = [];
    await lint(['--format', 'json', path.join(dir, RUNBOOK)], { out: (l) => out.push(l), err: (l) => out.push(l) });
    assert.ok((JSON.parse(out.join('\n')) as { rule: string }[]).some((r) => r.rule === 'estate/duplicate-id'), out.join('\n'));
  });
});
