/**
 * Checks of a loaded estate on its own: references that lead nowhere, pairing mistakes,
 * Persistent Chat pools that cannot be failed over as described. docs/estate-checks.md lists them.
 */
import { InvalidValueError } from '../commands/errors';
import { parseFilePath, parseFqdn, parseSqlInstanceName, parseUncPath, parseXdsIdentity } from '../commands/values';
import { showControlCharacters, type Problem } from '../text';
import { PC_DATABASES, STORE_ROLES, fqdnKey, idKey, type Estate, type EstateRuleInfo, type EstateSource, type Pool, type SourcePath } from './model';
import { estateIndex, sameId, type EstateIndex } from './queries';

export const MAX_ACTIVE_PC_SERVERS = 4;
export const MAX_PC_SERVERS = 8;

export const ESTATE_CHECKS: readonly EstateRuleInfo[] = [
  { id: 'estate/duplicate-id', severity: 'error', description: 'Two data centers, or two SQL instances, have the same id (case aside).' },
  { id: 'estate/duplicate-pool', severity: 'error', description: 'Two pools have the same FQDN (case aside).' },
  { id: 'estate/duplicate-server', severity: 'error', description: 'A pool lists the same server twice.' },
  { id: 'estate/server-in-two-pools', severity: 'error', description: 'A server is listed in two pools; a computer belongs to one pool.' },
  { id: 'estate/unknown-datacenter', severity: 'error', description: 'A SQL instance, pool or server names a data center that `datacenters` does not declare.' },
  { id: 'estate/unknown-sql-instance', severity: 'error', description: 'A store role, or a Front End pool\'s `backEnd`/`backEndMirror`, names a SQL instance that `sqlInstances` does not declare.' },
  { id: 'estate/unknown-cms-pool', severity: 'error', description: '`centralManagementStore` names no Front End pool of the estate.' },
  { id: 'estate/unknown-backup-pool', severity: 'error', description: '`backupPool` names a pool the estate does not have.' },
  { id: 'estate/pool-paired-with-itself', severity: 'error', description: "A Front End pool's `backupPool` is the pool itself." },
  { id: 'estate/paired-pool-wrong-kind', severity: 'error', description: 'A Front End pool is paired with a pool that is not a Front End pool.' },
  { id: 'estate/pairing-not-symmetric', severity: 'error', description: 'Pool A is paired with B but B is not paired with A; pairing is 1:1 and symmetrical.' },
  { id: 'estate/store-role-on-front-end', severity: 'error', description: 'A Front End pool has `stores`; store roles belong to Persistent Chat pools.' },
  { id: 'estate/field-not-for-kind', severity: 'warning', description: 'A key that does not apply to the pool kind (e.g. `activeServers` on a Front End pool, `backupPool` on a Persistent Chat pool); it is ignored.' },
  { id: 'estate/server-without-datacenter', severity: 'error', description: 'A server of a stretched pool (servers in several data centers, or no pool-level `datacenter`) does not say its data center.' },
  { id: 'estate/more-than-8-pc-servers', severity: 'error', description: `A Persistent Chat pool has more than ${MAX_PC_SERVERS} servers.` },
  { id: 'estate/too-many-active-servers', severity: 'error', description: `More than ${MAX_ACTIVE_PC_SERVERS} Persistent Chat servers are declared active.` },
  { id: 'estate/active-server-not-in-pool', severity: 'error', description: "An active server is not one of the pool's servers." },
  { id: 'estate/missing-primary-store', severity: 'error', description: 'A Persistent Chat database (`mgc` always, `mgccomp` when listed) has no primary store.' },
  { id: 'estate/store-roles-share-instance', severity: 'error', description: 'Two roles of one database (primary, mirror, backup, backup mirror) are on the same SQL instance.' },
  { id: 'estate/missing-backup-store', severity: 'warning', description: 'A Persistent Chat database has a primary store but no backup store: it cannot be failed over to another data center.' },
  { id: 'estate/backup-in-primary-datacenter', severity: 'warning', description: "A backup (or backup mirror) store is in the primary store's data center, so a data-center loss takes both." },
  { id: 'estate/log-shipping-missing', severity: 'error', description: 'A Persistent Chat pool has a backup store but no `logShipping` share and copy folder.' },
  { id: 'estate/invalid-fqdn', severity: 'error', description: 'A pool, server or SQL Server name is not a fully qualified domain name.' },
  { id: 'estate/invalid-unc-path', severity: 'error', description: '`logShipping.share` is not a UNC path (`\\\\server\\share`).' },
  { id: 'estate/invalid-folder-path', severity: 'error', description: '`logShipping.copyFolder` is neither a local folder (`D:\\…`) nor a UNC path.' },
  { id: 'estate/invalid-sql-instance-name', severity: 'error', description: 'A SQL instance `instance` is not a valid named instance (1–16 characters: a letter or `_`, then letters, digits, `_`, `$`).' },
  { id: 'estate/invalid-active-server-collection', severity: 'error', description: '`activeServerCollection` is not an identity the Lync cmdlets take (`global`, `site:<name>`, `service:<fqdn>`…).' },
];

