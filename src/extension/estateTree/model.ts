/**
 * The Estate view as plain data: what each row shows, its stable id, its `contextValue` facets
 * and where it comes from in the estate file. No `vscode` here; `provider.ts` maps nodes to
 * tree items. Children are computed one level at a time, when a node is expanded.
 *
 * Ids are derived from the estate's content (`pool:<fqdn>/db:mgc/role:backup`), never from
 * positions or object identity, so expansion survives a reload.
 * `contextValue` is `<kind>;<facet>;<facet>;…;` — menus match facets with a regex such as
 * `/;fqdn;/` (Copy FQDN) or `/;source;/` (Reveal in Estate File).
 */
import {
  PC_DATABASES,
  STORE_ROLES,
  fqdnKey,
  PRODUCT_NAMES,
  sqlVersionLabel,
  type Estate,
  type PcDatabase,
  type Pool,
  type PoolServer,
  type SourcePath,
  type SqlInstance,
  type StoreRole,
} from '../../core/estate/model';
import { estateIndex, sitesOf, type EstateIndex } from '../../core/estate/queries';
import type { Problem, Range } from '../../core/text';
import type { LiveRef } from '../live/plan';
import { formatMessage, type Translate } from '../translate';

/** What the view knows about the workspace's estate. */
export type EstateView =
  /** Discovery has not finished yet. */
  | { readonly kind: 'searching' }
  /** The workspace has no estate: the view shows its welcome content. */
  | { readonly kind: 'none' }
  /** The file could not be read (missing, too large, not text). */
  | { readonly kind: 'unreadable'; readonly message: string; readonly detail?: string }
  /** The file was read; `estate` is absent when it could not be understood as an estate. */
  | { readonly kind: 'loaded'; readonly estate?: Estate; readonly problems: readonly Problem[] };

export type NodeKind =
  | 'site'
  | 'pool'
  | 'server'
  | 'pairing'
  | 'databases'
  | 'database'
  | 'store'
  | 'warnings'
  | 'problem'
  | 'more'
  | 'unreadable';

/** Semantic icons; the adapter picks the codicon and theme colour. */
export type NodeIcon =
  | 'site'
  | 'front-end-pool'
  | 'persistent-chat-pool'
  | 'server'
  | 'pairing'
  | 'databases'
  | 'database'
  | 'sql-instance'
  | 'error'
  | 'warning'
  | 'info';

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface EstateNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: NodeIcon;
  readonly contextValue: string;
  readonly collapsible: Collapsible;
  /** What Copy FQDN copies. */
  readonly fqdn?: string;
  /** Where the node comes from in the estate file (Reveal in Estate File). */
  readonly sourcePath?: SourcePath;
  /** Problem nodes: the problem's range in the estate file; selecting the node opens it there. */
  readonly range?: Range;
  /** Rows with a live status (pools, store rows): what is read for them. The tree item adds the `live;` and `status=…;` facets. */
  readonly live?: LiveRef;
}

/** At most this many problem rows at one level; the rest are summed up in one row. */
export const MAX_PROBLEM_NODES = 100;

const UNASSIGNED_SITE_ID = 'site-unassigned';

interface ViewContext {
  readonly t: Translate;
  readonly index: EstateIndex;
  /** The Front End pool that hosts the Central Management Store, when the estate says. */
  readonly cmsPool?: string;
}

/** A pool with the tree id it was given (unique even when an FQDN is duplicated). */
interface PoolEntry {
  readonly pool: Pool;
  readonly id: string;
}

/** What expanding a node shows; kept beside the node so nodes stay plain data. */
type Expansion =
  | { readonly type: 'site'; readonly ctx: ViewContext; readonly entries: readonly PoolEntry[] }
  | { readonly type: 'pool'; readonly ctx: ViewContext; readonly entry: PoolEntry }
  | { readonly type: 'databases'; readonly ctx: ViewContext; readonly entry: PoolEntry }
  | { readonly type: 'database'; readonly ctx: ViewContext; readonly entry: PoolEntry; readonly db: PcDatabase }
  | { readonly type: 'problems'; readonly t: Translate; readonly problems: readonly Problem[] };

