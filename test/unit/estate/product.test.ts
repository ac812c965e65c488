import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseEstate } from '../../../src/core/estate/load';
import { estateToYaml } from '../../../src/core/estate/write';
import { VALID_ESTATE, edit } from './helpers';

const SCHEMA = JSON.parse(readFileSync('schemas/lync-estate.schema.json', 'utf8')) as { properties: Record<string, { enum?: string[] }> };

describe('estate product', () => {
  it('reads `product: lync2013` and `product: sfb2015`', () => {
    for (const product of ['lync2013', 'sfb2015']) {
      const r = parseEstate(edit(VALID_ESTATE, 'name: Test\n', `name: Test\nproduct: ${product}\n`), 'e.yaml');
      assert.deepEqual(r.problems, []);
      assert.equal(r.estate?.product, product);
    }
  });

  it('leaves it out when the file does not say', () => {
    const r = parseEstate(VALID_ESTATE, 'e.yaml');
    assert.equal(r.estate && 'product' in r.estate, false);
  });

  it('reports an unknown product at its value, naming the two products, and still loads the estate', () => {
    const text = edit(VALID_ESTATE, 'name: Test\n', 'name: Test\nproduct: sfb2019\n');
    const r = parseEstate(text, 'e.yaml');
    assert.deepEqual(r.problems.map((p) => [p.rule, p.range.start.line, p.range.start.character]), [['estate/invalid-value', 2, 9]]);
    assert.match(r.problems[0]!.message, /lync2013.*sfb2015/);
    assert.equal(r.estate?.product, undefined);
  });

  it('the JSON schema knows the same products', () => {
    assert.deepEqual(SCHEMA.properties.product?.enum, ['lync2013', 'sfb2015']);
  });
});

describe('estate product, written back', () => {
  it('keeps the product when the estate is written', () => {
    const estate = parseEstate(edit(VALID_ESTATE, 'name: Test\n', 'name: Test\nproduct: sfb2015\n'), 'e.yaml').estate!;
    assert.equal(parseEstate(estateToYaml(estate), 'e.yaml').estate?.product, 'sfb2015');
  });
});