const SEVERITY = new Map(ESTATE_CHECKS.map((check) => [check.id, check.severity]));

export function checkEstate(estate: Estate, source: EstateSource): Problem[] {
  const context: CheckContext = { estate, index: estateIndex(estate), source, problems: [] };
  for (const check of [checkIdentities, checkServerMembership, checkDatacenterReferences, checkPairing, checkCentralManagementStore, checkPoolKindFields, checkStretchedPools, checkPersistentChat, checkNames]) {
    check(context);
  }
  return context.problems;
}

interface CheckContext {
  readonly estate: Estate;
  readonly index: EstateIndex;
  readonly source: EstateSource;
  readonly problems: Problem[];
}

function report(context: CheckContext, rule: string, path: SourcePath, message: string): void {
  context.problems.push({ rule, severity: SEVERITY.get(rule) ?? 'error', message, range: context.source.locate(path) });
}

/** "line N" of the node at `path`, to point from a duplicate to the first one. */
function lineOf(context: CheckContext, path: SourcePath): string {
  return `line ${context.source.locate(path).start.line + 1}`;
}

function checkIdentities(context: CheckContext): void {
  const { estate, index } = context;
  for (const [entities, find, what] of [
    [estate.datacenters, index.datacenter, 'data center'],
    [estate.sqlInstances, index.sqlInstance, 'SQL instance'],
  ] as const) {
    for (const entity of entities) {
      const first = find(entity.id);
      if (first && first !== entity) {
        report(context, 'estate/duplicate-id', [...entity.path, 'id'], `The ${what} id \`${entity.id}\` is already used on ${lineOf(context, first.path)}: give each ${what} its own id.`);
      }
    }
  }
  for (const pool of estate.pools) {
    const first = index.poolsByFqdn.get(fqdnKey(pool.fqdn));
    if (first && first !== pool) {
      report(context, 'estate/duplicate-pool', [...pool.path, 'fqdn'], `The pool \`${pool.fqdn}\` is already described on ${lineOf(context, first.path)}: merge the two entries.`);
    }
  }
}

function checkServerMembership(context: CheckContext): void {
  for (const pool of context.estate.pools) {
    const seen = new Set<string>();
    for (const server of pool.servers) {
      const key = fqdnKey(server.fqdn);
      const owner = context.index.poolsByServer.get(key);
      if (seen.has(key)) {
        report(context, 'estate/duplicate-server', server.path, `\`${server.fqdn}\` is listed twice in pool \`${pool.fqdn}\`: remove one entry.`);
      } else if (owner && owner !== pool) {
        report(context, 'estate/server-in-two-pools', server.path, `\`${server.fqdn}\` is already a server of pool \`${owner.fqdn}\`: a computer belongs to one pool; remove it from one of them.`);
      }
      seen.add(key);
    }
  }
}

function checkDatacenterReferences(context: CheckContext): void {
  const { estate, index } = context;
  const declared = estate.datacenters.map((d) => d.id);
  const known = declared.length === 0 ? 'none is declared yet' : `declared: ${declared.slice(0, 10).join(', ')}${declared.length > 10 ? ', …' : ''}`;
  const check = (datacenter: string | undefined, path: SourcePath) => {
    if (datacenter !== undefined && !index.datacenter(datacenter)) {
      report(context, 'estate/unknown-datacenter', [...path, 'datacenter'], `Data center \`${datacenter}\` is not declared (${known}): add \`{ id: ${datacenter}, name: … }\` under \`datacenters:\` or correct the id.`);
    }
  };
  for (const sql of estate.sqlInstances) check(sql.datacenter, sql.path);
  for (const pool of estate.pools) {
    check(pool.datacenter, pool.path);
    for (const server of pool.servers) check(server.datacenter, server.path);
  }
}

