/**
 * A seeded generator of mutated runbooks and estates (the reliability probe's mutations): the same
 * seed gives the same documents, so a failure found by `npm run fuzz` is reproduced by its seed.
 */
import fs from 'node:fs';
import path from 'node:path';

const SAMPLES = path.resolve(__dirname, '../../samples/litware');

/** mulberry32: small, fast and good enough to pick mutations. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzDocument {
  readonly kind: 'runbook' | 'estate';
  readonly name: string;
  readonly text: string;
}

type Mutation = (text: string, next: () => number) => string;

const pick = <T>(items: readonly T[], next: () => number): T => items[Math.floor(next() * items.length)]!;
const lines = (text: string) => text.split('\n');

const noise = (length: number, next: () => number) => Array.from({ length }, () => String.fromCharCode(1 + Math.floor(next() * 0x2ff))).join('');

/** Mutations any text can take. */
const GENERIC: Record<string, Mutation> = {
  deleteLine: (t, n) => lines(t).filter((_, i, all) => i !== Math.floor(n() * all.length)).join('\n'),
  duplicateLine: (t, n) => {
    const all = lines(t);
    const i = Math.floor(n() * all.length);
    return [...all.slice(0, i + 1), ...all.slice(i)].join('\n');
  },
  shuffleLines: (t, n) => {
    const all = lines(t);
    for (let k = 0; k < 5; k++) {
      const i = Math.floor(n() * all.length);
      const j = Math.floor(n() * all.length);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all.join('\n');
  },
  randomBytes: (t, n) => {
    const at = Math.floor(n() * t.length);
    return t.slice(0, at) + noise(1 + Math.floor(n() * 200), n) + t.slice(at);
  },
  hugeLine: (t, n) => `${t}\n${noise(100 * 1024 + Math.floor(n() * 900 * 1024), n)}\n`,
  truncate: (t, n) => t.slice(0, Math.floor(n() * t.length)),
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  crOnly: (t) => t.replace(/\n/g, '\r'),
  bom: (t) => `\uFEFF${t}`,
  manyHeadings: (t, n) => `${t}\n${Array.from({ length: 100 + Math.floor(n() * 8000) }, (_, i) => `## h${i}`).join('\n')}\n`,
  nestedLists: (t, n) => {
    const depth = 10 + Math.floor(n() * 200);
    return t.replace(/^## /m, () => `${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')}\n\n## `);
  },
};

const RUNBOOK_ONLY: Record<string, Mutation> = {
  nestedSubexpressions: (t, n) => {
    const depth = 50 + Math.floor(n() * 3500);
    return t.replace(/```powershell\n/, () => `\`\`\`powershell\nWrite-Output ${'$('.repeat(depth)}1${')'.repeat(depth)}\n`);
  },
  longPowerShellFence: (t, n) => `${t}\n## Long {#long}\n\n\`\`\`powershell\n${'Get-CsPool -Identity atl-cs-001.litwareinc.com\n'.repeat(100 + Math.floor(n() * 10_000))}\`\`\`\n`,
  longSqlFence: (t, n) => `${t}\n## Long sql {#long-sql}\n\n\`\`\`sql on=backup\n${"SELECT name FROM sys.databases WHERE name = N'mgc';\n".repeat(100 + Math.floor(n() * 10_000))}\`\`\`\n`,
  frontMatterAliases: (t, n) => t.replace(/^---\n/, () => `---\nx: &x [a, b, c]\ny: [${Array(1 + Math.floor(n() * 2000)).fill('*x').join(', ')}]\n`),
  devZeroEstate: (t) => t.replace(/^estate: .*$/m, 'estate: /dev/zero'),
};

const ESTATE_ONLY: Record<string, Mutation> = {
  flatAliases: (t, n) => `${t}\nx-shared: &shared { note: shared }\nx-refs:\n${'  - *shared\n'.repeat(100 + Math.floor(n() * 20_000))}`,
  billionLaughs: (t) => {
    const levels = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
    return `${t}\n${levels.join('\n')}\n`;
  },
  deepFlow: (t, n) => {
    const depth = 10 + Math.floor(n() * 10_000);
    return `${t}\ndeep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  },
  tabs: (t) => t.replace(/^ {2}/gm, '\t'),
  duplicateKeys: (t) => `${t}\nname: again\n`,
  bigScalar: (t, n) => `${t}\nnote: ${'x'.repeat(1024 * 1024 * (0.1 + n()))}\n`,
};

const RUNBOOKS = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.runbook.md'));

/** The `index`-th document of the run seeded `seed`: a sample with one to three mutations. */
export function fuzzDocument(seed: number, index: number): FuzzDocument {
  const next = random(seed * 1_000_003 + index);
  const kind = next() < 0.5 ? 'runbook' : 'estate';
  const base = kind === 'runbook' ? pick(RUNBOOKS, next) : 'lync-estate.yaml';
  let text = fs.readFileSync(path.join(SAMPLES, base), 'utf8');
  const mutations = { ...GENERIC, ...(kind === 'runbook' ? RUNBOOK_ONLY : ESTATE_ONLY) };
  const applied: string[] = [];
  for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
    const name = pick(Object.keys(mutations), next);
    text = mutations[name]!(text, next);
    applied.push(name);
  }
  return { kind, name: `${kind === 'runbook' ? 'rb' : 'es'}-${seed}-${index} ${base} ${applied.join('+')}`, text };
}

/** One LSP edit: what the client sends in a didChange (a range of the current text and its replacement). */
export interface FuzzEdit {
  readonly range: { readonly start: { line: number; character: number }; readonly end: { line: number; character: number } };
  readonly text: string;
}

/** A document opened in the language server and the edits typed into it, in order. */
export interface FuzzEditSequence {
  readonly name: string;
  readonly text: string;
  readonly edits: readonly FuzzEdit[];
  /** The text after the last edit. */
  readonly final: string;
}

const KEYS = 'abcdefghijklmnopqrstuvwxyz-$(){}"\'` =|;\n\t@#';

/** Where offset `at` of `text` is, as an LSP position. */
function positionAt(text: string, at: number): { line: number; character: number } {
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

const edit = (text: string, from: number, to: number, insert: string): [FuzzEdit, string] => [
  { range: { start: positionAt(text, from), end: positionAt(text, to) }, text: insert },
  text.slice(0, from) + insert + text.slice(to),
];

/**
 * The `index`-th edit sequence of the run seeded `seed`: a sample runbook, then `count` edits —
 * mostly keystrokes (a character typed or deleted near the last one, as a person types), some
 * pastes of a line elsewhere, some deletions of a span.
 */
export function fuzzEdits(seed: number, index: number, count: number): FuzzEditSequence {
  const next = random(seed * 7_000_003 + index);
  const base = pick(RUNBOOKS, next);
  const text = fs.readFileSync(path.join(SAMPLES, base), 'utf8');
  let current = text;
  let cursor = Math.floor(next() * current.length);
  const edits: FuzzEdit[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    let step: [FuzzEdit, string];
    if (roll < 0.6) step = edit(current, cursor, cursor, pick([...KEYS], next));
    else if (roll < 0.8) step = edit(current, Math.max(0, cursor - 1), cursor, '');
    else if (roll < 0.9) {
      const all = lines(current);
      step = edit(current, cursor, cursor, `${pick(all, next)}\n`);
    } else {
      const to = Math.min(current.length, cursor + Math.floor(next() * 400));
      step = edit(current, cursor, to, '');
    }
    const [made, after] = step;
    edits.push(made);
    cursor = Math.min(after.length, Math.max(0, roll < 0.6 ? cursor + made.text.length : roll < 0.8 ? cursor - 1 : cursor));
    if (next() < 0.05) cursor = Math.floor(next() * after.length);
    current = after;
  }
  return { name: `lsp-${seed}-${index} ${base}`, text, edits, final: current };
}

/**
 * A runbook with one PowerShell block of `blockLines` lines, and the offset of a point inside the
 * block where keystrokes go (issue 18: typing in such a block leaked ~0.8 MB per keystroke).
 */
export function runbookWithBlock(blockLines: number): { text: string; line: number } {
  const head = '---\nrunbook: persistent-chat-failover\nestate: ./lync-estate.yaml\npool: atl-gc-001.litwareinc.com\n---\n\n# Typing\n\n## One long block {#block}\n\n```powershell\n';
  const body = Array.from({ length: blockLines }, (_, i) => `Get-CsPool -Identity "atl-gc-001.litwareinc.com" # line ${i}`).join('\n');
  return { text: `${head}${body}\n\`\`\`\n`, line: lines(head).length - 1 + (blockLines >> 1) };
}
