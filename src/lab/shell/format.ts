/**
 * Out-Default: how objects that reach the end of a pipeline are shown. Strings and numbers
 * print as they are; objects print as a list (`Name : value`, names padded to the longest),
 * or as a table when they are custom objects with at most four properties, as PowerShell's
 * default formatter does. Collections inside a property print as `{a, b, c}`.
 */
import { PS_CUSTOM_OBJECT, PsHashtable, PsObject, toPsString, type PsValue } from './values';

export function formatForHost(items: readonly PsValue[]): string[] {
  const lines: string[] = [];
  let table: PsObject[] = [];
  const flushTable = () => {
    if (table.length) lines.push(...formatTable(table));
    table = [];
  };
  for (const item of items) {
    if (item instanceof PsObject && item.typeName === PS_CUSTOM_OBJECT && item.entries().length <= 4) {
      if (table.length && !sameShape(table[0], item)) flushTable();
      table.push(item);
      continue;
    }
    flushTable();
    if (item instanceof PsObject) lines.push(...formatList(item));
    else if (item instanceof PsHashtable) lines.push(...formatHashtable(item));
    else if (item !== null) lines.push(...toPsString(item).split(/\r?\n/));
  }
  flushTable();
  return lines;
}

function sameShape(a: PsObject, b: PsObject): boolean {
  return a.entries().map(([k]) => k).join('|') === b.entries().map(([k]) => k).join('|');
}

function cell(v: PsValue | undefined): string {
  if (Array.isArray(v)) return `{${v.map(cell).join(', ')}}`;
  return toPsString(v ?? null);
}

function formatList(o: PsObject): string[] {
  const entries = o.entries();
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return ['', ...entries.map(([k, v]) => `${k.padEnd(width)} : ${cell(v)}`.trimEnd()), ''];
}

function formatTable(rows: PsObject[]): string[] {
  const names = rows[0].entries().map(([k]) => k);
  const cells = rows.map((r) => names.map((n) => cell(r.get(n))));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join(' ').trimEnd();
  return ['', line(names), line(names.map((n) => '-'.repeat(n.length))), ...cells.map(line), ''];
}

function formatHashtable(h: PsHashtable): string[] {
  const entries = h.entries();
  const width = Math.max(4, ...entries.map(([k]) => k.length));
  return ['', `${'Name'.padEnd(width)} Value`, `${'----'.padEnd(width)} -----`, ...entries.map(([k, v]) => `${k.padEnd(width)} ${cell(v)}`.trimEnd()), ''];
}