const expansions = new WeakMap<EstateNode, Expansion>();

function expandable(node: EstateNode, expansion: Expansion): EstateNode {
  expansions.set(node, expansion);
  return node;
}

/** The view's top level for any state of the estate. */
export function rootNodes(view: EstateView, t: Translate = formatMessage): EstateNode[] {
  switch (view.kind) {
    case 'searching':
    case 'none':
      return [];
    case 'unreadable':
      return [unreadableNode(view.message, view.detail)];
    case 'loaded': {
      const errors = view.problems.filter((p) => p.severity === 'error');
      if (view.estate && errors.length === 0) return estateNodes(view.estate, view.problems, t);
      const others = view.problems.filter((p) => p.severity !== 'error');
      const nodes = errors.length > 0 ? problemNodes(errors, 'errors', t) : [unreadableNode(t('The file could not be read as an estate.'))];
      if (others.length > 0) nodes.push(warningsNode(others, t));
      return nodes;
    }
  }
}

/** The view's description: the estate's name, and its Lync product when the estate records it. */
export function estateDescription(estate: Estate): string {
  return estate.product ? `${estate.name} · ${PRODUCT_NAMES[estate.product]}` : estate.name;
}

/**
 * The top level of a usable estate: a warnings row when `problems` holds any, then one row per
 * site (pools without a site last). Costs one pass over the pools; sites expand lazily.
 */
export function estateNodes(estate: Estate, problems: readonly Problem[] = [], t: Translate = formatMessage): EstateNode[] {
  const ctx: ViewContext = { t, index: estateIndex(estate), ...(estate.centralManagementStore ? { cmsPool: estate.centralManagementStore } : {}) };
  const used = new Set<string>();
  const entry = (pool: Pool): PoolEntry => {
    let id = `pool:${fqdnKey(pool.fqdn)}`;
    // A duplicated FQDN is reported by the estate checks; the tree still needs unique ids.
    for (let n = 2; used.has(id); n++) id = `pool:${fqdnKey(pool.fqdn)}#${n}`;
    used.add(id);
    return { pool, id };
  };
  const sites = sitesOf(estate).map((site) => ({ name: site.name, entries: site.pools.map(entry) }));
  const nodes: EstateNode[] = [];
  if (problems.length > 0) nodes.push(warningsNode(problems, t));
  for (const site of sites) if (site.name !== undefined) nodes.push(siteNode(ctx, site.name, site.entries));
  for (const site of sites) if (site.name === undefined) nodes.push(siteNode(ctx, undefined, site.entries));
  return nodes;
}

/** The children of a node returned by `rootNodes`, `estateNodes` or `childrenOf`. */
export function childrenOf(node: EstateNode): EstateNode[] {
  const expansion = expansions.get(node);
  if (!expansion) return [];
  switch (expansion.type) {
    case 'site':
      return expansion.entries.map((entry) => poolNode(expansion.ctx, entry));
    case 'pool':
      return poolChildren(expansion.ctx, expansion.entry);
    case 'databases':
      return databaseNodes(expansion.ctx, expansion.entry);
    case 'database':
      return storeNodes(expansion.ctx, expansion.entry, expansion.db);
    case 'problems':
      return problemNodes(expansion.problems, 'warnings', expansion.t);
  }
}

function facets(kind: NodeKind, ...flags: Array<string | false | undefined>): string {
  return [kind, ...flags.filter((f): f is string => !!f)].map((f) => `${f};`).join('');
}

function plural(t: Translate, count: number, one: string, many: string): string {
  return count === 1 ? t(one) : t(many, count);
}

