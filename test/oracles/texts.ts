/**
 * Every PowerShell and T-SQL text the product emits or shows, with where it came from: the
 * builders (called with representative values and with every hostile value they accept), the
 * procedures (each kind on the Litware estate, and the runbooks they render), the snippets, the
 * sample runbooks and the docs' fences.
 */
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { InvalidValueError, toScript, wrapForJson, type SqlCommand } from '../../src/core/commands';
import { PROCEDURE_KINDS, procedureFor, renderRunbook, type ProcedureKind } from '../../src/core/procedures';
import { HOSTILE, SLOTS, SPICY_PATHS } from '../unit/commands/slots';
import { litware } from '../unit/procedures/litware';
import { expansions, snippetsOf } from '../unit/snippets/files';
import { ROOT } from './oracles';

export interface Text {
  /** Where it comes from, for failure messages: `builder installMirrorDatabase(fileShare) "…"`. */
  readonly source: string;
  readonly text: string;
  /**
   * `error`: an example of a syntax error, shown on purpose: the oracle must reject it too.
   * `any`: an example of another mistake (a rule page's "Reported" example): it may or may not
   * parse, and the language server must say the same as the oracle. Default: it must parse.
   */
  readonly expect?: 'error' | 'any';
}

export interface Texts {
  readonly powershell: Text[];
  readonly tsql: Text[];
}

const POOL: Record<ProcedureKind, string> = {
  'persistent-chat-failover': 'atl-gc-001.litwareinc.com',
  'persistent-chat-failback': 'atl-gc-001.litwareinc.com',
  'conference-restore': 'atl-cs-001.litwareinc.com',
  'pool-failover': 'atl-cs-001.litwareinc.com',
  'pool-failback': 'atl-cs-001.litwareinc.com',
};

/** Fence languages that hold each kind of text; `sql on=backup` counts as `sql`. */
const PS_FENCES = new Set(['powershell', 'ps1', 'pwsh']);
const SQL_FENCES = new Set(['sql', 'tsql']);

const markdown = new MarkdownIt();

/** Rules whose documented "Reported" examples are broken on purpose: they must not parse. */
const SYNTAX_RULES = new Set(['powershell-syntax', 'sql-syntax']);

type Expect = Text['expect'];

/**
 * The powershell and sql fences of a Markdown text, and those of the runbooks it quotes in
 * `markdown` fences (the rule pages' examples), with what to expect of the rule pages' "Reported"
 * examples.
 */
function fencesOf(source: string, text: string, into: Texts, expect: Expect = undefined): void {
  const tokens = markdown.parse(text, {});
  const rule = /^docs\/rules\/([a-z-]+)\.md$/.exec(source)?.[1];
  let section = '';
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open' && token.tag === 'h2') section = tokens[i + 1]?.content ?? '';
    if (token.type !== 'fence') return;
    const lang = token.info.trim().split(/\s+/)[0]!.toLowerCase();
    const at = `${source}:${(token.map?.[0] ?? 0) + 1}`;
    const reported = rule !== undefined && section === 'Reported' ? (SYNTAX_RULES.has(rule) ? 'error' : 'any') : undefined;
    const fenceExpect = expect ?? reported;
    const text = { source: at, text: token.content, ...(fenceExpect ? { expect: fenceExpect } : {}) };
    if (PS_FENCES.has(lang)) into.powershell.push(text);
    else if (SQL_FENCES.has(lang)) into.tsql.push(text);
    else if (lang === 'markdown') fencesOf(at, token.content, into, fenceExpect);
  });
}

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Ordinary values of every kind; each slot's parser keeps the ones of its kind. */
const REPRESENTATIVE = [
  'mgc', 'mgccomp', 'D:\\LogShipping\\mgc\\mgc_20240506074000.trn', '\\\\atl-fs-001.litwareinc.com\\pchat-logs', 'atl-gc-001.litwareinc.com',
  'PersistentChatServer:atl-gc-001.litwareinc.com', 'service:atl-gc-001.litwareinc.com', 'global', 'pchat', 'FailedOver', 'Normal',
  'PersistentChat', 'PersistentChatCompliance', 'UserData', 'CMS', 'ConfServices.DataConf', '53',
];

function builderTexts(into: Texts): void {
  for (const slot of SLOTS) {
    const inputs = [...REPRESENTATIVE, ...HOSTILE, ...SPICY_PATHS];
    for (const input of inputs) {
      let value: unknown;
      try {
        value = slot.parse(input);
      } catch (e) {
        if (e instanceof InvalidValueError) continue;
        throw e;
      }
      const out = slot.build(value);
      const source = `builder ${slot.builder} ${JSON.stringify(input)}`;
      if (typeof out === 'string') {
        into.powershell.push({ source, text: out });
        into.powershell.push({ source: `wrapForJson(${source})`, text: wrapForJson(out, 'n0nce1234') });
      } else {
        into.tsql.push({ source, text: (out as SqlCommand).text });
        into.tsql.push({ source: `toScript(${source})`, text: toScript(out as SqlCommand) });
      }
    }
  }
}

function procedureTexts(into: Texts): void {
  for (const kind of PROCEDURE_KINDS) {
    const plan = procedureFor(kind, litware(), POOL[kind]);
    for (const step of plan.steps) {
      for (const action of step.actions) {
        const source = `procedure ${kind} step ${step.id}`;
        if (action.kind === 'powershell') into.powershell.push({ source, text: action.command });
        if (action.kind === 'sql') into.tsql.push({ source, text: toScript(action.command) });
      }
    }
    fencesOf(`renderRunbook(${kind})`, renderRunbook(plan), into);
  }
}

function snippetTexts(into: Texts): void {
  for (const [language, list] of [['powershell', into.powershell], ['sql', into.tsql]] as const) {
    for (const snippet of snippetsOf(language)) {
      // `KILL session-id` names the value the operator must pick (sp_who2 shows it); any SPID stands for it.
      for (const text of expansions(snippet)) list.push({ source: `snippet ${language} "${snippet.name}"`, text: text.replace(/\bKILL session-id\b/, 'KILL 57') });
    }
  }
  // Runbook snippets insert whole steps; their fences are judged like any runbook's.
  for (const snippet of snippetsOf('markdown')) for (const text of expansions(snippet)) fencesOf(`snippet markdown "${snippet.name}"`, text, into);
}

/** Every text, collected once per process. */
let collected: Texts | undefined;

export function emittedTexts(): Texts {
  if (collected) return collected;
  const texts: Texts = { powershell: [], tsql: [] };
  builderTexts(texts);
  procedureTexts(texts);
  snippetTexts(texts);
  for (const file of [...markdownFiles(path.join(ROOT, 'samples')), ...markdownFiles(path.join(ROOT, 'docs')), path.join(ROOT, 'README.md')]) {
    fencesOf(path.relative(ROOT, file), fs.readFileSync(file, 'utf8'), texts);
  }
  collected = texts;
  return texts;
}
