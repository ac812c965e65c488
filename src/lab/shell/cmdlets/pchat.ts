/**
 * Persistent Chat cmdlets: Get-/Set-CsPersistentChatState (domain reference §4.2, §4.3) and
 * Set-CsPersistentChatActiveServer (§4.4).
 */
import type { Command, InvocationContext } from '../commands';
import { enumName, flag, listChange, str, value } from '../commands';
import { cmdletFailure } from '../errors';
import { PsObject, psLike, toPsString } from '../values';
import type { PcPoolState, PoolStateName } from '../../lync/state';
import { NS, POOL_STATE, XDS_GLOBAL_RELATIVE_IDENTITY, XDS_IDENTITY, lyncObject } from './types';

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
  return (m ? m[1] : identity).toLowerCase();
}

function stateObject(p: PcPoolState): PsObject {
  return lyncObject(STATE_TYPE, [
    ['Identity', pcStateIdentity(p.fqdn)],
    ['PoolState', POOL_STATE.of(p.poolState)],
  ], pcStateIdentity(p.fqdn));
}

function requirePool(ctx: InvocationContext, identity: string): PcPoolState {
  const pool = /^service:|^PersistentChatServer:/i.test(identity) ? ctx.env.lync.pcPool(pcPoolOfIdentity(identity)) : undefined;
  if (!pool) {
    throw cmdletFailure(`Cannot find "PersistentChatState" "${identity}" because it does not exist.`, 'ItemNotFoundException', 'ProcessingFailed', 'ObjectNotFound');
  }
  return pool;
}

export const getPersistentChatState: Command = {
  name: 'Get-CsPersistentChatState',
  className: `${NS.persistentChat}.GetPersistentChatStateCmdlet`,
  defaultSet: 'Identity',
  params: [
    { name: 'Identity', type: { kind: 'identity', typeName: XDS_IDENTITY }, sets: { Identity: { position: 0 } } },
    { name: 'Filter', type: { kind: 'string' }, sets: { Filter: {} } },
    { name: 'LocalStore', type: { kind: 'switch' } },
  ],
  run(ctx) {
    const identity = str(ctx.binding, 'Identity');
    if (identity !== undefined) return [stateObject(requirePool(ctx, identity))];
    const filter = str(ctx.binding, 'Filter');
    return ctx.env.lync
      .pcPools()
      .filter((p) => filter === undefined || psLike(pcStateIdentity(p.fqdn), filter))
      .map(stateObject);
  },
};

export const setPersistentChatState: Command = {
  name: 'Set-CsPersistentChatState',
  className: `${NS.persistentChat}.SetPersistentChatStateCmdlet`,
  defaultSet: 'Identity',
  shouldProcess: true,
  stateChanging: true,
  params: [
    { name: 'Identity', type: { kind: 'identity', typeName: XDS_IDENTITY }, sets: { Identity: { position: 0 } } },
    { name: 'Instance', type: { kind: 'object' }, fromPipeline: true, sets: { Instance: { mandatory: true } } },
    { name: 'PoolState', type: { kind: 'enum', type: POOL_STATE } },
    { name: 'Force', type: { kind: 'switch' } },
  ],
  whatIf: (ctx) => ({ operation: 'Set', target: str(ctx.binding, 'Identity') ?? 'Global' }),
  run(ctx) {
    // The reference documents Normal as PoolState's default: leaving it out sets Normal.
    const state = (enumName(ctx.binding, 'PoolState') ?? 'Normal') as PoolStateName;
    const identities = ctx.binding.set === 'Instance' ? (ctx.hasInput ? [...ctx.input] : [value(ctx.binding, 'Instance') ?? null]).map((o) => toPsString(o instanceof PsObject ? (o.get('Identity') ?? null) : o)) : [str(ctx.binding, 'Identity') ?? 'Global'];
    for (const identity of identities) {
      const pool = requirePool(ctx, identity);
      ctx.verbose(`Setting PoolState of "${pcStateIdentity(pool.fqdn)}" to ${state}.`);
      ctx.env.lync.setPoolState(pool.fqdn, state);
    }
    return [];
  },
};

export const setPersistentChatActiveServer: Command = {
  name: 'Set-CsPersistentChatActiveServer',
  className: `${NS.persistentChat}.SetPersistentChatActiveServerCmdlet`,
  defaultSet: 'Explicit',
  shouldProcess: true,
  stateChanging: true,
  params: [
    { name: 'Identity', type: { kind: 'identity', typeName: XDS_GLOBAL_RELATIVE_IDENTITY }, sets: { Explicit: { position: 0 }, Swap: { position: 0 } } },
    { name: 'ActiveServers', type: { kind: 'fqdnList' }, sets: { Explicit: { mandatory: true } } },
    { name: 'Swap', type: { kind: 'switch' }, sets: { Swap: { mandatory: true } } },
    { name: 'Force', type: { kind: 'switch' } },
  ],
  whatIf: (ctx) => ({ operation: 'Set', target: str(ctx.binding, 'Identity') ?? 'Global' }),
  run(ctx) {
    const identity = str(ctx.binding, 'Identity') ?? 'global';
    const pool = ctx.env.lync.collection(identity);
    if (!pool) throw cmdletFailure(`Cannot find "PersistentChatActiveServer" "${identity}" because it does not exist.`, 'ItemNotFoundException', 'ProcessingFailed', 'ObjectNotFound');
    if (flag(ctx.binding, 'Swap')) {
      ctx.env.lync.swapActiveServers(pool);
    } else {
      const change = listChange(ctx.binding, 'ActiveServers') ?? { replace: [] };
      const next = 'replace' in change ? change.replace : [...pool.activeServers.filter((s) => !change.remove.includes(s)), ...change.add];
      ctx.env.lync.setActiveServers(pool, next);
    }
    ctx.verbose(`Active servers of "${pool.fqdn}": ${pool.activeServers.join(', ') || '(none)'}.`);
    return [];
  },
};
