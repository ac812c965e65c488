import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { check, litware, ROOT } from './harness';

const SAMPLES = path.join(ROOT, 'samples/litware');
const FIXTURES = path.join(ROOT, 'test/fixtures/runbooks');

/** Each seeded copy of a sample runbook holds exactly one mistake: [fixture, rule, 1-based line]. */
const SEEDED: readonly [string, string, number][] = [
  ['pc-failover-pool-state-missing', 'pool-state-missing', 52],
  ['pc-failover-en-dash', 'en-dash-parameter', 52],
  ['pc-failover-front-end-identity', 'pc-identity-front-end-pool', 52],
  ['pc-failover-sql-no-target', 'sql-target-missing', 24],
  ['pc-failover-typo-parameter', 'doc-typo-parameter', 62],
  ['pc-failover-mirror-dead-primary', 'mirror-on-dead-primary', 62],
  ['pc-failover-active-atlanta', 'active-server-wrong-datacenter', 68],
  ['pc-failover-nonexistent-cmdlet', 'nonexistent-cmdlet', 72],
  ['pc-failback-whitespace-identity', 'pc-identity-whitespace', 51],
  ['pc-failback-wrong-state', 'pool-state-wrong-for-kind', 51],
  ['conference-restore-lost-pool', 'sync-on-lost-pool', 16],
  ['conference-restore-short-module', 'backup-module-invalid', 16],
  ['conference-restore-placeholder', 'placeholder-left', 22],
  ['pool-failover-surviving-pool', 'failover-surviving-pool', 33],
  ['pool-failover-no-disaster-mode', 'failover-without-disaster-mode', 33],
  ['pool-failback-fqdn-mismatch', 'failback-fqdn-mismatch', 15],
  ['pool-failback-unknown-key', 'lync-unknown-key', 25],
];

for (const file of fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.runbook.md'))) {
  test(`sample ${file} lints clean`, async () => {
    assert.deepEqual(await check(fs.readFileSync(path.join(SAMPLES, file), 'utf8')), []);
  });
}

test('there is one sample runbook per procedure', () => {
  const kinds = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.runbook.md')).map((f) => f.replace('.runbook.md', '')).sort();
  assert.deepEqual(kinds, ['conference-restore', 'persistent-chat-failback', 'persistent-chat-failover', 'pool-failback', 'pool-failover']);
});

for (const [fixture, rule, line] of SEEDED) {
  test(`seeded ${fixture} → exactly ${rule} at line ${line}`, async () => {
    const problems = await check(fs.readFileSync(path.join(FIXTURES, `${fixture}.runbook.md`), 'utf8'), litware());
    assert.deepEqual(problems.map((p) => [p.rule, p.range.start.line + 1]), [[rule, line]]);
  });
}
