/** The runbook format itself: front matter, estate, steps, fences and `lync` lines. */
import { STORE_ROLES } from '../estate/model';
import { FRONT_MATTER_KEYS } from '../runbook/frontmatter';
import { findLyncAction, LYNC_ACTIONS } from '../runbook/lync-actions';
import { RUNBOOK_KINDS } from '../runbook/model';
import { defineActionRule, defineRule, insertAt, replaceWith } from './define';
import { findPool, nearest, poolsOfKind } from './estate-lookup';
import { key } from './facts';

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export const frontMatterMissing = defineRule(
  { id: 'front-matter-missing', severity: 'error', description: 'The runbook has no front matter, or it lacks `runbook:`, `estate:` or `pool:`.', fix: 'Inserts the missing front matter keys.' },
  ({ runbook, report }) => {
    const fm = runbook.frontMatter;
    if (!fm) {
      report(ZERO, 'The runbook has no front matter: start it with `---`, `runbook:`, `estate:`, `pool:` and `---`.', [
        insertAt('Insert a front matter', ZERO.start, '---\nrunbook: custom\nestate: ./lync-estate.yaml\npool: \n---\n\n'),
      ]);
      return;
    }
    for (const e of fm.errors) report(e.range, `Front matter: ${e.message}`);
    const missing = ['runbook', 'estate', 'pool'].filter((k) => !fm.entries.some((e) => e.key === k));
    if (missing.length && !fm.errors.length) {
      const at = { line: fm.range.end.line, character: 0 };
      report({ start: fm.range.start, end: { line: 0, character: 3 } }, `The front matter lacks ${missing.map((k) => `\`${k}:\``).join(', ')}: add ${missing.length > 1 ? 'them' : 'it'}.`, [
        insertAt(`Add ${missing.join(', ')}`, at, missing.map((k) => `${k}: ${k === 'estate' ? './lync-estate.yaml' : ''}\n`).join('')),
      ]);
    }
  },
);

export const frontMatterUnknownKey = defineRule(
  { id: 'front-matter-unknown-key', severity: 'warning', description: 'A front matter key that is not part of the runbook vocabulary.', fix: 'Replaces it with the nearest known key.' },
  ({ runbook, report }) => {
    const known = Object.keys(FRONT_MATTER_KEYS);
    for (const e of runbook.frontMatter?.entries ?? []) {
      if (known.includes(e.key)) continue;
      const suggestion = nearest(e.key, known)!;
      report(e.keyRange, `Unknown front matter key \`${e.key}\`: use one of ${known.join(', ')} (did you mean \`${suggestion}\`?).`, [replaceWith(`Replace with '${suggestion}'`, e.keyRange, suggestion)]);
    }
  },
);

export const frontMatterInvalidValue = defineRule(
  { id: 'front-matter-invalid-value', severity: 'error', description: '`runbook:` is not a known kind, or `lostPool:` is missing (conference-restore) or misplaced.', fix: 'Replaces the kind with the nearest known one.' },
  ({ runbook, facts, report }) => {
    const kind = facts.entry('runbook');
    if (kind && !RUNBOOK_KINDS.includes(kind.value as never)) {
      const suggestion = nearest(kind.value, RUNBOOK_KINDS)!;
      report(kind.valueRange, `Unknown runbook kind \`${kind.value}\`: use one of ${RUNBOOK_KINDS.join(', ')}.`, [replaceWith(`Replace with '${suggestion}'`, kind.valueRange, suggestion)]);
    }
    const lost = facts.entry('lostPool');
    if (runbook.kind === 'conference-restore' && !lost && kind) report(kind.valueRange, 'A conference-restore runbook needs `lostPool:`: the Front End pool that lost its conference content.');
    if (lost && runbook.kind && runbook.kind !== 'conference-restore' && runbook.kind !== 'custom') report(lost.keyRange, '`lostPool:` only applies to conference-restore runbooks: remove it.');
  },
);

export const estateUnavailable = defineRule(
  { id: 'estate-unavailable', severity: 'error', description: 'The estate file named by `estate:` is missing or invalid, so nothing can be checked against it.' },
  ({ estate, estateError, facts, report }) => {
    const entry = facts.entry('estate');
    if (!entry || estate) return;
    report(entry.valueRange.start.character === entry.valueRange.end.character ? entry.keyRange : entry.valueRange, `Estate file missing or invalid: ${estateError ?? 'it could not be loaded'}. Fix \`estate:\` or the estate file.`);
  },
);

