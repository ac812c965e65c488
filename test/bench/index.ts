// `npm run bench [-- FILTER…]`: runs every test/bench/*.bench.ts (or those whose name contains a
// FILTER), one after the other, and prints one table of their figures. Exits 1 if a figure is
// over its limit.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAcceptable, type BenchFigure, type BenchModule } from './figures';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const modules = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts') && (filters.length === 0 || filters.some((f) => name.includes(f))))
  .sort();

type Row = BenchFigure & { readonly module: string };

async function runAll(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of modules) {
    const bench = (await import(pathToFileURL(path.join(dir, name)).href)) as BenchModule;
    for (const figure of await bench.run()) rows.push({ ...figure, module: name.replace(/\.bench\.ts$/, '') });
  }
  return rows;
}

function print(rows: readonly Row[]): void {
  const table = rows.map((row) => [
    row.module,
    row.name,
    `${Number.isInteger(row.value) ? row.value : row.value.toFixed(1)} ${row.unit}`,
    row.limit === undefined ? '' : `≤ ${row.limit} ${row.unit}`,
    row.limit === undefined && row.ok === undefined ? '' : isAcceptable(row) ? 'ok' : 'OVER',
  ]);
  const header = ['module', 'figure', 'value', 'limit', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line)].join('\n'));
  if (rows.length === 0) console.log(`no bench module matched ${filters.join(', ') || '*.bench.ts'}`);
}

runAll().then(
  (rows) => {
    print(rows);
    process.exitCode = rows.some((row) => !isAcceptable(row)) ? 1 : 0;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