function checkPairing(context: CheckContext): void {
  for (const pool of context.estate.pools) {
    if (pool.kind !== 'front-end' || pool.backupPool === undefined) continue;
    const path = [...pool.path, 'backupPool'];
    const partner = context.index.poolsByFqdn.get(fqdnKey(pool.backupPool));
    if (!partner) {
      report(context, 'estate/unknown-backup-pool', path, `The backup pool \`${pool.backupPool}\` is not in this estate: add it under \`pools:\` or correct the FQDN.`);
    } else if (partner === pool) {
      report(context, 'estate/pool-paired-with-itself', path, `\`${pool.fqdn}\` is paired with itself: set \`backupPool\` to the Front End pool in the other data center.`);
    } else if (partner.kind !== 'front-end') {
      report(context, 'estate/paired-pool-wrong-kind', path, `\`${partner.fqdn}\` is a ${partner.kind} pool; a Front End pool is paired with another Front End pool: correct \`backupPool\`.`);
    } else if (partner.backupPool === undefined || fqdnKey(partner.backupPool) !== fqdnKey(pool.fqdn)) {
      const now = partner.backupPool === undefined ? 'has no `backupPool`' : `is paired with \`${partner.backupPool}\``;
      report(context, 'estate/pairing-not-symmetric', path, `\`${partner.fqdn}\` ${now}; pairing is 1:1 and symmetrical: set \`backupPool: ${pool.fqdn}\` on it, or pair this pool with another.`);
    }
  }
}

/** The CMS host pool and the Back End SQL instances a CMS failover targets (reference §3.5). */
function checkCentralManagementStore(context: CheckContext): void {
  const { estate, index } = context;
  const cms = estate.centralManagementStore;
  if (cms !== undefined && index.poolsByFqdn.get(fqdnKey(cms))?.kind !== 'front-end') {
    report(context, 'estate/unknown-cms-pool', ['centralManagementStore'], `\`centralManagementStore\` names \`${cms}\`, which is not a Front End pool of this estate: name the pool that hosts the Central Management Store (Invoke-CsManagementServerFailover -WhatIf shows it).`);
  }
  for (const pool of estate.pools) {
    if (pool.kind !== 'front-end') continue;
    for (const key of ['backEnd', 'backEndMirror'] as const) {
      const id = pool[key];
      if (id !== undefined && !index.sqlInstance(id)) report(context, 'estate/unknown-sql-instance', [...pool.path, key], `SQL instance \`${id}\` is not declared: add it under \`sqlInstances:\` or correct the id.`);
    }
  }
}

const PERSISTENT_CHAT_ONLY = ['logShipping', 'activeServers', 'activeServerCollection'] as const;
const FRONT_END_ONLY = ['backEnd', 'backEndMirror', 'edgeNextHopFor'] as const;

function checkPoolKindFields(context: CheckContext): void {
  for (const pool of context.estate.pools) {
    if (pool.kind === 'front-end') {
      if (pool.stores) report(context, 'estate/store-role-on-front-end', [...pool.path, 'stores'], `\`${pool.fqdn}\` is a Front End pool; \`stores\` describe Persistent Chat databases: move them to the Persistent Chat pool or remove them.`);
      for (const key of PERSISTENT_CHAT_ONLY) {
        if (pool[key] !== undefined) report(context, 'estate/field-not-for-kind', [...pool.path, key], `\`${key}\` applies to Persistent Chat pools only and is ignored on Front End pool \`${pool.fqdn}\`: remove it.`);
      }
    } else {
      if (pool.backupPool !== undefined) report(context, 'estate/field-not-for-kind', [...pool.path, 'backupPool'], `Persistent Chat pools are not paired; \`backupPool\` is ignored on \`${pool.fqdn}\`: remove it (disaster recovery uses the backup store instead).`);
      for (const key of FRONT_END_ONLY) {
        if (pool[key] !== undefined) report(context, 'estate/field-not-for-kind', [...pool.path, key], `\`${key}\` applies to Front End pools only and is ignored on Persistent Chat pool \`${pool.fqdn}\`: remove it.`);
      }
    }
  }
}

