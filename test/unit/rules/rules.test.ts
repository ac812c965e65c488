import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { RULES, ruleDocPath } from '../../../src/core/rules';
import { CASES, type RuleCase } from './cases';
import { check, litware, ROOT, runbookText } from './harness';

const run = (c: RuleCase, body: string, front: string | undefined) => {
  const estate = c.estate === null ? null : c.estate ? c.estate(litware()) : litware();
  return check(runbookText(body, { ...c, ...(front !== undefined ? { frontMatter: front } : {}) }), estate);
};

describe('every rule has a failing and a passing example', () => {
  for (const rule of RULES) {
    const c = CASES[rule.meta.id];
    test(rule.meta.id, async () => {
      assert.ok(c, `no test case for ${rule.meta.id}`);
      const bad = await run(c, c.bad, c.badFront);
      const hit = bad.find((p) => p.rule === rule.meta.id);
      assert.ok(hit, `${rule.meta.id}: the failing example reports nothing; got ${JSON.stringify(bad.map((p) => p.rule))}`);
      assert.equal(hit.severity, rule.meta.severity);
      assert.ok(hit.message.length > 20);
      if (rule.meta.fix) assert.ok(bad.some((p) => p.rule === rule.meta.id && p.fixes?.length), `${rule.meta.id}: documented quick fix missing`);
      const good = await run(c, c.good, c.goodFront);
      assert.deepEqual(good.filter((p) => p.rule === rule.meta.id), [], `${rule.meta.id}: the passing example is reported`);
    });
  }
});

test('rule ids are unique, kebab-case, and at least 40', () => {
  const ids = RULES.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.length >= 40, `${ids.length} rules`);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z0-9]+)*$/);
});

test('every rule has a documentation page and a catalogue row', () => {
  const catalogue = fs.readFileSync(path.join(ROOT, 'docs/rules/README.md'), 'utf8');
  for (const { meta } of RULES) {
    assert.ok(fs.existsSync(path.join(ROOT, ruleDocPath(meta.id))), `missing ${ruleDocPath(meta.id)}`);
    assert.ok(catalogue.includes(`[\`${meta.id}\`](${meta.id}.md)`), `catalogue lacks ${meta.id}`);
  }
});

test('applying a quick fix removes the problem (pool-state-missing)', async () => {
  const c = CASES['pool-state-missing']!;
  const text = runbookText(c.bad, c);
  const problem = (await check(text)).find((p) => p.rule === 'pool-state-missing')!;
  const edit = problem.fixes![0]!.edits[0]!;
  const lines = text.split('\n');
  const line = lines[edit.range.start.line]!;
  lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
  const after = await check(lines.join('\n'));
  assert.deepEqual(after.filter((p) => p.rule.startsWith('pool-state')), []);
});