function siteNode(ctx: ViewContext, site: string | undefined, entries: readonly PoolEntry[]): EstateNode {
  const { t } = ctx;
  return expandable(
    {
      id: site === undefined ? UNASSIGNED_SITE_ID : `site:${site}`,
      kind: 'site',
      label: site ?? t('No site'),
      description: plural(t, entries.length, '1 pool', '{0} pools'),
      icon: 'site',
      contextValue: facets('site', site !== undefined && 'source'),
      collapsible: 'expanded',
      ...(site !== undefined && { sourcePath: [...entries[0].pool.path, 'site'] }),
      live: { kind: 'site', pools: entries.map((e) => poolRef(ctx, e.pool)) },
    },
    { type: 'site', ctx, entries },
  );
}

function datacenterName(ctx: ViewContext, id: string | undefined): string | undefined {
  return id === undefined ? undefined : (ctx.index.datacenter(id)?.name ?? id);
}

/** What a pool row reads: its own state and the instances of its stores (the primaries apart: a failover replaces them). */
function poolRef(ctx: ViewContext, pool: Pool): Extract<LiveRef, { kind: 'pool' }> {
  const known = (id: string | undefined): id is string => id !== undefined && ctx.index.sqlInstance(id) !== undefined;
  const sqlInstanceIds = [...new Set(PC_DATABASES.flatMap((db) => STORE_ROLES.map((role) => pool.stores?.[db]?.[role]).filter(known)))];
  const primaryIds = [...new Set(PC_DATABASES.map((db) => pool.stores?.[db]?.primary).filter(known))];
  return { kind: 'pool', fqdn: pool.fqdn, poolKind: pool.kind, sqlInstanceIds, ...(primaryIds.length > 0 ? { primaryIds } : {}) };
}

function poolNode(ctx: ViewContext, entry: PoolEntry): EstateNode {
  const { t } = ctx;
  const { pool } = entry;
  const frontEnd = pool.kind === 'front-end';
  const datacenters = frontEnd
    ? [datacenterName(ctx, pool.datacenter)]
    : [...new Set(pool.servers.map((s) => datacenterName(ctx, s.datacenter ?? pool.datacenter)))];
  const description = datacenters.filter((d) => d !== undefined).join(' + ');
  const tooltip = [
    pool.fqdn,
    frontEnd ? t('Front End pool') : t('Persistent Chat pool'),
    pool.site !== undefined && t('Site: {0}', pool.site),
    description && t('Data center: {0}', description),
    pool.backupPool !== undefined && t('Backup pool: {0}', pool.backupPool),
    ctx.cmsPool !== undefined && fqdnKey(ctx.cmsPool) === fqdnKey(pool.fqdn) && t('Hosts the Central Management Store'),
    pool.backEnd !== undefined && t('Back End: {0}', [pool.backEnd, pool.backEndMirror].filter(Boolean).join(', mirror ')),
    pool.edgeNextHopFor?.length && t('Next hop of Edge pool(s): {0}', pool.edgeNextHopFor.join(', ')),
    plural(t, pool.servers.length, '1 server', '{0} servers'),
  ];
  const hasChildren = pool.servers.length > 0 || pool.backupPool !== undefined || !frontEnd;
  return expandable(
    {
      id: entry.id,
      kind: 'pool',
      label: pool.fqdn,
      ...(description ? { description } : {}),
      tooltip: tooltip.filter((line) => !!line).join('\n'),
      icon: frontEnd ? 'front-end-pool' : 'persistent-chat-pool',
      contextValue: facets('pool', `kind=${pool.kind}`, 'fqdn', 'source'),
      collapsible: hasChildren ? 'collapsed' : 'none',
      fqdn: pool.fqdn,
      sourcePath: pool.path,
      live: poolRef(ctx, pool),
    },
    { type: 'pool', ctx, entry },
  );
}