function checkStretchedPools(context: CheckContext): void {
  for (const pool of context.estate.pools) {
    const datacenters = new Set(pool.servers.map((server) => server.datacenter ?? pool.datacenter));
    const stretched = pool.datacenter === undefined || datacenters.size > 1;
    if (!stretched) continue;
    const why = pool.datacenter === undefined ? 'has no pool-level `datacenter`' : 'has servers in several data centers';
    for (const server of pool.servers) {
      if (server.datacenter === undefined) {
        report(context, 'estate/server-without-datacenter', server.path, `Pool \`${pool.fqdn}\` ${why}, so the data center of \`${server.fqdn}\` is unknown: write \`{ fqdn: ${server.fqdn}, datacenter: … }\`.`);
      }
    }
  }
}

function checkPersistentChat(context: CheckContext): void {
  for (const pool of context.estate.pools) {
    if (pool.kind !== 'persistent-chat') continue;
    if (pool.servers.length > MAX_PC_SERVERS) {
      report(context, 'estate/more-than-8-pc-servers', pool.servers[MAX_PC_SERVERS].path, `\`${pool.fqdn}\` lists ${pool.servers.length} servers; a Persistent Chat pool has at most ${MAX_PC_SERVERS} (${MAX_ACTIVE_PC_SERVERS} active, the rest standby): remove the extra servers or split the pool.`);
    }
    checkActiveServers(context, pool);
    checkStores(context, pool);
  }
}

function checkActiveServers(context: CheckContext, pool: Pool): void {
  const active = pool.activeServers ?? [];
  if (active.length > MAX_ACTIVE_PC_SERVERS) {
    report(context, 'estate/too-many-active-servers', [...pool.path, 'activeServers', MAX_ACTIVE_PC_SERVERS], `${active.length} servers are declared active; at most ${MAX_ACTIVE_PC_SERVERS} Persistent Chat servers can be active: keep ${MAX_ACTIVE_PC_SERVERS} and leave the others standby.`);
  }
  const members = new Set(pool.servers.map((server) => fqdnKey(server.fqdn)));
  active.forEach((fqdn, i) => {
    if (!members.has(fqdnKey(fqdn))) {
      report(context, 'estate/active-server-not-in-pool', [...pool.path, 'activeServers', i], `\`${fqdn}\` is not a server of \`${pool.fqdn}\`: add it to \`servers\` or correct the FQDN.`);
    }
  });
}

function checkStores(context: CheckContext, pool: Pool): void {
  const { index } = context;
  const storesPath = [...pool.path, 'stores'];
  let hasBackup = false;
  for (const database of PC_DATABASES) {
    const roles = pool.stores?.[database];
    if (!roles) {
      if (database === 'mgc') report(context, 'estate/missing-primary-store', pool.stores ? storesPath : [...pool.path, 'fqdn'], `Persistent Chat pool \`${pool.fqdn}\` has no \`mgc\` store: add \`stores: { mgc: { primary: <SQL instance id>, backup: … } }\`.`);
      continue;
    }
    const path = [...storesPath, database];
    const roleOfInstance = new Map<string, string>();
    for (const role of STORE_ROLES) {
      const id = roles[role];
      if (id === undefined) continue;
      if (!index.sqlInstance(id)) {
        report(context, 'estate/unknown-sql-instance', [...path, role], `SQL instance \`${id}\` is not declared: add it under \`sqlInstances:\` or correct the id.`);
      }
      const other = roleOfInstance.get(idKey(id));
      if (other) report(context, 'estate/store-roles-share-instance', [...path, role], `\`${id}\` is already the ${other} store of \`${database}\`; each role needs its own SQL instance: correct one of them.`);
      else roleOfInstance.set(idKey(id), role);
    }
    hasBackup ||= roles.backup !== undefined || roles.backupMirror !== undefined;
    if (roles.primary === undefined) {
      report(context, 'estate/missing-primary-store', path, `\`${database}\` has no primary store: add \`primary: <SQL instance id>\`.`);
      continue;
    }
    if (roles.backup === undefined) {
      report(context, 'estate/missing-backup-store', path, `\`${database}\` has no backup store, so it cannot be failed over to the other data center: add \`backup: <SQL instance id>\` (the log-shipping secondary).`);
    }
    const primaryDatacenter = index.sqlInstance(roles.primary)?.datacenter;
    for (const role of ['backup', 'backupMirror'] as const) {
      const id = roles[role];
      const datacenter = id === undefined ? undefined : index.sqlInstance(id)?.datacenter;
      if (sameId(primaryDatacenter, datacenter)) {
        report(context, 'estate/backup-in-primary-datacenter', [...path, role], `The ${role} store \`${id}\` is in data center \`${datacenter}\` like the primary, so losing that data center loses both: place it in the other data center.`);
      }
    }
  }
  if (hasBackup && !pool.logShipping) {
    report(context, 'estate/log-shipping-missing', [...pool.path, 'fqdn'], `\`${pool.fqdn}\` has a backup store but no log shipping: add \`logShipping: { share: '\\\\server\\share', copyFolder: 'D:\\LogShipping\\mgc' }\`.`);
  }
}

