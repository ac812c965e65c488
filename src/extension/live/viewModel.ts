/**
 * Live status as the Estate view shows it: for a row (a pool, or a store row = one database on
 * one instance in one role) and its reading, the words after the label, a semantic icon, a
 * Markdown tooltip with the details and when they were read, and a `status=…` facet. Pure: the
 * tree provider maps `LiveIcon` to a ThemeIcon and the tooltip to a MarkdownString.
 */
import type { StoreRole } from '../../core/estate/model';
import { roleLabel } from '../estateTree/model';
import { formatMessage, type Translate } from '../translate';
import type { LiveRef } from './plan';
import { rollup, type Rollup } from './rollup';
import { formatSeconds, type BackupModuleStatus, type DatabaseStatus, type Failure, type LiveEntry, type PoolReading, type SqlReading } from './readings';

/**
 * `ok` — up and as expected; `standby` — a standby copy (RESTORING as mirror or log-shipping
 * secondary); `attention` — answers but needs a look (FailedOver, database missing, a module
 * syncing); `down` — no answer, refused, or broken; `unknown` — cannot be read (not configured,
 * no password, no shell); `reading` — a read is running.
 */
export type LiveIcon = 'ok' | 'standby' | 'attention' | 'down' | 'unknown' | 'reading';

export interface LiveDecoration {
  /** Words for the row's description (after any static description). */
  readonly description: string;
  readonly icon: LiveIcon;
  /** Markdown. */
  readonly tooltip: string;
  /** A `contextValue` facet: `status=<icon>`. */
  readonly facet: string;
}

export interface DecorationContext {
  readonly t?: Translate;
  /** `LIVE` or `REHEARSAL`: said in every tooltip. */
  readonly badge: 'LIVE' | 'REHEARSAL';
  /** Formats a time of day (default: HH:MM:SS in UTC, for tests; the extension passes the locale's). */
  readonly formatTime?: (ms: number) => string;
}

export interface LiveLookup {
  sql(instanceId: string): LiveEntry<SqlReading> | undefined;
  pool(fqdn: string): LiveEntry<PoolReading> | undefined;
}

const isoTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** Text safe inside Markdown: characters Markdown would interpret are escaped. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** Inline code; backticks inside cannot close it. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** A duration for people: "under a minute", "7 min", "2 h 5 min", "3 days". */
export function formatAge(ms: number, t: Translate = formatMessage): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return t('under a minute');
  if (minutes < 60) return t('{0} min', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? t('{0} h', hours) : t('{0} h {1} min', hours, minutes % 60);
  return t('{0} days', Math.floor(hours / 24));
}

/** The decoration of a row, or undefined when nothing has been read for it yet. */
export function liveDecoration(ref: LiveRef, lookup: LiveLookup, ctx: DecorationContext): LiveDecoration | undefined {
  switch (ref.kind) {
    case 'store':
      return storeDecoration(ref, lookup.sql(ref.instanceId), ctx);
    case 'pool':
      return withRollup(poolDecoration(ref, lookup.pool(ref.fqdn), ctx), rollup([ref], lookup, ctx.t), ctx);
    case 'site':
      return siteDecoration(ref.pools, lookup, ctx);
  }
}

const SEVERITY: Record<LiveIcon, number> = { reading: -1, ok: 0, standby: 1, unknown: 2, attention: 3, down: 4 };

/** A pool row says first what is down under it, and takes the worse icon. */
function withRollup(own: LiveDecoration | undefined, r: Rollup, ctx: DecorationContext): LiveDecoration | undefined {
  if (!own || !r.summary) return own;
  const t = ctx.t ?? formatMessage;
  const icon = own.icon !== 'reading' && r.icon && SEVERITY[r.icon] > SEVERITY[own.icon] ? r.icon : own.icon;
  return { description: `${r.summary} · ${own.description}`, icon, tooltip: `**${md(t('Down: {0}', r.summary))}**\n\n${own.tooltip}`, facet: icon === own.icon ? own.facet : `status=${icon}` };
}

/** A site row: the roll-up of its pools, once anything under it has been read. */
function siteDecoration(pools: readonly Extract<LiveRef, { kind: 'pool' }>[], lookup: LiveLookup, ctx: DecorationContext): LiveDecoration | undefined {
  const t = ctx.t ?? formatMessage;
  const read = pools.some((p) => lookup.pool(p.fqdn)?.last || p.sqlInstanceIds.some((id) => lookup.sql(id)?.last));
  if (!read) return undefined;
  const r = rollup(pools, lookup, t);
  const icon = r.icon ?? 'ok';
  const description = r.summary || t('nothing down');
  return { description, icon, tooltip: `**${md(description)}**\n\n_${md(t('Rolled up from the pools and SQL instances below ({0}).', ctx.badge))}_`, facet: `status=${icon}` };
}

function finish(decoration: Omit<LiveDecoration, 'facet'>, reading: boolean, t: Translate): LiveDecoration {
  const icon = reading ? 'reading' : decoration.icon;
  const tooltip = reading ? `${decoration.tooltip}\n\n_${t('Reading now…')}_` : decoration.tooltip;
  return { ...decoration, icon, tooltip, facet: `status=${decoration.icon}` };
}

