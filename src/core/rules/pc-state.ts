/** Set-CsPersistentChatState: the switch of a Persistent Chat pool to its backup databases and back. */
import type { RunbookKind } from '../runbook/model';
import { defineActionRule, defineRule, insertAt, replaceWith } from './define';
import { findPool, nearest, poolsOfKind } from './estate-lookup';
import { argument, calls, literal, param } from './facts';
import { DOC_SAMPLE_FQDNS } from './samples';
import type { RuleContext } from './types';

const CMDLET = 'Set-CsPersistentChatState';

/** The PoolState a runbook kind must set. */
export const expectedPoolState = (kind: RunbookKind | undefined): 'FailedOver' | 'Normal' | undefined =>
  kind === 'persistent-chat-failover' ? 'FailedOver' : kind === 'persistent-chat-failback' ? 'Normal' : undefined;

/** `PersistentChatServer:fqdn`, `service:fqdn`, `service:PersistentChatServer:fqdn`; `space` = blanks after the prefix. */
export function splitIdentity(value: string): { prefix: string; space: string; fqdn: string } {
  const m = /^(service:\s*PersistentChatServer:|service:|PersistentChatServer:)?(\s*)(.*)$/is.exec(value)!;
  return { prefix: m[1] ?? '', space: m[2] ?? '', fqdn: m[3] ?? '' };
}

export const poolStateMissing = defineActionRule(
  { id: 'pool-state-missing', severity: 'error', description: '`Set-CsPersistentChatState` without `-PoolState`: the parameter is optional and defaults to Normal, so nothing fails over.', fix: 'Adds `-PoolState` with the value the runbook kind implies.' },
  ({ runbook, facts, report }) => {
    for (const { command } of calls(facts, CMDLET)) {
      if (param(command, 'PoolState')) continue;
      const values = expectedPoolState(runbook.kind) ? [expectedPoolState(runbook.kind)!] : ['FailedOver', 'Normal'];
      report(command.nameRange, `${CMDLET} without -PoolState changes nothing (the default is Normal): add -PoolState ${values.join(' or ')}.`, values.map((v) => insertAt(`Add -PoolState ${v}`, command.range.end, ` -PoolState ${v}`)));
    }
  },
);

export const poolStateWrongForKind = defineActionRule(
  { id: 'pool-state-wrong-for-kind', severity: 'error', description: '`-PoolState Normal` in a failover runbook, or `FailedOver` in a failback runbook.', fix: 'Replaces the value with the one the runbook kind implies.' },
  ({ runbook, facts, report }) => {
    const expected = expectedPoolState(runbook.kind);
    if (!expected) return;
    for (const { command } of calls(facts, CMDLET)) {
      const arg = argument(command, 'PoolState');
      const value = literal(arg);
      if (!arg || !value || value.toLowerCase() === expected.toLowerCase() || !/^(normal|failedover)$/i.test(value)) continue;
      report(arg.range, `A ${runbook.kind} runbook must set -PoolState ${expected}, not ${value}.`, [replaceWith(`Replace with ${expected}`, arg.range, expected)]);
    }
  },
);

export const poolStateNotSet = defineRule(
  { id: 'pool-state-not-set', severity: 'error', description: 'A Persistent Chat failover (failback) runbook never runs `Set-CsPersistentChatState -PoolState FailedOver` (Normal).' },
  ({ runbook, facts, report }) => {
    const expected = expectedPoolState(runbook.kind);
    const kind = facts.entry('runbook');
    if (!expected || !kind || calls(facts, CMDLET).length) return;
    report(kind.valueRange, `This ${runbook.kind} runbook never switches the pool: add a step running ${CMDLET} -Identity "PersistentChatServer:<pool>" -PoolState ${expected}.`);
  },
);

export const pcIdentityWhitespace = defineActionRule(
  { id: 'pc-identity-whitespace', severity: 'error', description: 'A space after `service:` in the identity (`"service: lyncpc…"`, copied from the failback page).', fix: 'Removes the space.' },
  ({ facts, report }) => {
    for (const { command } of calls(facts, CMDLET)) {
      const arg = argument(command, 'Identity', 0);
      const value = literal(arg);
      if (!arg || value === undefined) continue;
      const id = splitIdentity(value);
      const inner = /:\s+/.test(id.prefix);
      if (!id.space && !inner) continue;
      const fixed = `${id.prefix.replace(/\s+/g, '')}${id.fqdn}`;
      report(arg.range, `The identity has a space after the colon: write "${fixed}".`, [replaceWith('Remove the space', arg.range, `"${fixed}"`)]);
    }
  },
);