/** Name patterns, also used by schemas/lync-estate.schema.json (a unit test keeps them equal). */
export const FQDN_PATTERN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const PATH_PART = '[^\\\\/:*?"<>|\\r\\n]+';
const UNC_PATH = `\\\\\\\\${PATH_PART}(?:\\\\${PATH_PART})+\\\\?`;
export const UNC_PATH_PATTERN = new RegExp(`^${UNC_PATH}$`);
export const FOLDER_PATH_PATTERN = new RegExp(`^(?:[A-Za-z]:\\\\(?:${PATH_PART}(?:\\\\${PATH_PART})*\\\\?)?|${UNC_PATH})$`);

/**
 * Every value the procedures build commands from is checked here with the very parser they use
 * (src/core/commands/values.ts), so an estate that passes its checks also builds every
 * procedure's commands and checks: a value refused only at plan time would leave a run unguarded.
 */
function checkNames(context: CheckContext): void {
  /** The parser's refusal, reported under `rule` with what to write instead. */
  const parsed = (rule: string, parse: (value: string) => unknown, value: string, path: SourcePath, fix: string) => {
    try {
      parse(value);
    } catch (e) {
      if (!(e instanceof InvalidValueError)) throw e;
      report(context, rule, path, `\`${showControlCharacters(value)}\` ${e.reason}: ${fix}`);
    }
  };
  const fqdn = (name: string, path: SourcePath, what: string) => {
    const fix = `write the ${what}'s full DNS name, e.g. \`host.contoso.com\`.`;
    if (!FQDN_PATTERN.test(name)) report(context, 'estate/invalid-fqdn', path, `\`${showControlCharacters(name)}\` is not a fully qualified domain name: ${fix}`);
    else parsed('estate/invalid-fqdn', parseFqdn, name, path, fix);
  };
  for (const sql of context.estate.sqlInstances) {
    fqdn(sql.server, [...sql.path, 'server'], 'SQL Server');
    if (sql.instance !== undefined) parsed('estate/invalid-sql-instance-name', parseSqlInstanceName, sql.instance, [...sql.path, 'instance'], 'write the named instance as SQL Server setup shows it (e.g. `pchat`), or leave `instance` out for the default instance.');
  }
  for (const pool of context.estate.pools) {
    fqdn(pool.fqdn, [...pool.path, 'fqdn'], 'pool');
    for (const server of pool.servers) fqdn(server.fqdn, server.path, 'server');
    (pool.activeServers ?? []).forEach((server, i) => fqdn(server, [...pool.path, 'activeServers', i], 'active server'));
    if (pool.activeServerCollection !== undefined) {
      parsed('estate/invalid-active-server-collection', parseXdsIdentity, pool.activeServerCollection, [...pool.path, 'activeServerCollection'], 'write `global` (Lync Server 2013), or the identity Get-CsPersistentChatActiveServer shows.');
    }
    if (!pool.logShipping) continue;
    const { share, copyFolder } = pool.logShipping;
    const shareFix = `write \`\\\\server\\share\` in single quotes, e.g. '\\\\fs01.contoso.com\\pchat-logs'.`;
    const shareRule = 'estate/invalid-unc-path';
    const sharePath = [...pool.path, 'logShipping', 'share'];
    if (!UNC_PATH_PATTERN.test(share)) report(context, shareRule, sharePath, `\`${showControlCharacters(share)}\` is not a UNC path: ${shareFix}`);
    else parsed(shareRule, parseUncPath, share, sharePath, shareFix);
    const folderFix = "write a folder on the backup server such as 'D:\\LogShipping\\mgc' (or a UNC path).";
    const folderPath = [...pool.path, 'logShipping', 'copyFolder'];
    if (!FOLDER_PATH_PATTERN.test(copyFolder)) report(context, 'estate/invalid-folder-path', folderPath, `\`${showControlCharacters(copyFolder)}\` is not a folder path: ${folderFix}`);
    else parsed('estate/invalid-folder-path', parseFilePath, copyFolder, folderPath, folderFix);
  }
}