function readingOnly(t: Translate, badge: string): LiveDecoration {
  return { description: t('reading…'), icon: 'reading', tooltip: `_${t('Reading the live status ({0})…', badge)}_`, facet: 'status=reading' };
}

function footer(t: Translate, ctx: DecorationContext, read: { readAt: number; ms: number }): string {
  const time = (ctx.formatTime ?? isoTime)(read.readAt);
  const where = ctx.badge === 'REHEARSAL' ? t('from the REHEARSAL lab') : t('from the LIVE estate');
  return `_${md(t('Read at {0} in {1} ms, {2}.', time, read.ms, where))}_`;
}

/** Short words for a failure (the tooltip has the full message). */
function failureWords(t: Translate, failure: Failure, message: string): { words: string; icon: LiveIcon } {
  switch (failure) {
    case 'timeout': {
      const m = /within ([\d.]+ s)/.exec(message);
      return { words: m ? t('down · no answer in {0}', m[1]!) : t('down · no answer'), icon: 'down' };
    }
    case 'unreachable':
      return { words: /refused/i.test(message) ? t('down · connection refused') : t('down · unreachable'), icon: 'down' };
    case 'tls':
      return { words: t('TLS failed'), icon: 'down' };
    case 'login':
      return { words: t('login refused'), icon: 'down' };
    case 'unconfigured':
      return { words: t('not configured'), icon: 'unknown' };
    case 'no-password':
      return { words: t('password needed — refresh to enter it'), icon: 'unknown' };
    case 'unknown':
      return { words: t('not in this target'), icon: 'unknown' };
    case 'shell':
      return { words: t('shell unavailable'), icon: 'unknown' };
    case 'cancelled':
      return { words: t('read stopped'), icon: 'unknown' };
    case 'command':
      return { words: t('error'), icon: 'down' };
  }
}


/** A long LSN shortened for a description: the first digits and an ellipsis. */
function shortLsn(lsn: string): string {
  return lsn.length > 8 ? `${lsn.slice(0, 4)}…` : lsn;
}

function databaseIcon(db: DatabaseStatus, role: StoreRole): LiveIcon {
  if (db.error) return 'attention';
  switch (db.state) {
    case 'ONLINE':
      return 'ok';
    case 'RESTORING':
      // The mirror and the log-shipping secondary are RESTORING by design; the primary should not be.
      return role === 'primary' ? 'attention' : 'standby';
    case 'SUSPECT':
    case 'RECOVERY_PENDING':
    case 'EMERGENCY':
      return 'down';
    default:
      return 'attention';
  }
}

export function storeDecoration(
  ref: Extract<LiveRef, { kind: 'store' }>,
  entry: LiveEntry<SqlReading> | undefined,
  ctx: DecorationContext,
): LiveDecoration | undefined {
  const t = ctx.t ?? formatMessage;
  if (!entry) return undefined;
  const last = entry.last;
  if (!last) return entry.reading ? readingOnly(t, ctx.badge) : undefined;
  const title = `**${md(ref.instanceId)}** — ${md(t('{0} of {1}', roleLabel(t, ref.role), ref.db))}`;
  if (last.status === 'failed') {
    const { words, icon } = failureWords(t, last.failure, last.message);
    const decoration = finish({ description: words, icon, tooltip: [title, '', md(last.message), '', footer(t, ctx, last)].join('\n') }, entry.reading, t);
    // The row then offers Configure Login… (package.json: viewItem =~ /;unconfigured;/).
    return last.failure === 'unconfigured' ? { ...decoration, facet: `${decoration.facet};unconfigured` } : decoration;
  }
  const server = t('Up: {0}', `${code(last.serverName)}${last.version ? ` — ${md(last.version.split(/\r?\n/)[0]!.trim())}` : ''}`);
  const db = last.databases.find((d) => d.db === ref.db);
  const lines = [title, '', `- ${server}`];
  if (!db || !db.exists) {
    lines.push(`- ${md(t('Database {0} is not on this instance.', ref.db))}`, '', footer(t, ctx, last));
    return finish({ description: t('up · {0} not found', ref.db), icon: 'attention', tooltip: lines.join('\n') }, entry.reading, t);
  }
  if (db.error) {
    lines.push(`- ${md(t('{0}: the status query failed: {1}', ref.db, db.error))}`, '', footer(t, ctx, last));
    return finish({ description: t('up · {0} unreadable', ref.db), icon: 'attention', tooltip: lines.join('\n') }, entry.reading, t);
  }
  const state = db.state ?? '?';
  const words = [state];
  lines.push(`- ${t('State: {0}', `**${md(state)}**`)}${db.userAccess && db.userAccess !== 'MULTI_USER' ? ` (${md(db.userAccess)})` : ''}`);
  if (db.mirroring) {
    words.push(`${db.mirroring.role.toLowerCase()} ${db.mirroring.state.toLowerCase()}`);
    lines.push(`- ${md(t('Mirroring: {0}, {1}', db.mirroring.role, db.mirroring.state))}${db.mirroring.partner ? ` — ${md(t('partner {0}', db.mirroring.partner))}` : ''}`);
  } else if (db.mirroring === null) {
    lines.push(`- ${md(t('Not mirrored'))}`);
  }
  const ls = db.logShipping;
  if (ls) {
    const copied = ls.lastCopiedFile ? `${code(ls.lastCopiedFile)}${ls.lastCopiedAt !== undefined ? ` ${md(t('at {0}', (ctx.formatTime ?? isoTime)(ls.lastCopiedAt)))}` : ''}` : md(t('none'));
    const restored = ls.lastRestoredFile ? `${code(ls.lastRestoredFile)}${ls.lastRestoredAt !== undefined ? ` ${md(t('at {0}', (ctx.formatTime ?? isoTime)(ls.lastRestoredAt)))}` : ''}` : md(t('none'));
    lines.push(`- ${t('Log shipping from {0}', code(ls.primaryServer ?? '?'))}`, `  - ${t('last copied: {0}', copied)}`, `  - ${t('last restored: {0}', restored)}`);
    if (ls.lastRestoredAt !== undefined) {
      const age = formatAge(last.readAt - ls.lastRestoredAt, t);
      words.push(t('restored {0} ago', age));
      lines.push(`  - ${md(t('latency: the last restore was {0} before this read', age))}`);
    }
  } else if (ls === null && ref.role === 'backup') {
    lines.push(`- ${md(t('Not a log-shipping secondary (no msdb log_shipping_secondary row)'))}`);
  }
  if (db.redoLsn) {
    if (!ls || ls.lastRestoredAt === undefined) words.push(t('redo {0}', shortLsn(db.redoLsn)));
    lines.push(`- ${t('Redo starts at LSN {0}', code(db.redoLsn))}`);
  }
  lines.push('', footer(t, ctx, last));
  return finish({ description: words.join(' · '), icon: databaseIcon(db, ref.role), tooltip: lines.join('\n') }, entry.reading, t);
}