function poolChildren(ctx: ViewContext, entry: PoolEntry): EstateNode[] {
  const { pool, id: parentId } = entry;
  const used = new Set<string>();
  const nodes = pool.servers.map((server) => {
    let id = `${parentId}/server:${fqdnKey(server.fqdn)}`;
    for (let n = 2; used.has(id); n++) id = `${parentId}/server:${fqdnKey(server.fqdn)}#${n}`;
    used.add(id);
    return serverNode(ctx, pool, server, id);
  });
  if (pool.backupPool !== undefined) nodes.push(pairingNode(ctx, pool, pool.backupPool, parentId));
  if (pool.kind === 'persistent-chat') nodes.push(databasesNode(ctx, entry));
  return nodes;
}

function serverNode(ctx: ViewContext, pool: Pool, server: PoolServer, id: string): EstateNode {
  const { t } = ctx;
  const datacenter = datacenterName(ctx, server.datacenter ?? pool.datacenter);
  const active = pool.activeServers?.some((fqdn) => fqdnKey(fqdn) === fqdnKey(server.fqdn)) ?? false;
  const place = datacenter ?? t('data center not set');
  return {
    id,
    kind: 'server',
    label: server.fqdn,
    description: active ? t('{0} · active', place) : place,
    tooltip: [server.fqdn, t('Data center: {0}', place), active && t('Declared an active Persistent Chat server')]
      .filter((line) => !!line)
      .join('\n'),
    icon: 'server',
    contextValue: facets('server', active && 'active', 'fqdn', 'source'),
    collapsible: 'none',
    fqdn: server.fqdn,
    sourcePath: server.path,
  };
}

function pairingNode(ctx: ViewContext, pool: Pool, backupPool: string, parentId: string): EstateNode {
  const { t } = ctx;
  const known = ctx.index.poolsByFqdn.has(fqdnKey(backupPool));
  return {
    id: `${parentId}/paired`,
    kind: 'pairing',
    label: t('Paired with {0}', backupPool),
    ...(!known && { description: t('not in this estate') }),
    tooltip: known
      ? t('Backup pool: {0}', backupPool)
      : t('Backup pool {0} is not described in this estate.', backupPool),
    icon: known ? 'pairing' : 'warning',
    contextValue: facets('pairing', 'fqdn', 'source'),
    collapsible: 'none',
    fqdn: backupPool,
    sourcePath: [...pool.path, 'backupPool'],
  };
}

function declaredDatabases(pool: Pool): PcDatabase[] {
  return PC_DATABASES.filter((db) => pool.stores?.[db] !== undefined);
}

function databasesNode(ctx: ViewContext, entry: PoolEntry): EstateNode {
  const { t } = ctx;
  const { pool } = entry;
  const declared = declaredDatabases(pool).length > 0;
  return expandable(
    {
      id: `${entry.id}/databases`,
      kind: 'databases',
      label: t('Databases'),
      ...(!declared && { description: t('none declared') }),
      icon: 'databases',
      contextValue: facets('databases', 'source'),
      collapsible: declared ? 'expanded' : 'none',
      sourcePath: pool.stores ? [...pool.path, 'stores'] : pool.path,
    },
    { type: 'databases', ctx, entry },
  );
}

function databaseNodes(ctx: ViewContext, entry: PoolEntry): EstateNode[] {
  const { t } = ctx;
  const { pool } = entry;
  return declaredDatabases(pool).map((db) =>
    expandable(
      {
        id: `${entry.id}/db:${db}`,
        kind: 'database',
        label: db,
        description: db === 'mgc' ? t('content') : t('compliance'),
        icon: 'database',
        contextValue: facets('database', `db=${db}`, 'source'),
        collapsible: 'expanded',
        sourcePath: [...pool.path, 'stores', db],
      },
      { type: 'database', ctx, entry, db },
    ),
  );
}

/** A store role in words, as the tree and the live status tooltips show it. */
export function roleLabel(t: Translate, role: StoreRole): string {
  switch (role) {
    case 'primary':
      return t('primary');
    case 'mirror':
      return t('mirror');
    case 'backup':
      return t('backup');
    case 'backupMirror':
      return t('backup mirror');
  }
}

