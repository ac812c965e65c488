/**
 * Loads `lync-estate.yaml` (docs/estate-format.md) into an `Estate`. Never throws: everything wrong
 * with the text becomes a problem at the offending node, and the estate keeps every entity whose
 * identity (id, FQDN, kind) is sound.
 */
import { hasControlCharacters, showControlCharacters, type Problem, type Range } from '../text';
import { withLineFeeds } from '../text-files';
import { ESTATE_VERSION, LYNC_PRODUCTS, PC_DATABASES, POOL_KINDS, STORE_ROLES, type Datacenter, type EstateLoadResult, type EstateRuleInfo, type LogShipping, type LyncProduct, type PcDatabase, type Pool, type PoolKind, type PoolServer, SQL_VERSIONS, type SourcePath, type SqlInstance, type SqlVersion, type StoreAssignment, type StoreRole } from './model';
import { TextPositions } from './positions';
import { YamlEstateSource } from './source';
import { readYamlDocument } from './yaml-document-reader';
import { readYamlSubset } from './yaml-subset-reader';
import type { YamlIssue, YamlMap, YamlNode, YamlPair } from './yaml-tree';

/** Larger inputs are refused before parsing (an estate of 500 pools is about 0.5 MB). */
export const MAX_ESTATE_CHARS = 10 * 1024 * 1024;

export const ESTATE_LOAD_RULES: readonly EstateRuleInfo[] = [
  { id: 'estate/too-large', severity: 'error', description: `The file is larger than ${MAX_ESTATE_CHARS / 1024 / 1024} MB (counted in characters) and is not read.` },
  { id: 'estate/yaml-syntax', severity: 'error', description: 'The file is not valid YAML (YAML warnings are reported as warnings).' },
  { id: 'estate/not-a-mapping', severity: 'error', description: 'The file is empty or its top level is not a mapping of keys to values.' },
  { id: 'estate/unsupported-version', severity: 'error', description: `\`estate:\` is missing or is not a supported format version (${ESTATE_VERSION}).` },
  { id: 'estate/missing-field', severity: 'error', description: 'A required key is missing or empty.' },
  { id: 'estate/wrong-type', severity: 'error', description: 'A value has the wrong type (text, number, list or mapping).' },
  { id: 'estate/invalid-value', severity: 'error', description: 'A value is outside the allowed set (pool kind, product, port range, SQL Server version).' },
  { id: 'estate/control-character', severity: 'error', description: 'A text value holds a line break, NUL, escape or other control character; the value is left out of the estate. Estate values are one line of plain text: one with a line break could add lines (even commands) to the runbooks built from the estate.' },
  { id: 'estate/unknown-key', severity: 'warning', description: 'A key the format does not define (often a misspelling); it is ignored.' },
];

export function parseEstate(written: string, file: string): EstateLoadResult {
  const text = withLineFeeds(written);
  const positions = new TextPositions(text);
  if (text.length > MAX_ESTATE_CHARS) {
    const size = (text.length / 1024 / 1024).toFixed(1);
    const problem = loadProblem('estate/too-large', `The estate file is ${size} MB; the limit is ${MAX_ESTATE_CHARS / 1024 / 1024} MB. An estate file describes data centers, SQL instances and pools only: check that this is the right file.`, positions.range(0, 0));
    return { source: new YamlEstateSource(file, undefined, positions), problems: [problem] };
  }
  const { tree, issues } = readYaml(text);
  const source = new YamlEstateSource(file, tree, positions);
  const yamlProblems = issues.map((issue) => loadProblem('estate/yaml-syntax', issue.message, positions.range(issue.start, issue.end), issue.severity));
  if (tree === undefined) return { source, problems: yamlProblems };
  const builder = new EstateBuilder(positions);
  const estate = builder.build(tree);
  // The builder reads keys in a fixed order; report in file order.
  const problems = builder.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { estate, source, problems: [...yamlProblems, ...problems] };
}