const moduleShort = (m: string) => m.slice(m.lastIndexOf('.') + 1);

function backupServiceSummary(t: Translate, modules: readonly BackupModuleStatus[]): { words: string; icon: LiveIcon } {
  const errors = modules.filter((m) => m.exportStatus === 'ErrorState' || m.importStatus === 'ErrorState');
  if (errors.length > 0) return { words: t('Backup Service: ErrorState ({0})', errors.map((m) => moduleShort(m.module)).join(', ')), icon: 'down' };
  const syncing = modules.filter((m) => m.exportStatus === 'NonSteadyState');
  if (syncing.length > 0) return { words: t('Backup Service: NonSteadyState ({0})', syncing.map((m) => moduleShort(m.module)).join(', ')), icon: 'attention' };
  if (modules.some((m) => m.exportStatus === 'FinalState')) return { words: t('Backup Service: FinalState'), icon: 'attention' };
  const known = new Set(['SteadyState', 'NotInitialized']);
  const odd = modules.filter((m) => !known.has(m.exportStatus));
  if (odd.length > 0) return { words: t('Backup Service: {0}', odd.map((m) => `${moduleShort(m.module)} ${m.exportStatus}`).join(', ')), icon: 'attention' };
  return { words: t('Backup Service: steady'), icon: 'ok' };
}

export function poolDecoration(
  ref: Extract<LiveRef, { kind: 'pool' }>,
  entry: LiveEntry<PoolReading> | undefined,
  ctx: DecorationContext,
): LiveDecoration | undefined {
  const t = ctx.t ?? formatMessage;
  if (!entry) return undefined;
  const last = entry.last;
  if (!last) return entry.reading ? readingOnly(t, ctx.badge) : undefined;
  const title = `**${md(ref.fqdn)}** — ${md(ref.poolKind === 'persistent-chat' ? t('Persistent Chat pool') : t('Front End pool'))}`;
  if (last.status === 'failed') {
    const { words, icon } = failureWords(t, last.failure, last.message);
    return finish({ description: words, icon, tooltip: [title, '', md(last.message), '', footer(t, ctx, last)].join('\n') }, entry.reading, t);
  }
  if (last.kind === 'persistent-chat') {
    const icon: LiveIcon = last.poolState === 'Normal' ? 'ok' : 'attention';
    const tooltip = [title, '', `- ${t('PoolState: {0}', `**${md(last.poolState)}**`)}`, ...(last.identity ? [`- ${t('Identity: {0}', code(last.identity))}`] : []), '', footer(t, ctx, last)];
    return finish({ description: last.poolState, icon, tooltip: tooltip.join('\n') }, entry.reading, t);
  }
  const { words, icon } = backupServiceSummary(t, last.modules);
  const rows = last.modules.map((m) => `| ${code(m.module)} | ${md(m.exportStatus)} | ${md(m.importStatus)} |`);
  const tooltip = [title, '', `| ${t('Backup module')} | ${t('Export')} | ${t('Import')} |`, '|---|---|---|', ...rows, '', footer(t, ctx, last)];
  return finish({ description: words, icon, tooltip: tooltip.join('\n') }, entry.reading, t);
}

export { formatSeconds };
