/**
 * YAML aliases cost time linear in the file: flat aliases were quadratic (10,000 took 10.6 s and
 * 20,000 took 54 s), so a cloned folder could freeze the extension host on activation. Every alias
 * case of the reliability probe is here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEstate } from '../../../src/core/estate/load';
import { MAX_ALIAS_EXPANSION, readYamlDocument } from '../../../src/core/estate/yaml-document-reader';
import { VALID_ESTATE } from './helpers';

function timed<T>(body: () => T, maxMs: number): T {
  const started = performance.now();
  const result = body();
  const ms = performance.now() - started;
  assert.ok(ms < maxMs, `took ${ms.toFixed(0)} ms (limit ${maxMs} ms)`);
  return result;
}

/** One anchored map and `n` references to it, the probe's shape. */
const flatAliases = (n: number) => `estate: 1\nname: x\nshared: &s { a: 1, b: 2 }\nrefs:\n${'  - *s\n'.repeat(n)}pools: []\n`;

describe('YAML aliases', () => {
  it('flat aliases cost time linear in their number: 20,000 take about 4 times what 5,000 take, not 16', () => {
    const cost = (n: number) => {
      const started = performance.now();
      const reading = readYamlDocument(flatAliases(n));
      assert.deepEqual(reading.issues, [], 'accepted: their expansion is small');
      return performance.now() - started;
    };
    cost(1000); // warm-up
    const [small, large] = [cost(5000), cost(20_000)];
    // Before: 10,000 took 10.6 s and 20,000 took 54 s; the yaml package's own parse is linear.
    assert.ok(large < 8 * small, `5,000 aliases: ${small.toFixed(0)} ms; 20,000: ${large.toFixed(0)} ms`);
  });

  it('an alias resolves to the nearest anchor of that name before it, as YAML defines', () => {
    const reading = readYamlDocument('a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
    assert.ok(reading.tree?.kind === 'map');
    assert.deepEqual(reading.tree.pairs.map((p) => (p.value.kind === 'scalar' ? p.value.value : undefined)), [1, 1, 2, 2]);
  });

  it('aliases that expand past the limit are refused', () => {
    // 1,500 aliases of a 100-item list: 150,000 nodes.
    const text = `estate: 1\nbig: &b [${Array.from({ length: 100 }, (_, i) => i).join(', ')}]\nrefs:\n${'  - *b\n'.repeat(1500)}`;
    const reading = readYamlDocument(text);
    assert.match(reading.issues.map((i) => i.message).join('\n'), new RegExp(`more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} nodes`));
  });

  it('the classic billion laughs is refused quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const reading = timed(() => readYamlDocument(`${levels.join('\n')}\n`), 1000);
    assert.ok(reading.issues.some((i) => i.severity === 'error'));
  });

  it('a recursive alias keeps its place and does not loop', () => {
    const reading = timed(() => readYamlDocument('a: &a\n  b: *a\n'), 1000);
    assert.ok(reading.tree);
  });

  it('an estate with 10,000 aliases loads', () => {
    const text = `${VALID_ESTATE}\nx-shared: &shared { note: shared }\nx-refs:\n${'  - *shared\n'.repeat(10_000)}`;
    const { problems } = parseEstate(text, 'e.yaml');
    assert.ok(problems.every((p) => p.rule !== 'estate/yaml-syntax'), JSON.stringify(problems.slice(0, 3)));
  });
});
