import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { readYamlDocument } from '../../../src/core/estate/yaml-document-reader';
import { readYamlSubset } from '../../../src/core/estate/yaml-subset-reader';
import { generateEstateYaml } from '../../bench/estate-fixture';
import { VALID_ESTATE } from './helpers';

/** The subset reader either declines or reads exactly what the `yaml` package reads, offsets included. */
function assertAgree(text: string): 'read' | 'declined' {
  const subset = readYamlSubset(text);
  if (subset === undefined) return 'declined';
  const full = readYamlDocument(text);
  assert.deepEqual(full.issues.filter((issue) => issue.severity === 'error'), [], `the subset reader accepted invalid YAML: ${JSON.stringify(text)}`);
  assert.deepEqual(subset, full.tree, JSON.stringify(text));
  return 'read';
}

const SUPPORTED: readonly [string, string][] = [
  ['the sample', readFileSync('samples/litware/lync-estate.yaml', 'utf8')],
  ['the test estate', VALID_ESTATE],
  ['the bench estate', generateEstateYaml({ pools: 20, servers: 150, datacenters: 4 })],
  ['nested block collections', 'a:\n  b:\n    - x\n    -\n    - - y\n      - z\n  c: ~\nd:\n- 1\n- k: v\n  j:\n  - 2\n'],
  ['empty values', 'a:\nb: { c: , d: }\ne:\n  -\n'],
  ['scalar types', 'i: 12\nh: 0x1F\no: 0o17\nf: .5\ne: 1e3\nn: -.inf\nt: True\nf2: FALSE\nz: null\ns: 1.2.3\nq: "12"\n'],
  ['quotes and comments', "a: 'it''s' # c\nb: \"x: y\"   \n# whole line\nc: x#y\nd: [ 'a, b', \"c\" ]\n"],
  ['a value on the next line', 'a:\n  text\nb: 2\n'],
  ['CRLF line ends', 'a: 1\r\nb:\r\n  - x\r\n'],
  ['an indented root', '  a: 1\n  b: 2\n'],
  ['a key with spaces before its colon', 'a b : c\n'],
  ['colons inside plain scalars', 'url: http://x.y/z\ntime: 12:30\nflow: [a:b, c]\n'],
  ['an empty document', '# nothing\n\n'],
  ['nesting 64 levels deep', `a: ${'['.repeat(63)}${']'.repeat(63)}\n`],
];

const DECLINED: readonly [string, string][] = [
  ['anchors and aliases', 'a: &x 1\nb: *x\n'],
  ['tags', 'a: !!str 1\n'],
  ['block scalars', 'a: |\n  text\n'],
  ['multi-line plain scalars', 'a: one\n  two\n'],
  ['multi-line flow collections', 'a: [1,\n  2]\n'],
  ['escapes in double quotes', 'a: "\\t"\n'],
  ['tabs', 'a:\t1\n'],
  ['document markers', '---\na: 1\n'],
  ['duplicate keys', 'a: 1\na: 2\n'],
  ['a nested mapping on one line', 'a: b: c\n'],
  ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
  ['an unclosed quote', "a: 'x\n"],
  ['complex keys', '? a\n: b\n'],
  ['quoted keys', '"a": 1\n'],
  ['nesting deeper than an estate could need', `a: ${'['.repeat(65)}${']'.repeat(65)}\n`],
];

describe('YAML subset reader', () => {
  for (const [name, text] of SUPPORTED) {
    it(`reads ${name} as the yaml package does`, () => assert.equal(assertAgree(text), 'read'));
  }
  for (const [name, text] of DECLINED) {
    it(`declines ${name}`, () => assert.equal(readYamlSubset(text), undefined));
  }

  it('reads a document without content as null', () => assert.equal(readYamlSubset('# nothing\n'), null));

  it('agrees with the yaml package on any edit of an estate', () => {
    const special = fc.constantFrom(...' \n-:#,[]{}\'"&*!|>?%@`~.\\0aZ'.split(''), '  ', '\n  ', ': ', '- ', ' #');
    const edits = fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ unit: special, maxLength: 4 })), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(edits, (changes) => {
        let text = VALID_ESTATE;
        for (const [at, remove, insert] of changes) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + remove);
        }
        assertAgree(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads what the yaml package writes, in block and flow style, as the package reads it', () => {
    const key = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,8}$/);
    const scalar = fc.oneof(
      fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/),
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    const options = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'),
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
    } as const);
    let read = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), options, (doc, opts) => {
        if (assertAgree(stringify(doc, { ...opts, lineWidth: 0 })) === 'read') read++;
      }),
      { numRuns: 1000 },
    );
    assert.ok(read > 250, `the subset reader should read a good share of these documents, read ${read} of 1000`);
  });
});
