/**
 * Fail closed (issue 17 item 1), in the core: a procedure runbook whose preconditions and
 * verification cannot be built from the estate is refused at its estate line; a person may
 * override it only by id with a reason, and the override is journaled when the run starts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseEstate } from '../../../src/core/estate/load';
import { CHECKS_UNAVAILABLE, PlanError, planRunbook, preflight, runRunbook } from '../../../src/core/recovery';
import { FakeSql, MemoryJournal, ports } from '../engine/fakes';
import { parse } from '../engine/support';

const SAMPLES = path.resolve(__dirname, '../../../samples/litware');
const ESTATE_TEXT = fs.readFileSync(path.join(SAMPLES, 'lync-estate.yaml'), 'utf8');
const RUNBOOK_TEXT = fs.readFileSync(path.join(SAMPLES, 'persistent-chat-failover.runbook.md'), 'utf8');

/** The sample estate with one underscore in the backup mirror's server (a server the runbook never uses). */
const UNDERSCORE = ESTATE_TEXT.replace('server: dal-pcbakm-001.litwareinc.com', 'server: dal-pcbakm_001.litwareinc.com');
const UNDERSCORE_LINE = UNDERSCORE.split('\n').findIndex((l) => l.includes('dal-pcbakm_001')) + 1;

const load = (text: string) => parseEstate(text, 'lync-estate.yaml');

