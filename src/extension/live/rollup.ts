/**
 * What is down, rolled up to a pool row and a site row, so that a dark data center shows at the
 * top of the Estate view instead of three levels down behind green rows. Pure: from the same
 * readings the rows below show.
 *
 * - an SQL instance of a pool's stores that does not answer is "down";
 * - a Persistent Chat pool still `Normal` while its primary instance is down is "not failed over"
 *   (the failover is what is left to do); `FailedOver` is said, as a state that needs a look;
 * - a pool that does not answer, or a Front End pool whose Backup Service is in ErrorState, is down.
 * Nothing read yet, or not readable here (not configured, no shell), adds nothing: the rows below
 * say so.
 */
import { formatMessage, type Translate } from '../translate';
import type { LiveRef } from './plan';
import type { LiveEntry, PoolReading, SqlReading } from './readings';
import type { LiveIcon, LiveLookup } from './viewModel';

export type PoolRef = Extract<LiveRef, { kind: 'pool' }>;

/** Failures that mean "does not answer" (the rest: cannot be read from here). */
const DOWN_FAILURES = new Set(['timeout', 'unreachable', 'tls', 'command']);

const isDown = (entry: LiveEntry<SqlReading> | LiveEntry<PoolReading> | undefined): boolean => entry?.last?.status === 'failed' && DOWN_FAILURES.has(entry.last.failure);

/** The first label of an FQDN: what fits in a row. */
const shortName = (fqdn: string): string => fqdn.split('.')[0]!;

export interface Rollup {
  /** `down` or `attention`; undefined when nothing below needs a look. */
  readonly icon?: Extract<LiveIcon, 'down' | 'attention'>;
  /** The one-line "what is down", empty when nothing is. */
  readonly summary: string;
}

/** The roll-up of some pools (one for a pool row, a site's for its row). */
export function rollup(pools: readonly PoolRef[], lookup: LiveLookup, t: Translate = formatMessage): Rollup {
  const downInstances = new Set<string>();
  const parts: string[] = [];
  let down = false;
  let attention = false;
  for (const pool of pools) {
    const name = shortName(pool.fqdn);
    const instancesDown = pool.sqlInstanceIds.filter((id) => isDown(lookup.sql(id)));
    for (const id of instancesDown) downInstances.add(id);
    const entry = lookup.pool(pool.fqdn);
    if (isDown(entry)) {
      down = true;
      parts.push(t('{0} does not answer', name));
      continue;
    }
    const last = entry?.last?.status === 'ok' ? entry.last : undefined;
    if (last?.kind === 'persistent-chat') {
      const primaryDown = (pool.primaryIds ?? []).some((id) => instancesDown.includes(id));
      if (last.poolState === 'FailedOver') {
        attention = true;
        parts.push(t('{0} failed over', name));
      } else if (primaryDown) {
        down = true;
        parts.push(t('{0} not failed over', name));
      }
      // Failed over: the dead instances are expected, not a new fault.
      if (instancesDown.length > 0 && last.poolState !== 'FailedOver') down = true;
      else if (instancesDown.length > 0) attention = true;
    } else if (last?.kind === 'front-end' && last.modules.some((m) => m.exportStatus === 'ErrorState' || m.importStatus === 'ErrorState')) {
      down = true;
      parts.push(t('{0}: Backup Service in ErrorState', name));
    } else if (instancesDown.length > 0) {
      down = true;
    }
  }
  if (downInstances.size > 0) parts.unshift(downInstances.size === 1 ? t('1 SQL instance down') : t('{0} SQL instances down', downInstances.size));
  const icon = down ? 'down' : attention ? 'attention' : undefined;
  return { ...(icon ? { icon } : {}), summary: parts.join(' · ') };
}
