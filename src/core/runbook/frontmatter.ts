/** The YAML front matter between `---` lines at the top of a runbook, parsed with `yaml`, positions kept. */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Range } from '../text';
import type { FrontMatter, FrontMatterEntry } from './model';
import type { LineIndex } from './lines';

/** Known keys and what they mean (completion, hover and the unknown-key rule read this). */
export const FRONT_MATTER_KEYS: Readonly<Record<string, string>> = {
  runbook: 'The procedure: persistent-chat-failover | persistent-chat-failback | conference-restore | pool-failover | pool-failback | custom.',
  estate: 'The estate file, relative to the runbook (e.g. ./lync-estate.yaml).',
  pool: 'The pool the runbook acts on: the Persistent Chat pool, or the Front End pool.',
  lostPool: 'conference-restore only: the Front End pool that lost its conference content.',
};

/** Finds and parses the front matter; undefined when the document does not start with `---`. */
export function parseFrontMatter(lines: LineIndex): { frontMatter: FrontMatter; endLine: number } | undefined {
  if (lines.line(0).trimEnd() !== '---') return undefined;
  let end = 1;
  while (end < lines.lineCount && !/^(---|\.\.\.)\s*$/.test(lines.line(end))) end++;
  const closed = end < lines.lineCount;
  const contentStart = lines.offsetOf({ line: 1, character: 0 });
  const contentEnd = closed ? lines.offsetOf({ line: end, character: 0 }) : lines.text.length;
  const source = lines.text.slice(contentStart, contentEnd);
  const at = (offset: number) => lines.positionAt(contentStart + Math.min(offset, source.length));
  const toRange = (r: readonly number[] | null | undefined): Range => (r ? { start: at(r[0]!), end: at(r[1]!) } : { start: at(0), end: at(0) });

  const doc = parseDocument(source, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false });
  const errors = doc.errors.map((e) => ({ message: e.message.split('\n')[0]!, range: toRange(e.pos) }));
  if (!closed) errors.push({ message: 'The front matter is not closed: add a line `---` after it.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } });
  const entries: FrontMatterEntry[] = [];
  if (isMap(doc.contents)) {
    for (const item of doc.contents.items) {
      if (!isScalar(item.key)) continue;
      const value = isScalar(item.value) && item.value.value !== null ? String(item.value.value) : '';
      const keyRange = toRange(item.key.range);
      const valueRange = item.value && 'range' in item.value && item.value.range ? toRange(item.value.range) : { start: keyRange.end, end: keyRange.end };
      entries.push({ key: String(item.key.value), value, keyRange, valueRange });
    }
  } else if (doc.contents !== null && !errors.length) {
    errors.push({ message: 'The front matter must be a YAML mapping of `key: value` lines.', range: toRange(doc.contents.range) });
  }
  const lastLine = closed ? end : lines.lineCount - 1;
  return {
    frontMatter: { range: { start: { line: 0, character: 0 }, end: { line: lastLine, character: lines.line(lastLine).length } }, entries, errors },
    endLine: lastLine,
  };
}