describe('planRunbook fails closed', () => {
  it('refuses a procedure runbook whose checks cannot be built, naming the estate line', async () => {
    const loaded = load(UNDERSCORE);
    const runbook = await parse(RUNBOOK_TEXT);
    const error = (() => {
      try {
        planRunbook(runbook, loaded.estate!, '/rb/failover.runbook.md', { estateSource: loaded.source });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof PlanError, 'the plan is refused, not made without checks');
    const problem = error.problems.find((p) => p.check === CHECKS_UNAVAILABLE);
    assert.ok(problem, JSON.stringify(error.problems));
    assert.deepEqual(problem.estate, { file: 'lync-estate.yaml', line: UNDERSCORE_LINE });
    assert.match(problem.message, /dal-pcbakm_001/);
    assert.match(error.message, new RegExp(`lync-estate\\.yaml:${UNDERSCORE_LINE}: the preconditions and verification of the persistent-chat-failover procedure cannot be built`));
  });

  it('refuses a procedure runbook that names no pool to build its checks for', async () => {
    const runbook = await parse(RUNBOOK_TEXT.replace('pool: atl-gc-001.litwareinc.com\n', ''));
    assert.throws(() => planRunbook(runbook, load(ESTATE_TEXT).estate!, '/rb/x.runbook.md'), (e: unknown) => e instanceof PlanError && e.problems.some((p) => p.check === CHECKS_UNAVAILABLE && /names no `pool:`/.test(p.message)));
  });

  it('plans without the checks only when a person overrides that check by id, and says so', async () => {
    const loaded = load(UNDERSCORE);
    const plan = planRunbook(await parse(RUNBOOK_TEXT), loaded.estate!, '/rb/x.runbook.md', { overrides: [{ check: CHECKS_UNAVAILABLE, reason: 'primary confirmed down by phone' }], estateSource: loaded.source });
    assert.equal(plan.overrides?.length, 1);
    assert.equal(plan.overrides![0]!.reason, 'primary confirmed down by phone');
    assert.match(plan.notes.join('\n'), /Overridden \(plan\/checks-unavailable/);
    assert.ok(plan.steps.every((s) => s.checks.before.length === 0));
  });

  it('the clean sample estate plans with its split-brain guard', async () => {
    const plan = planRunbook(await parse(RUNBOOK_TEXT), load(ESTATE_TEXT).estate!, '/rb/x.runbook.md');
    assert.ok(plan.steps[0]!.checks.before.some((c) => c.kind === 'instance-unreachable'));
    assert.equal(plan.overrides, undefined);
  });
});

describe('preflight (the gate of run, rehearse and the editor; what lint reports)', () => {
  it('reports the estate problem and the refusal at the estate line, and gives no plan', async () => {
    const gate = preflight(await parse(RUNBOOK_TEXT), 'rb.md', { file: 'lync-estate.yaml', result: load(UNDERSCORE) });
    assert.equal(gate.plan, undefined);
    assert.deepEqual(
      gate.refusals.map((f) => `${f.file}:${f.range.start.line + 1} ${f.rule}`),
      [`lync-estate.yaml:${UNDERSCORE_LINE} estate/invalid-fqdn`, `lync-estate.yaml:${UNDERSCORE_LINE} ${CHECKS_UNAVAILABLE}`],
    );
  });

  it('overrides lift only the errors they name, and travel with the plan', async () => {
    const runbook = await parse(RUNBOOK_TEXT);
    const estate = { file: 'lync-estate.yaml', result: load(UNDERSCORE) };
    const partial = preflight(runbook, 'rb.md', estate, [{ check: 'estate/invalid-fqdn', reason: 'unused server' }, { check: 'no/such-check', reason: 'typo' }]);
    assert.equal(partial.plan, undefined);
    assert.deepEqual(partial.refusals.map((f) => f.rule), [CHECKS_UNAVAILABLE]);
    assert.deepEqual(partial.unused.map((o) => o.check), ['no/such-check']);
    const gate = preflight(runbook, 'rb.md', estate, [{ check: 'estate/invalid-fqdn', reason: 'unused server' }, { check: CHECKS_UNAVAILABLE, reason: 'checked by hand' }]);
    assert.ok(gate.plan);
    assert.deepEqual(gate.plan.overrides?.map((o) => [o.check, o.reason]), [['estate/invalid-fqdn', 'unused server'], [CHECKS_UNAVAILABLE, 'checked by hand']]);
    assert.match(gate.plan.overrides![0]!.message, new RegExp(`^lync-estate\\.yaml:${UNDERSCORE_LINE}: `));
  });

  it('a plan that cannot be made is refused whatever is overridden', async () => {
    const runbook = await parse(RUNBOOK_TEXT.replace('copy-log-backups database=mgc', 'copy-log-backups database=mg]c'));
    const gate = preflight(runbook, 'rb.md', { file: 'lync-estate.yaml', result: load(ESTATE_TEXT) }, [{ check: 'plan/cannot-run', reason: 'x' }]);
    assert.equal(gate.plan, undefined);
    assert.ok(gate.refusals.some((f) => f.rule === 'plan/cannot-run' && f.file === 'rb.md' && f.range.start.line > 0));
  });
});

describe('overrides are journaled', () => {
  it('the run journals each override right after run-started', async () => {
    const runbook = await parse(RUNBOOK_TEXT.replace(/\n## [\s\S]*$/, '\n## Nothing to do {#noop}\n\nA step without actions.\n'));
    const loaded = load(UNDERSCORE);
    const overrides = [
      { check: 'pool-state-not-set', reason: 'a test runbook' },
      { check: 'active-servers-not-set', reason: 'a test runbook' },
      { check: 'estate/invalid-fqdn', reason: 'unused server' },
      { check: CHECKS_UNAVAILABLE, reason: 'checked by hand' },
    ];
    const gate = preflight(runbook, 'rb.md', { file: 'lync-estate.yaml', result: loaded }, overrides);
    assert.ok(gate.plan, JSON.stringify(gate.refusals));
    const journal = new MemoryJournal();
    const result = await runRunbook(gate.plan, { ports: ports(new FakeSql(() => [])), journal, mode: 'live', confirm: async () => true });
    assert.equal(result.outcome, 'completed');
    assert.deepEqual(
      journal.records.slice(0, 5).map((r) => (r.type === 'check-overridden' ? `${r.type} ${r.check} (${r.reason})` : r.type)),
      ['run-started', 'check-overridden pool-state-not-set (a test runbook)', 'check-overridden active-servers-not-set (a test runbook)', 'check-overridden estate/invalid-fqdn (unused server)', `check-overridden ${CHECKS_UNAVAILABLE} (checked by hand)`],
    );
  });
});
