import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ESTATE_CHECKS } from '../../../src/core/estate/checks';
import { ESTATE_LOAD_RULES } from '../../../src/core/estate/load';

describe('docs/estate-checks.md', () => {
  const doc = readFileSync('docs/estate-checks.md', 'utf8');
  /** Table rows: id → severity column. */
  const rows = new Map([...doc.matchAll(/^\| `(estate\/[a-z0-9-]+)` \| ([a-z]+)/gm)].map((m) => [m[1], m[2]]));

  for (const [name, rules] of [['loader rule', ESTATE_LOAD_RULES], ['estate check', ESTATE_CHECKS]] as const) {
    it(`has a row with the right severity for every ${name}`, () => {
      for (const rule of rules) assert.equal(rows.get(rule.id), rule.severity, rule.id);
    });
  }

  it('documents no id that does not exist', () => {
    const ids = new Set([...ESTATE_LOAD_RULES, ...ESTATE_CHECKS].map((rule) => rule.id));
    for (const id of rows.keys()) assert.ok(ids.has(id), id);
  });
});