/** `server\instance,port` as SQL Server clients write it. */
export function sqlInstanceName(sql: SqlInstance): string {
  return `${sql.server}${sql.instance ? `\\${sql.instance}` : ''}${sql.port !== undefined ? `,${sql.port}` : ''}`;
}

function storeNodes(ctx: ViewContext, entry: PoolEntry, db: PcDatabase): EstateNode[] {
  const { t } = ctx;
  const { pool } = entry;
  const assignment = pool.stores?.[db] ?? {};
  const parentId = `${entry.id}/db:${db}`;
  return STORE_ROLES.flatMap((role) => {
    const sqlId = assignment[role];
    if (sqlId === undefined) return [];
    const sql = ctx.index.sqlInstance(sqlId);
    const name = sql ? sqlInstanceName(sql) : sqlId;
    const datacenter = datacenterName(ctx, sql?.datacenter);
    const description = sql ? datacenter : t('unknown SQL instance');
    const node: EstateNode = {
      id: `${parentId}/role:${role}`,
      kind: 'store',
      label: `${roleLabel(t, role)} — ${name}`,
      ...(description !== undefined && { description }),
      tooltip: sql
        ? t('{0} of {1}: SQL instance {2} ({3})', roleLabel(t, role), db, sqlId, name) + (sql.sqlVersion ? `, ${sqlVersionLabel(sql.sqlVersion)}` : '')
        : t('SQL instance {0} is not described in this estate.', sqlId),
      icon: sql ? 'sql-instance' : 'warning',
      contextValue: facets('store', `db=${db}`, `role=${role}`, 'source'),
      collapsible: 'none',
      sourcePath: [...pool.path, 'stores', db, role],
      ...(sql && { live: { kind: 'store', instanceId: sql.id, db, role, poolFqdn: pool.fqdn } }),
    };
    return [node];
  });
}

function unreadableNode(message: string, detail?: string): EstateNode {
  return {
    id: 'unreadable',
    kind: 'unreadable',
    label: message,
    ...(detail !== undefined && { tooltip: `${message}\n${detail}` }),
    icon: 'error',
    contextValue: facets('unreadable'),
    collapsible: 'none',
  };
}

function warningsNode(problems: readonly Problem[], t: Translate): EstateNode {
  return expandable(
    {
      id: 'warnings',
      kind: 'warnings',
      label: plural(t, problems.length, '1 warning', '{0} warnings'),
      icon: 'warning',
      contextValue: facets('warnings'),
      collapsible: 'collapsed',
    },
    { type: 'problems', t, problems },
  );
}

function byPosition(a: Problem, b: Problem): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** `scope` keeps the summing-up row's id unique between the root's errors and the warnings row. */
function problemNodes(problems: readonly Problem[], scope: 'errors' | 'warnings', t: Translate): EstateNode[] {
  const sorted = [...problems].sort(byPosition);
  const used = new Set<string>();
  const nodes = sorted.slice(0, MAX_PROBLEM_NODES).map((problem, index) => {
    const { line, character } = problem.range.start;
    let id = `problem:${problem.severity}:${line}:${character}:${problem.rule}`;
    if (used.has(id)) id = `${id}#${index}`;
    used.add(id);
    return problemNode(problem, id, t);
  });
  const hidden = sorted.length - nodes.length;
  if (hidden > 0) {
    nodes.push({
      id: `${scope}:more`,
      kind: 'more',
      label: t('…and {0} more', hidden),
      icon: 'info',
      contextValue: facets('more'),
      collapsible: 'none',
    });
  }
  return nodes;
}

function problemNode(problem: Problem, id: string, t: Translate): EstateNode {
  const [first, ...rest] = problem.message.split(/\r?\n/);
  return {
    id,
    kind: 'problem',
    label: first,
    description: t('line {0}', problem.range.start.line + 1),
    tooltip: [...rest, `(${problem.rule})`].join('\n'),
    icon: problem.severity,
    contextValue: facets('problem', `severity=${problem.severity}`, 'source'),
    collapsible: 'none',
    range: problem.range,
  };
}