function readYaml(text: string): { tree?: YamlNode | null; issues: readonly YamlIssue[] } {
  const fast = readYamlSubset(text);
  return fast === undefined ? readYamlDocument(text) : { tree: fast, issues: [] };
}

function loadProblem(rule: string, message: string, range: Range, severity = ESTATE_LOAD_RULES.find((r) => r.id === rule)?.severity ?? 'error'): Problem {
  return { rule, severity, message, range };
}

const ROOT_KEYS = ['estate', 'name', 'product', 'datacenters', 'sqlInstances', 'pools', 'centralManagementStore'];
const DATACENTER_KEYS = ['id', 'name'];
const SQL_KEYS = ['id', 'server', 'instance', 'datacenter', 'port', 'sqlVersion'];
const POOL_KEYS = ['fqdn', 'kind', 'site', 'datacenter', 'servers', 'backupPool', 'backEnd', 'backEndMirror', 'edgeNextHopFor', 'stores', 'logShipping', 'activeServerCollection', 'activeServers'];
const SERVER_KEYS = ['fqdn', 'datacenter'];
const LOG_SHIPPING_KEYS = ['share', 'copyFolder'];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class EstateBuilder {
  readonly problems: Problem[] = [];

  constructor(private readonly positions: TextPositions) {}

  build(root: YamlNode | null): EstateLoadResult['estate'] {
    if (root?.kind !== 'map') {
      const message = root
        ? 'The top level of an estate file must be a mapping that starts with `estate: 1`.'
        : 'The estate file is empty: start it with `estate: 1` and `name:`, then list `datacenters`, `sqlInstances` and `pools` (docs/estate-format.md).';
      this.report('estate/not-a-mapping', message, root ? this.positions.firstLineRange(root.start, root.end) : this.positions.range(0, 0));
      return undefined;
    }
    const fields = this.fields(root, 'the estate', ROOT_KEYS);
    const version = fields.get('estate');
    if (version?.value.kind !== 'scalar' || version.value.value !== ESTATE_VERSION) {
      const message = version
        ? `The estate format version must be ${ESTATE_VERSION} (the only version this extension reads), not ${this.describe(version.value)}: write \`estate: ${ESTATE_VERSION}\`.`
        : `The file does not say its estate format version: add \`estate: ${ESTATE_VERSION}\` as the first key (supported versions: ${ESTATE_VERSION}).`;
      const range = version ? this.range(version.value.end > version.value.start ? version.value : version.key) : this.positions.firstLineRange(root.start, root.end);
      this.report('estate/unsupported-version', message, range);
      return undefined;
    }
    const cms = this.text(fields, 'centralManagementStore', root, 'The estate');
    const product = this.product(fields, root);
    return {
      version: ESTATE_VERSION,
      name: this.text(fields, 'name', root, 'The estate', true) ?? '',
      ...(product ? { product } : {}),
      datacenters: this.list(fields, 'datacenters', root, false, [], (node, path) => this.datacenter(node, path)),
      sqlInstances: this.list(fields, 'sqlInstances', root, false, [], (node, path) => this.sqlInstance(node, path)),
      pools: this.list(fields, 'pools', root, true, [], (node, path) => this.pool(node, path)),
      ...(cms === undefined ? {} : { centralManagementStore: cms }),
    };
  }

  private datacenter(node: YamlNode, path: SourcePath): Datacenter | undefined {
    const map = this.expectMap(node, 'A data center', '`{ id: atl, name: Atlanta }`');
    if (!map) return undefined;
    const fields = this.fields(map, 'a data center', DATACENTER_KEYS);
    const id = this.text(fields, 'id', map, 'A data center', true);
    const name = this.text(fields, 'name', map, 'A data center', true);
    return id === undefined ? undefined : { id, name: name ?? id, path };
  }

  private sqlInstance(node: YamlNode, path: SourcePath): SqlInstance | undefined {
    const map = this.expectMap(node, 'A SQL instance', '`{ id: atl-pcsql, server: atl-pcsql-001.contoso.com, instance: pchat }`');
    if (!map) return undefined;
    const fields = this.fields(map, 'a SQL instance', SQL_KEYS);
    const id = this.text(fields, 'id', map, 'A SQL instance', true);
    const server = this.text(fields, 'server', map, 'A SQL instance', true);
    if (id === undefined || server === undefined) return undefined;
    const sql: Mutable<SqlInstance> = { id, server, path };
    const instance = this.text(fields, 'instance', map, 'A SQL instance');
    if (instance !== undefined) sql.instance = instance;
    const datacenter = this.text(fields, 'datacenter', map, 'A SQL instance');
    if (datacenter !== undefined) sql.datacenter = datacenter;
    const port = this.port(fields.get('port'));
    if (port !== undefined) sql.port = port;
    const sqlVersion = this.sqlVersion(fields.get('sqlVersion'));
    if (sqlVersion !== undefined) sql.sqlVersion = sqlVersion;
    return sql;
  }

  private pool(node: YamlNode, path: SourcePath): Pool | undefined {
    const map = this.expectMap(node, 'A pool', 'a mapping with `fqdn`, `kind` and `servers`');
    if (!map) return undefined;
    const fields = this.fields(map, 'a pool', POOL_KEYS);
    const fqdn = this.text(fields, 'fqdn', map, 'A pool', true);
    const kind = this.kind(fields, map);
    if (fqdn === undefined || kind === undefined) return undefined;
    const pool: Mutable<Pool> = {
      fqdn,
      kind,
      servers: this.list(fields, 'servers', map, true, path, (item, itemPath) => this.server(item, itemPath)),
      path,
    };
    for (const key of ['site', 'datacenter', 'backupPool', 'backEnd', 'backEndMirror', 'activeServerCollection'] as const) {
      const value = this.text(fields, key, map, 'A pool');
      if (value !== undefined) pool[key] = value;
    }
    const stores = this.stores(fields.get('stores'));
    if (stores) pool.stores = stores;
    const logShipping = this.logShipping(fields.get('logShipping'));
    if (logShipping) pool.logShipping = logShipping;
    const activeServers = fields.has('activeServers')
      ? this.list(fields, 'activeServers', map, false, path, (item) => this.textNode(item, 'An active server'))
      : undefined;
    if (activeServers) pool.activeServers = activeServers;
    if (fields.has('edgeNextHopFor')) pool.edgeNextHopFor = this.list(fields, 'edgeNextHopFor', map, false, path, (item) => this.textNode(item, 'An Edge pool'));
    return pool;
  }

  private product(fields: Map<string, YamlPair>, map: YamlMap): LyncProduct | undefined {
    const product = this.text(fields, 'product', map, 'The estate');
    const pair = fields.get('product');
    if (product === undefined || !pair || (LYNC_PRODUCTS as readonly string[]).includes(product)) return product as LyncProduct | undefined;
    this.report('estate/invalid-value', `Unknown product \`${product}\`: use ${LYNC_PRODUCTS.map((p) => `\`${p}\``).join(' or ')} (Lync Server 2013 or Skype for Business Server 2015), or leave \`product\` out.`, this.range(pair.value));
    return undefined;
  }

  private kind(fields: Map<string, YamlPair>, map: YamlMap): PoolKind | undefined {
    const kind = this.text(fields, 'kind', map, 'A pool', true);
    const pair = fields.get('kind');
    if (kind === undefined || !pair || (POOL_KINDS as readonly string[]).includes(kind)) return kind as PoolKind | undefined;
    this.report('estate/invalid-value', `Unknown pool kind \`${kind}\`: use ${POOL_KINDS.map((k) => `\`${k}\``).join(' or ')}.`, this.range(pair.value));
    return undefined;
  }

  private server(node: YamlNode, path: SourcePath): PoolServer | undefined {
    if (node.kind === 'scalar') {
      const fqdn = this.textNode(node, 'A server');
      return fqdn === undefined ? undefined : { fqdn, path };
    }
    const map = this.expectMap(node, 'A server', 'an FQDN or `{ fqdn: …, datacenter: … }`');
    if (!map) return undefined;
    const fields = this.fields(map, 'a server', SERVER_KEYS);
    const fqdn = this.text(fields, 'fqdn', map, 'A server', true);
    const datacenter = this.text(fields, 'datacenter', map, 'A server');
    if (fqdn === undefined) return undefined;
    return datacenter === undefined ? { fqdn, path } : { fqdn, datacenter, path };
  }

  private stores(pair: YamlPair | undefined): Pool['stores'] {
    const map = pair && this.expectMap(pair.value, '`stores`', '`mgc: { primary: …, backup: … }`');
    if (!map) return undefined;
    const stores: Partial<Record<PcDatabase, StoreAssignment>> = {};
    for (const [database, dbPair] of this.fields(map, '`stores`', PC_DATABASES)) {
      const roles = this.expectMap(dbPair.value, `\`stores.${database}\``, '`{ primary: …, mirror: …, backup: …, backupMirror: … }`');
      if (!roles) continue;
      const assignment: Partial<Record<StoreRole, string>> = {};
      for (const [role, rolePair] of this.fields(roles, `\`stores.${database}\``, STORE_ROLES)) {
        const id = this.textNode(rolePair.value, `The ${role} store`);
        if (id !== undefined) assignment[role as StoreRole] = id;
      }
      stores[database as PcDatabase] = assignment;
    }
    return stores;
  }

  private logShipping(pair: YamlPair | undefined): LogShipping | undefined {
    const map = pair && this.expectMap(pair.value, '`logShipping`', "`{ share: '\\\\server\\share', copyFolder: 'D:\\LogShipping' }`");
    if (!map) return undefined;
    const fields = this.fields(map, '`logShipping`', LOG_SHIPPING_KEYS);
    const share = this.text(fields, 'share', map, '`logShipping`', true);
    const copyFolder = this.text(fields, 'copyFolder', map, '`logShipping`', true);
    return share === undefined || copyFolder === undefined ? undefined : { share, copyFolder };
  }

  private port(pair: YamlPair | undefined): number | undefined {
    if (!pair || pair.value.kind !== 'scalar' || pair.value.value === null) return undefined;
    const port = pair.value.value;
    if (typeof port !== 'number') {
      this.report('estate/wrong-type', `\`port\` must be a number, not ${this.describe(pair.value)}: write e.g. \`port: 1433\`.`, this.range(pair.value));
      return undefined;
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.report('estate/invalid-value', `\`port\` must be a whole number from 1 to 65535, not ${port}.`, this.range(pair.value));
      return undefined;
    }
    return port;
  }

  /** `sqlVersion: 2012` reads as a number in YAML, `2008R2` as text: both are accepted. */
  private sqlVersion(pair: YamlPair | undefined): SqlVersion | undefined {
    if (!pair || pair.value.kind !== 'scalar' || pair.value.value === null) return undefined;
    const value = String(pair.value.value);
    if ((SQL_VERSIONS as readonly string[]).includes(value)) return value as SqlVersion;
    this.report('estate/invalid-value', `Unknown \`sqlVersion\` \`${value}\`: use ${SQL_VERSIONS.map((v) => `\`${v}\``).join(', ')} (SQL Server 2008 R2, 2012, 2014).`, this.range(pair.value));
    return undefined;
  }

  /** The pairs of `map` by key; unknown keys are reported and left out. */
  private fields(map: YamlMap, what: string, known: readonly string[]): Map<string, YamlPair> {
    const fields = new Map<string, YamlPair>();
    for (const pair of map.pairs) {
      const key = pair.key.kind === 'scalar' ? pair.key.value : undefined;
      if (typeof key === 'string' && known.includes(key)) {
        fields.set(key, pair);
        continue;
      }
      const name = typeof key === 'string' ? `\`${key}\`` : this.describe(pair.key);
      const guess = typeof key === 'string' ? closest(key, known) : undefined;
      const hint = guess ? `did you mean \`${guess}\`?` : `the keys of ${what} are ${known.map((k) => `\`${k}\``).join(', ')}.`;
      this.report('estate/unknown-key', `Unknown key ${name} in ${what} is ignored: ${hint}`, this.range(pair.key));
    }
    return fields;
  }

  /** The text value at `key`; a missing required key is reported on the first line of `map`. */
  private text(fields: Map<string, YamlPair>, key: string, map: YamlMap, what: string, required = false): string | undefined {
    const pair = fields.get(key);
    const empty = !pair || (pair.value.kind === 'scalar' && pair.value.value === null);
    if (empty) {
      if (required) {
        const range = pair ? this.range(pair.key) : this.positions.firstLineRange(map.start, map.end);
        this.report('estate/missing-field', `${what} needs \`${key}\`: add \`${key}: …\` (docs/estate-format.md).`, range);
      }
      return undefined;
    }
    return this.textNode(pair.value, `\`${key}\``);
  }

  private textNode(node: YamlNode, what: string): string | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'string' && node.value !== '') {
      // Left out of the estate, so no view, report or rendered runbook ever holds it.
      if (hasControlCharacters(node.value)) {
        this.report('estate/control-character', `${what} holds a control character (a line break, NUL, escape…): \`${showControlCharacters(node.value)}\`. Estate values are one line of plain text: remove it (in a double-quoted YAML string, look for \\n, \\0 or \\e).`, this.range(node));
        return undefined;
      }
      return node.value;
    }
    const fix = node.kind === 'scalar' && node.value !== null ? ` put it in quotes if \`${String(node.value)}\` is meant` : ' write it as text';
    this.report('estate/wrong-type', `${what} must be text, not ${this.describe(node)}:${fix}.`, this.range(node));
    return undefined;
  }

  /** The items of the list at `key` of the mapping at `base`, each read by `read`; items it rejects are left out. */
  private list<T>(fields: Map<string, YamlPair>, key: string, map: YamlMap, required: boolean, base: SourcePath, read: (node: YamlNode, path: SourcePath) => T | undefined): T[] {
    const pair = fields.get(key);
    if (!pair || (pair.value.kind === 'scalar' && pair.value.value === null)) {
      if (required) this.report('estate/missing-field', `A list \`${key}:\` is needed here: add \`${key}:\` with one \`- …\` line per entry.`, pair ? this.range(pair.key) : this.positions.firstLineRange(map.start, map.end));
      return [];
    }
    if (pair.value.kind !== 'seq') {
      this.report('estate/wrong-type', `\`${key}\` must be a list (\`- …\` lines or \`[…]\`), not ${this.describe(pair.value)}.`, this.range(pair.value));
      return [];
    }
    const result: T[] = [];
    pair.value.items.forEach((item, index) => {
      const value = read(item, [...base, key, index]);
      if (value !== undefined) result.push(value);
    });
    return result;
  }

  private expectMap(node: YamlNode, what: string, example: string): YamlMap | undefined {
    if (node.kind === 'map') return node;
    this.report('estate/wrong-type', `${what} must be a mapping, not ${this.describe(node)}: write ${example}.`, this.range(node));
    return undefined;
  }

  private describe(node: YamlNode): string {
    if (node.kind === 'map') return 'a mapping';
    if (node.kind === 'seq') return 'a list';
    if (node.value === null) return 'an empty value';
    if (node.value === '') return 'an empty text';
    if (typeof node.value === 'string') return `the text \`${node.value}\``;
    return `the ${typeof node.value} \`${String(node.value)}\``;
  }

  private range(node: { start: number; end: number }): Range {
    return this.positions.firstLineRange(node.start, node.end);
  }

  private report(rule: string, message: string, range: Range): void {
    this.problems.push(loadProblem(rule, message, range));
  }
}

/** The known key within two edits of `key` (case aside), to suggest for a misspelling. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
