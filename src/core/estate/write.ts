/**
 * Estate → `lync-estate.yaml` text, in the style of the samples: one flow mapping per data center,
 * SQL instance and stretched-pool server, block mappings for pools. Given the TODOs of a topology
 * import, it writes a `# TODO:` comment above each place to complete and a placeholder where the
 * value is missing, so the draft loads and points at every gap.
 */
import { parse } from 'yaml';
import { PC_DATABASES, STORE_ROLES, type Estate, type Pool, type SourcePath } from './model';
import type { TopologyTodo } from './topology';

/** Stands for a value the admin must fill in; where it is a reference or a path, estate checks report it. */
export const TODO_PLACEHOLDER = 'TODO';

type Scalar = string | number;
type FlowValue = Scalar | readonly Scalar[];
type Entries = readonly (readonly [string, FlowValue | undefined])[];

const WIDTH = 100;
const LIST_KEYS = new Set(['activeServers']);

/**
 * Pass the TODOs of `importTopology` to get the draft header, the TODO comments and placeholders;
 * without them the estate is written as it is.
 */
export function estateToYaml(estate: Estate, todos?: readonly TopologyTodo[]): string {
  const writer = new Writer(todos ?? []);
  if (todos) writer.header(todos.length);
  writer.estate(estate);
  return writer.finish();
}

class Writer {
  private readonly lines: string[] = [];
  private readonly open: TopologyTodo[];

  constructor(todos: readonly TopologyTodo[]) {
    this.open = [...todos];
  }

  header(count: number): void {
    this.comment('', 'Lync Recovery estate, drafted from a published topology (Get-CsTopology -AsXml).');
    if (count === 0) {
      this.comment('', 'The topology told everything this estate needs; review it before you rely on it.');
      return;
    }
    this.comment(
      '',
      `A topology cannot tell everything a recovery needs: complete the ${count} places marked "# TODO:" ` +
        `(replace each ${TODO_PLACEHOLDER} placeholder with the real value, or remove the entry where the comment ` +
        'says so), then delete the TODO comments.',
    );
  }

  estate(estate: Estate): void {
    this.lines.push(`estate: ${scalar(estate.version)}`, `name: ${scalar(estate.name)}`);
    if (estate.product) this.lines.push(`product: ${estate.product}`);
    this.list('', 'datacenters', estate.datacenters, (dc) => this.flowItem('  ', dc.path, [['id', dc.id], ['name', dc.name]]));
    this.list('', 'sqlInstances', estate.sqlInstances, (sql) =>
      this.flowItem('  ', sql.path, [
        ['id', sql.id],
        ['server', sql.server],
        ['instance', sql.instance],
        ['datacenter', this.orPlaceholder([...sql.path, 'datacenter'], sql.datacenter)],
        ['port', sql.port],
        ['sqlVersion', sql.sqlVersion],
      ]),
    );
    this.list('', 'pools', estate.pools, (pool) => this.pool(pool));
  }

  finish(): string {
    for (const todo of this.open) this.comment('', `TODO (at ${todo.path.join('.')}): ${todo.message}`);
    return `${this.lines.join('\n')}\n`;
  }

  private pool(pool: Pool): void {
    const at = (...keys: (string | number)[]): SourcePath => [...pool.path, ...keys];
    this.commentsFor('  ', at('fqdn'));
    this.lines.push(`  - fqdn: ${scalar(pool.fqdn)}`);
    this.scalarEntry('    ', at('kind'), pool.kind);
    this.scalarEntry('    ', at('site'), pool.site);
    this.scalarEntry('    ', at('datacenter'), pool.datacenter);
    this.servers(pool);
    this.scalarEntry('    ', at('backupPool'), pool.backupPool);
    if (pool.stores || this.hasTodoUnder(at('stores'))) {
      const databases = PC_DATABASES.filter((db) => pool.stores?.[db] || this.hasTodoUnder(at('stores', db)));
      const width = Math.max(...databases.map((db) => db.length));
      this.lines.push('    stores:');
      for (const db of databases) {
        const roles = STORE_ROLES.map((role) => [role, this.orPlaceholder(at('stores', db, role), pool.stores?.[db]?.[role])] as const);
        this.commentsFor('      ', at('stores', db));
        this.lines.push(`      ${`${db}:`.padEnd(width + 2)}${flowMap(roles)}`);
      }
    }
    if (pool.logShipping || this.hasTodoUnder(at('logShipping'))) {
      this.lines.push('    logShipping:');
      this.scalarEntry('      ', at('logShipping', 'share'), pool.logShipping?.share);
      this.scalarEntry('      ', at('logShipping', 'copyFolder'), pool.logShipping?.copyFolder);
    }
    this.scalarEntry('    ', at('activeServerCollection'), pool.activeServerCollection);
    this.scalarEntry('    ', at('activeServers'), pool.activeServers);
  }

