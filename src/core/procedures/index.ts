/** The recovery procedures as data, resolved against an estate. */
import type { Estate } from '../estate/model';
import { conferenceRestore, poolFailback, poolFailover } from './front-end';
import { persistentChatFailback, persistentChatFailover } from './persistent-chat';
import type { ProcedureKind, ProcedureOptions, ProcedurePlan } from './types';

const BUILDERS: Record<ProcedureKind, (estate: Estate, pool: string, options: ProcedureOptions) => ProcedurePlan> = {
  'persistent-chat-failover': persistentChatFailover,
  'persistent-chat-failback': persistentChatFailback,
  'conference-restore': conferenceRestore,
  'pool-failover': poolFailover,
  'pool-failback': poolFailback,
};

/**
 * The concrete plan of a procedure for a pool: roles resolved to the estate's SQL instances,
 * commands built. `poolFqdn` is the Persistent Chat pool, the failed Front End pool, or — for
 * conference-restore — the pool that lost its conference content. Throws `ProcedureError`.
 */
export function procedureFor(kind: ProcedureKind, estate: Estate, poolFqdn: string, options: ProcedureOptions = {}): ProcedurePlan {
  return BUILDERS[kind](estate, poolFqdn, options);
}

export * from './types';
export { describeCheck, lyncActionText, renderRunbook, type RenderOptions } from './render';
export { onClause } from './resolve';
