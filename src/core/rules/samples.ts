/** Names and placeholders copied from the Microsoft documentation and never replaced. */
import type { Estate } from '../estate/model';
import type { Action } from '../runbook/model';
import { LineIndex } from '../runbook/lines';
import type { Range } from '../text';
import { defineActionRule, replaceWith } from './define';
import type { Rule, RuleContext, RuleMeta } from './types';
import { isKnownFqdn, nearest, poolsOfKind } from './estate-lookup';
import { argument, calls, literal } from './facts';

/** Host names printed in the documentation examples (domain reference §8.2, §9). */
export const DOC_SAMPLE_FQDNS: readonly string[] = [
  'atl-cs-001.litwareinc.com', 'atl-gc-001.litwareinc.com', 'atl-persistentchat-001.litwareinc.com', 'lyncpc.dci.discovery.com',
  'client.vdomain.com', 'atl-mirror-001.litwareinc.com', 'atl-primary-001.litwareinc.com', 'atl-sql-001.litwareinc.com',
  'atl-fs-001.litware.com', 'pool1.contoso.com', 'primarybe.contoso.com', 'e04-ocs.los_a.lsipt.local',
];
/** Sample domains: any host in them is a sample unless the estate has it. */
const SAMPLE_DOMAINS = /\.(litwareinc|litwarein|litware|contoso|vdomain|fabrikam)\.com$|\.lsipt\.local$|\.dci\.discovery\.com$/i;
const FQDN = /\b[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)+\.(?:com|local|net|org)\b/gi;

type Match = { readonly text: string; readonly range: Range };
/** Per regex, per action object (actions are reused across checks when unchanged). */
const matchCache = new Map<RegExp, WeakMap<Action, readonly Match[]>>();

/** Every match of `re` in the actions' text, with its document range. */
function matches(actions: readonly Action[], re: RegExp): Match[] {
  let cache = matchCache.get(re);
  if (!cache) matchCache.set(re, (cache = new WeakMap()));
  const all: Match[] = [];
  for (const a of actions) {
    let found = cache.get(a);
    if (!found) {
      const list: Match[] = [];
      const lines = new LineIndex(a.text);
      for (let i = 0; i < lines.lineCount; i++) {
        for (const m of lines.line(i).matchAll(re)) {
          const l = a.range.start.line + i;
          list.push({ text: m[0], range: { start: { line: l, character: m.index! }, end: { line: l, character: m.index! + m[0].length } } });
        }
      }
      cache.set(a, (found = list));
    }
    all.push(...found);
  }
  return all;
}

const sampleVerdicts = new WeakMap<Estate, Map<string, boolean>>();
const NO_ESTATE = {} as Estate;

/** Whether an FQDN is a documentation sample; memoised per estate (a long runbook repeats names). */
function isSample(estate: Estate | undefined, fqdn: string): boolean {
  let verdicts = sampleVerdicts.get(estate ?? NO_ESTATE);
  if (!verdicts) sampleVerdicts.set(estate ?? NO_ESTATE, (verdicts = new Map()));
  let verdict = verdicts.get(fqdn);
  if (verdict === undefined) {
    verdict = !isKnownFqdn(estate, fqdn) && (DOC_SAMPLE_FQDNS.includes(fqdn.toLowerCase()) || SAMPLE_DOMAINS.test(fqdn));
    verdicts.set(fqdn, verdict);
  }
  return verdict;
}

const DOC_SAMPLE_FQDN: RuleMeta = { id: 'doc-sample-fqdn', severity: 'error', description: 'A host name from the documentation examples (litwareinc, contoso, lyncpc.dci.discovery.com…) that is not in the estate.', fix: 'Replaces it with the runbook pool (or the nearest pool of the estate).' };

/** doc-sample-fqdn in the front matter (`pool:`, `lostPool:`). */
const sampleFqdnInFrontMatter = ({ estate, facts, report }: RuleContext): void => {
  const front = ['pool', 'lostPool'].flatMap((k) => {
    const e = facts.entry(k);
    return e && e.value && isSample(estate, e.value) && estate ? [{ text: e.value, range: e.valueRange }] : [];
  });
  reportSamples(front, estate, facts, report);
};

/** doc-sample-fqdn in the actions (local to each action). */
const sampleFqdnInActions = ({ estate, facts, report }: RuleContext): void => reportSamples(matches(facts.actions, FQDN), estate, facts, report);

function reportSamples(found: readonly Match[], estate: Estate | undefined, facts: RuleContext['facts'], report: RuleContext['report']): void {
  for (const m of found) {
    if (!isSample(estate, m.text)) continue;
    // Without an estate a litwareinc name may be real; only the documented samples are certain.
    if (!estate && !DOC_SAMPLE_FQDNS.includes(m.text.toLowerCase())) continue;
    const replacement = facts.pool?.fqdn ?? nearest(m.text, estate?.pools.map((p) => p.fqdn) ?? []);
    report(m.range, `\`${m.text}\` is a sample name from the documentation, not a host of this estate: replace it with your own${replacement ? ` (e.g. ${replacement})` : ''}.`, replacement ? [replaceWith(`Replace with ${replacement}`, m.range, replacement)] : []);
  }
}

export const docSampleFqdn: Rule = {
  meta: DOC_SAMPLE_FQDN,
  check: (ctx) => {
    sampleFqdnInFrontMatter(ctx);
    sampleFqdnInActions(ctx);
  },
  document: sampleFqdnInFrontMatter,
  action: sampleFqdnInActions,
};

export const placeholderLeft = defineActionRule(
  { id: 'placeholder-left', severity: 'error', description: 'An angle-bracket placeholder from the documentation (`<Pool2 FQDN>`, `<spid>`…) left in an action.', fix: 'Replaces a pool placeholder with the runbook pool.' },
  ({ facts, report }) => {
    // `<#…#>` is a PowerShell block comment and `<>` a T-SQL operator; neither is a placeholder.
    const re = /<(?![#=>])[A-Za-z*][^<>\n]{0,60}>/g;
    for (const m of matches(facts.actions, re)) {
      const poolLike = /pool|fqdn/i.test(m.text) && facts.pool;
      report(m.range, `Placeholder \`${m.text}\` left from the documentation: replace it with the real value.`, poolLike ? [replaceWith(`Replace with ${facts.pool!.fqdn}`, m.range, facts.pool!.fqdn)] : []);
    }
  },
);

export const docCollectionIdentity = defineActionRule(
  { id: 'doc-collection-identity', severity: 'warning', description: '`Set-CsPersistentChatActiveServer -Identity` is a documentation collection name that differs from the estate\'s `activeServerCollection`.', fix: 'Replaces it with the estate\'s collection.' },
  ({ estate, facts, report }) => {
    const expected = facts.pool?.activeServerCollection ?? poolsOfKind(estate, 'persistent-chat')[0]?.activeServerCollection;
    if (!expected) return;
    for (const u of calls(facts, 'Set-CsPersistentChatActiveServer')) {
      const arg = argument(u.command, 'Identity', 0);
      const value = literal(arg);
      if (!arg || !value || value.toLowerCase() === expected.toLowerCase()) continue;
      report(arg.range, `Collection \`${value}\` is copied from the documentation; this estate's active-server collection is \`${expected}\`.`, [replaceWith(`Replace with "${expected}"`, arg.range, `"${expected}"`)]);
    }
  },
);

export const SAMPLE_RULES = [docSampleFqdn, placeholderLeft, docCollectionIdentity];