export const pcIdentityForm = defineActionRule(
  {
    id: 'pc-identity-form',
    severity: 'warning',
    description: 'The identity is not a form the documentation uses for `Set-CsPersistentChatState`: `PersistentChatServer:<fqdn>` (cmdlet reference) or `service:<fqdn>` (failover page). `service:PersistentChatServer:<fqdn>` (the service scope of the Persistent Chat configuration cmdlets) is let through.',
    fix: 'Rewrites it as `PersistentChatServer:<fqdn>`.',
  },
  ({ facts, report }) => {
    for (const { command } of calls(facts, CMDLET)) {
      const arg = argument(command, 'Identity', 0);
      const value = literal(arg);
      if (!arg || value === undefined || splitIdentity(value).prefix) continue;
      const fqdn = value.replace(/^[^:]*:/, '').trim();
      report(arg.range, `Identity "${value}" is not a form the documentation uses for ${CMDLET}: write "PersistentChatServer:${fqdn}" (cmdlet reference).`, [replaceWith('Use PersistentChatServer:<fqdn>', arg.range, `"PersistentChatServer:${fqdn}"`)]);
    }
  },
);

/** The identities of Set-CsPersistentChatState calls that do not name a Persistent Chat pool. */
function* wrongPools(ctx: RuleContext, frontEnd: boolean) {
  const { estate, facts } = ctx;
  if (!estate) return;
  for (const { command } of calls(facts, CMDLET)) {
    const arg = argument(command, 'Identity', 0);
    const value = literal(arg);
    if (!arg || !value) continue;
    const id = splitIdentity(value);
    if (!id.fqdn || id.fqdn.includes('<')) continue;
    const pool = findPool(estate, id.fqdn);
    if (pool?.kind === 'persistent-chat') continue;
    // A documentation sample not in the estate is doc-sample-fqdn's to report.
    if (!pool && DOC_SAMPLE_FQDNS.includes(id.fqdn.toLowerCase())) continue;
    if ((pool?.kind === 'front-end') !== frontEnd) continue;
    const suggestion = facts.pool?.kind === 'persistent-chat' ? facts.pool.fqdn : nearest(id.fqdn, poolsOfKind(estate, 'persistent-chat').map((p) => p.fqdn));
    yield { arg, id, suggestion };
  }
}

export const pcIdentityFrontEndPool = defineActionRule(
  { id: 'pc-identity-front-end-pool', severity: 'error', description: '`Set-CsPersistentChatState -Identity` names a Front End pool (as the documentation\'s `atl-cs-001` sample does) instead of the Persistent Chat pool.', fix: 'Replaces the FQDN with the Persistent Chat pool.' },
  (ctx) => {
    for (const { arg, id, suggestion } of wrongPools(ctx, true)) {
      ctx.report(arg.range, `${id.fqdn} is a Front End pool: ${CMDLET} needs the Persistent Chat pool${suggestion ? ` (${suggestion})` : ''}.`, suggestion ? [replaceWith(`Use ${suggestion}`, arg.range, `"${id.prefix}${suggestion}"`)] : []);
    }
  },
);

export const pcIdentityUnknownPool = defineActionRule(
  { id: 'pc-identity-unknown-pool', severity: 'error', description: '`Set-CsPersistentChatState -Identity` names an FQDN that is not a Persistent Chat pool of the estate.', fix: 'Replaces the FQDN with the nearest Persistent Chat pool.' },
  (ctx) => {
    for (const { arg, id, suggestion } of wrongPools(ctx, false)) {
      ctx.report(arg.range, `${id.fqdn} is not a Persistent Chat pool of the estate${suggestion ? `: use ${suggestion}` : ''}.`, suggestion ? [replaceWith(`Use ${suggestion}`, arg.range, `"${id.prefix}${suggestion}"`)] : []);
    }
  },
);

export const PC_STATE_RULES = [poolStateMissing, poolStateWrongForKind, poolStateNotSet, pcIdentityWhitespace, pcIdentityForm, pcIdentityFrontEndPool, pcIdentityUnknownPool];
