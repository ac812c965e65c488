/**
 * Persistent Chat cmdlets: Get-/Set-CsPersistentChatState (domain reference §4.2, §4.3) and
 * Set-CsPersistentChatActiveServer (§4.4).
 */
import type { PcPoolState, PoolStateName } from '../../lync/state';
import { entry, enumValue, flag, lyncObject, notFound, psLike, str, strings, type CmdletContext, type LabCmdlet } from '../commands';
import type { ParamValue, WireValue } from '../protocol';
import { POOL_STATE } from './types';

const STATE_TYPE = 'Microsoft.Rtc.Management.WritableConfig.Settings.PersistentChat.PersistentChatState';

/** The identity Get-CsPersistentChatState reports for a pool. */
export function pcStateIdentity(fqdn: string): string {
  return `service:PersistentChatServer:${fqdn}`;
}

/**
 * The pool FQDN of a Persistent Chat state identity, in any of the documented forms
 * (domain reference §4.1): `PersistentChatServer:<fqdn>`, `service:<fqdn>`,
 * `service:PersistentChatServer:<fqdn>`. `service: <fqdn>` (with a space) is not one of them.
 */
export function pcPoolOfIdentity(identity: string): string {
  const m = /^(?:service:)?(?:PersistentChatServer:)?(.*)$/i.exec(identity);
  return (m ? m[1]! : identity).toLowerCase();
}

function stateObject(p: PcPoolState): WireValue {
  const identity = pcStateIdentity(p.fqdn);
  return lyncObject(STATE_TYPE, { Identity: identity, PoolState: enumValue(POOL_STATE, p.poolState) }, identity);
}

function requirePool(ctx: CmdletContext, identity: string): PcPoolState {
  const pool = /^service:|^PersistentChatServer:/i.test(identity) ? ctx.env.lync.pcPool(pcPoolOfIdentity(identity)) : undefined;
  if (!pool) throw notFound(`Cannot find "PersistentChatState" "${identity}" because it does not exist.`);
  return pool;
}

export const getPersistentChatState: LabCmdlet = {
  name: 'Get-CsPersistentChatState',
  run(ctx) {
    const identity = str(ctx.params, 'Identity');
    if (identity !== undefined) return [stateObject(requirePool(ctx, identity))];
    const filter = str(ctx.params, 'Filter');
    return ctx.env.lync
      .pcPools()
      .filter((p) => filter === undefined || psLike(pcStateIdentity(p.fqdn), filter))
      .map(stateObject);
  },
};

/** The identity of an -Instance: an object from Get-CsPersistentChatState, or its text. */
function instanceIdentity(instance: ParamValue | undefined): string {
  const identity = entry(instance, 'Identity');
  return String(identity ?? instance ?? '');
}

export const setPersistentChatState: LabCmdlet = {
  name: 'Set-CsPersistentChatState',
  stateChanging: true,
  run(ctx) {
    // The reference documents Normal as PoolState's default: leaving it out sets Normal (lab assumption L15).
    const state = (str(ctx.params, 'PoolState') ?? 'Normal') as PoolStateName;
    const identity = ctx.set === 'Instance' ? instanceIdentity(ctx.params.Instance) : (str(ctx.params, 'Identity') ?? 'Global');
    const pool = requirePool(ctx, identity);
    ctx.verbose(`Setting PoolState of "${pcStateIdentity(pool.fqdn)}" to ${state}.`);
    ctx.env.lync.setPoolState(pool.fqdn, state);
    return [];
  },
};

/**
 * The new active-server list from -ActiveServers: `$null` clears it, a list replaces it, and a
 * hashtable `@{Replace=…}` / `@{Add=…; Remove=…}` changes it as PowerShell's list modifiers do.
 */
function activeServers(current: readonly string[], value: ParamValue | undefined): string[] {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return strings(value);
  const replace = entry(value, 'Replace');
  if (replace !== undefined) return strings(replace);
  const remove = strings(entry(value, 'Remove')).map((s) => s.toLowerCase());
  return [...current.filter((s) => !remove.includes(s.toLowerCase())), ...strings(entry(value, 'Add'))];
}

export const setPersistentChatActiveServer: LabCmdlet = {
  name: 'Set-CsPersistentChatActiveServer',
  stateChanging: true,
  run(ctx) {
    const identity = str(ctx.params, 'Identity') ?? 'global';
    const pool = ctx.env.lync.collection(identity);
    if (!pool) throw notFound(`Cannot find "PersistentChatActiveServer" "${identity}" because it does not exist.`);
    if (flag(ctx.params, 'Swap')) ctx.env.lync.swapActiveServers(pool);
    else ctx.env.lync.setActiveServers(pool, activeServers(pool.activeServers, ctx.params.ActiveServers));
    ctx.verbose(`Active servers of "${pool.fqdn}": ${pool.activeServers.join(', ') || '(none)'}.`);
    return [];
  },
};