export const poolNotInEstate = defineRule(
  { id: 'pool-not-in-estate', severity: 'error', description: '`pool:`/`lostPool:` is not a pool of the estate, or not of the kind the runbook needs.', fix: 'Replaces it with the nearest pool of the right kind.' },
  ({ runbook, estate, facts, report }) => {
    if (!estate) return;
    const wanted = runbook.kind === 'persistent-chat-failover' || runbook.kind === 'persistent-chat-failback' ? 'persistent-chat' : runbook.kind === 'custom' || !runbook.kind ? undefined : 'front-end';
    for (const name of ['pool', 'lostPool']) {
      const e = facts.entry(name);
      if (!e || !e.value) continue;
      const pool = findPool(estate, e.value);
      const kindNeeded = name === 'lostPool' ? 'front-end' : wanted;
      if (pool && (!kindNeeded || pool.kind === kindNeeded)) continue;
      const candidates = poolsOfKind(estate, kindNeeded ?? 'front-end').map((p) => p.fqdn);
      const suggestion = nearest(e.value, candidates.length ? candidates : estate.pools.map((p) => p.fqdn));
      const what = pool ? `is a ${pool.kind} pool; this runbook needs a ${kindNeeded} pool` : 'is not a pool of the estate';
      report(e.valueRange, `\`${name}: ${e.value}\` ${what}${suggestion ? ` — use ${suggestion}` : ''}.`, suggestion ? [replaceWith(`Replace with ${suggestion}`, e.valueRange, suggestion)] : []);
    }
  },
);

export const duplicateStepId = defineRule(
  { id: 'duplicate-step-id', severity: 'error', description: 'Two steps have the same id: the journal could not tell them apart.', fix: 'Adds an explicit `{#id}` to the second heading.' },
  ({ runbook, report }) => {
    const seen = new Set<string>();
    for (const s of runbook.steps) {
      if (seen.has(s.id)) {
        let n = 2;
        while (seen.has(`${s.id}-${n}`)) n++;
        report(s.headingRange, `Step id \`${s.id}\` is used twice: rename the heading or give it an explicit \`{#id}\`.`, [insertAt(`Add {#${s.id}-${n}}`, s.headingRange.end, ` {#${s.id}-${n}}`)]);
      }
      seen.add(s.id);
    }
  },
);

export const sqlTargetMissing = defineActionRule(
  { id: 'sql-target-missing', severity: 'error', description: 'A `sql` block without `on=`: it is not known which SQL instance runs it.', fix: 'Adds `on=` with the role the runbook kind implies (backup for a failover, primary for a failback).' },
  ({ runbook, facts, report }) => {
    const role = runbook.kind === 'persistent-chat-failback' ? 'primary' : 'backup';
    for (const a of facts.actions) {
      if (a.kind !== 'sql' || a.target) continue;
      report(a.infoRange, `This \`sql\` block has no target: add \`on=${role}\` (or another role / estate SQL instance id).`, [insertAt(`Add on=${role}`, a.infoRange.end, ` on=${role}`)]);
    }
  },
);

export const targetUnknown = defineActionRule(
  { id: 'target-unknown', severity: 'error', description: '`on=` names neither a store role the pool has nor an estate SQL instance id.', fix: 'Replaces it with the nearest role or instance id.' },
  ({ estate, facts, report }) => {
    if (!estate) return;
    const refs = [...facts.actions.flatMap((a) => (a.target ? [a.target] : [])), ...facts.lync.flatMap((u) => (u.target && u.target.ref !== u.action.target ? [u.target.ref] : []))];
    const candidates = [...STORE_ROLES, ...estate.sqlInstances.map((s) => s.id)];
    for (const ref of refs) {
      const resolved = facts.resolve(ref);
      if (resolved?.instance) continue;
      if (ref.role && !facts.pool) continue; // pool-not-in-estate already explains it
      const suggestion = nearest(ref.raw, candidates);
      const why = ref.role ? `the pool has no ${ref.role} SQL instance for ${ref.database} in the estate` : `no SQL instance \`${ref.raw}\` in the estate`;
      report(ref.range, `Unknown target \`on=${ref.raw}\`: ${why}.`, suggestion && !ref.role ? [replaceWith(`Replace with ${suggestion}`, ref.range, suggestion)] : []);
    }
  },
);