  private servers(pool: Pool): void {
    const path: SourcePath = [...pool.path, 'servers'];
    const fqdnsOnly = pool.servers.every((s) => s.datacenter === undefined) && !this.hasTodoUnder(path);
    const inline = `    servers: ${flowSeq(pool.servers.map((s) => s.fqdn))}`;
    if (fqdnsOnly && (inline.length <= WIDTH || pool.servers.length === 0)) {
      this.lines.push(inline);
      return;
    }
    this.lines.push('    servers:');
    for (const server of pool.servers) {
      if (fqdnsOnly) this.lines.push(`      - ${scalar(server.fqdn)}`);
      else {
        const datacenter = this.orPlaceholder([...server.path, 'datacenter'], server.datacenter);
        this.flowItem('      ', server.path, [['fqdn', server.fqdn], ['datacenter', datacenter]]);
      }
    }
  }

  private list<T>(indent: string, key: string, items: readonly T[], item: (value: T) => void): void {
    if (items.length === 0) {
      this.lines.push(`${indent}${key}: []`);
      return;
    }
    this.lines.push(`${indent}${key}:`);
    items.forEach(item);
  }

  private flowItem(indent: string, path: SourcePath, entries: Entries): void {
    this.commentsFor(indent, path);
    this.lines.push(`${indent}- ${flowMap(entries)}`);
  }

  private scalarEntry(indent: string, path: SourcePath, value: FlowValue | undefined): void {
    const shown = this.orPlaceholder(path, value);
    this.commentsFor(indent, path);
    if (shown === undefined) return;
    const key = String(path[path.length - 1]);
    this.lines.push(`${indent}${key}: ${typeof shown === 'object' ? flowSeq(shown) : scalar(shown)}`);
  }

  private orPlaceholder(path: SourcePath, value: FlowValue | undefined): FlowValue | undefined {
    if (value !== undefined || !this.open.some((t) => samePath(t.path, path))) return value;
    return LIST_KEYS.has(String(path[path.length - 1])) ? [TODO_PLACEHOLDER] : TODO_PLACEHOLDER;
  }

  private hasTodoUnder(path: SourcePath): boolean {
    return this.open.some((t) => startsWith(t.path, path));
  }

  /** Writes, once, the TODOs at `path` or under it. */
  private commentsFor(indent: string, path: SourcePath): void {
    for (let i = 0; i < this.open.length; ) {
      const todo = this.open[i];
      if (startsWith(todo.path, path)) {
        this.comment(indent, `TODO: ${todo.message}`);
        this.open.splice(i, 1);
      } else i++;
    }
  }

  /** A comment wrapped at the page width, continuation lines indented under the text. */
  private comment(indent: string, text: string): void {
    let line = `${indent}#`;
    let empty = true;
    for (const word of text.split(/\s+/).filter(Boolean)) {
      if (!empty && line.length + 1 + word.length > WIDTH) {
        this.lines.push(line);
        line = `${indent}#  `;
      }
      line += ` ${word}`;
      empty = false;
    }
    this.lines.push(line);
  }
}

function flowMap(entries: Entries): string {
  const shown = entries.filter((entry): entry is readonly [string, FlowValue] => entry[1] !== undefined);
  return `{ ${shown.map(([key, value]) => `${key}: ${typeof value === 'object' ? flowSeq(value) : scalar(value)}`).join(', ')} }`;
}

function flowSeq(values: readonly Scalar[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

/** Plain when YAML reads it back as the same string; else quoted. */
function scalar(value: Scalar): string {
  if (typeof value === 'number') return String(value);
  if (PLAIN.test(value) && parse(value) === value) return value;
  if (/\p{Cc}/u.test(value)) return JSON.stringify(value);
  return `'${value.replace(/'/g, "''")}'`;
}

function startsWith(path: SourcePath, prefix: SourcePath): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

function samePath(a: SourcePath, b: SourcePath): boolean {
  return a.length === b.length && startsWith(a, b);
}
