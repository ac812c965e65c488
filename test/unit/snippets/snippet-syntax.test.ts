import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSnippet, render, tabstops, SnippetSyntaxError } from './snippet-syntax';

describe('snippet syntax checker', () => {
  it('parses tabstops, nested placeholders, choices and variables', () => {
    const nodes = parseSnippet('a $1 ${2} ${3:x ${4:y}} ${5|P,Q|} $TM_FILENAME ${CLIPBOARD:none} $0');
    const stops = tabstops(nodes);
    assert.deepEqual([...stops.keys()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(stops.get(3)?.defaults, ['x y']);
    assert.deepEqual(stops.get(5)?.options, ['P', 'Q']);
    assert.equal(render(nodes), 'a   x y P  none ');
  });

  it('renders escapes and mirrors', () => {
    const nodes = parseSnippet('\\$null \\} \\\\\\\\share\\x ${1:p} $1 ${2|a\\,b,c\\|d|}');
    assert.equal(render(nodes), '$null } \\\\share\\x p p a,b');
    assert.equal(render(nodes, (i) => (i === 1 ? 'filled' : undefined)), '$null } \\\\share\\x filled filled a,b');
    assert.deepEqual(tabstops(nodes).get(2)?.options, ['a,b', 'c|d']);
  });

  it('keeps an unescaped } outside placeholders as text, as VS Code does', () => {
    assert.equal(render(parseSnippet('@{Add="${1:x}"}')), '@{Add="x"}');
  });

  for (const [body, why] of [
    ['$null', 'unknown variable'],
    ['\\$status | Where-Object { $_.Identity }', 'a $ that starts nothing'],
    ['${1:open', 'unclosed ${'],
    ['${1|a,b}', 'unclosed choice'],
    ['${1|a,|}', 'empty choice option'],
    ['${1/(.*)/x/}', 'transform'],
    ['${1 x}', 'unexpected character'],
  ]) {
    it(`rejects ${why}: ${body}`, () => {
      assert.throws(() => parseSnippet(body!), SnippetSyntaxError);
    });
  }
});