export const lyncUnknownAction = defineActionRule(
  { id: 'lync-unknown-action', severity: 'error', description: 'A `lync` line names an action that does not exist.', fix: 'Replaces it with the nearest action.' },
  ({ facts, report }) => {
    const names = LYNC_ACTIONS.map((a) => a.name);
    for (const { command } of facts.lync) {
      if (findLyncAction(command.name)) continue;
      const suggestion = nearest(command.name, names)!;
      report(command.nameRange, `Unknown lync action \`${command.name}\`: use one of ${names.join(', ')}.`, [replaceWith(`Replace with ${suggestion}`, command.nameRange, suggestion)]);
    }
  },
);

export const lyncUnknownKey = defineActionRule(
  { id: 'lync-unknown-key', severity: 'error', description: 'A `lync` action is given a key it does not take.', fix: 'Replaces the key with the nearest one the action takes.' },
  ({ facts, report }) => {
    for (const { command } of facts.lync) {
      const spec = findLyncAction(command.name);
      if (!spec) continue;
      const known = spec.keys.map((k) => k.name);
      for (const a of command.attributes) {
        if (known.includes(a.key)) continue;
        const suggestion = nearest(a.key, known);
        report(a.keyRange, `\`${spec.name}\` has no key \`${a.key}\`${known.length ? `: use ${known.join(', ')}` : ''}.`, suggestion ? [replaceWith(`Replace with ${suggestion}`, a.keyRange, suggestion)] : []);
      }
    }
  },
);

export const lyncMissingKey = defineActionRule(
  { id: 'lync-missing-key', severity: 'error', description: 'A `lync` action lacks a required key (or its text, or a SQL target).', fix: 'Appends the missing key.' },
  ({ facts, report }) => {
    for (const u of facts.lync) {
      const spec = findLyncAction(u.command.name);
      if (!spec) continue;
      const missing = spec.keys.filter((k) => k.required && !key(u.command, k.name)).map((k) => k.name);
      if (spec.sql && !u.target) missing.push('on');
      if (missing.length) {
        report(u.command.range, `\`${spec.name}\` needs ${missing.map((k) => `\`${k}=\``).join(', ')}.`, [insertAt(`Add ${missing.join(', ')}`, u.command.range.end, missing.map((k) => ` ${k}=${k === 'database' ? 'mgc' : k === 'on' ? 'backup' : ''}`).join(''))]);
      }
      if (spec.takesText && u.command.positional.length === 0) report(u.command.range, `\`${spec.name}\` needs a quoted text: ${spec.name} "What the operator must check".`);
    }
  },
);

export const powershellSyntax = defineActionRule(
  { id: 'powershell-syntax', severity: 'error', description: 'A PowerShell block does not parse (unclosed quote, brace or parenthesis…).' },
  ({ facts, report }) => {
    for (const a of facts.actions) if (a.kind === 'powershell') for (const r of a.syntaxErrors.slice(0, 3)) report(r, 'PowerShell syntax error: check quotes, braces and parentheses on this line.');
  },
);

export const sqlSyntax = defineActionRule(
  { id: 'sql-syntax', severity: 'error', description: 'A T-SQL block has an unterminated string, comment or bracketed name.' },
  ({ facts, report }) => {
    for (const a of facts.actions) if (a.kind === 'sql') for (const e of a.syntaxErrors) report(e.range, e.message);
  },
);

export const runbookTooComplex = defineRule(
  {
    id: 'runbook-too-complex',
    severity: 'error',
    description: 'Part of the runbook is beyond what the checker reads: Markdown nested about 50 levels deep, or a PowerShell block too large, too slow or too deeply nested to parse. That part is not checked, and the runbook cannot run.',
  },
  ({ runbook, facts, report }) => {
    if (runbook.unread) report(runbook.unread.range, runbook.unread.message);
    for (const a of facts.actions) if (a.kind === 'powershell' && a.unchecked) report(a.infoRange, a.unchecked);
  },
);

export const FORMAT_RULES = [
  frontMatterMissing, frontMatterUnknownKey, frontMatterInvalidValue, estateUnavailable, poolNotInEstate, duplicateStepId,
  sqlTargetMissing, targetUnknown, lyncUnknownAction, lyncUnknownKey, lyncMissingKey, powershellSyntax, sqlSyntax, runbookTooComplex,
];
