/**
 * Validated values: the only things the command builders interpolate. Each `parse…` function
 * returns a branded string (or number) or throws `InvalidValueError` naming the kind and why.
 *
 * The rules are allow-lists, not deny-lists: a value is accepted only when every character is
 * one the kind legitimately needs. Where a kind must allow a character that is special to a shell
 * or to T-SQL (a `'` or `$` in a Windows path), the quoting functions neutralise it; see
 * docs/dev/commands.md.
 */
import { hasControlCharacters } from '../text';
import { InvalidValueError, type ValueKind } from './errors';

declare const brand: unique symbol;
/** A value of type T that went through the parser for `B`. */
export type Branded<T, B extends string> = T & { readonly [brand]: B };

export type Fqdn = Branded<string, 'Fqdn'>;
export type XdsIdentity = Branded<string, 'XdsIdentity'>;
export type SqlInstanceName = Branded<string, 'SqlInstanceName'>;
export type DatabaseName = Branded<string, 'DatabaseName'>;
export type WindowsPath = Branded<string, 'WindowsPath'>;
export type UncPath = Branded<string, 'UncPath'>;
export type FilePath = WindowsPath | UncPath;
export type FileName = Branded<string, 'FileName'>;
export type Spid = Branded<number, 'Spid'>;
/** A log sequence number as SQL Server prints numeric(25,0): decimal digits, no leading zeros. */
export type Lsn = Branded<string, 'Lsn'>;
/** Lower-case GUID without braces (recovery fork ids). */
export type Guid = Branded<string, 'Guid'>;
export type Nonce = Branded<string, 'Nonce'>;

function fail(kind: ValueKind, value: string, reason: string): never {
  throw new InvalidValueError(kind, value, reason);
}

/** Invisible and bidirectional formatting characters: they make a value read differently than it runs. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
/** PowerShell treats all of these as single quotes (U+2018–U+201B), and the double ones as double quotes. */
export const UNICODE_QUOTES = /[\u2018-\u201f]/;

/** Refusals common to every free-text kind; the reason says which character class was found. */
export function rejectUnsafeCharacters(kind: ValueKind, value: string): void {
  if (typeof value !== 'string') fail(kind, String(value), 'is not a string');
  if (value.includes('\u0000')) fail(kind, value, 'contains a NUL character');
  if (hasControlCharacters(value)) fail(kind, value, 'contains a control character (newline, tab, escape…)');
  if (INVISIBLE.test(value)) fail(kind, value, 'contains an invisible or bidirectional formatting character');
}

function requireNonEmpty(kind: ValueKind, value: unknown): string {
  if (typeof value !== 'string') fail(kind, String(value), 'is not a string');
  if (value.length === 0) fail(kind, value, 'is empty');
  return value;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Host name labels per RFC 1123; checked on ASCII before lower-casing (the Kelvin sign lower-cases to `k`). */
function checkHostLabels(kind: ValueKind, input: string, minLabels: number): string {
  if (!/^[A-Za-z0-9.-]+$/.test(input)) fail(kind, input, 'may only contain letters a–z, digits, hyphens and dots');
  const host = input.toLowerCase();
  if (host.length > 253) fail(kind, input, 'is longer than 253 characters');
  const labels = host.split('.');
  if (labels.length < minLabels) fail(kind, input, 'needs at least a host and a domain (host.domain)');
  for (const label of labels) {
    if (label.length === 0) fail(kind, input, 'has an empty label (two dots in a row, or a leading or trailing dot)');
    if (label.length > 63) fail(kind, input, `label "${label}" is longer than 63 characters`);
    if (!LABEL.test(label)) fail(kind, input, `label "${label}" must not start or end with a hyphen`);
  }
  if (labels.length > 1 && /^[0-9]+$/.test(labels[labels.length - 1]!)) {
    fail(kind, input, 'looks like an IP address, not a DNS name');
  }
  return host;
}

/** Fully qualified domain name (RFC 1123 labels, at least two), lower-cased. */
export function parseFqdn(input: string): Fqdn {
  return checkHostLabels('fqdn', requireNonEmpty('fqdn', input), 2) as Fqdn;
}

const XDS_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const XDS_ROLE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * XDS identity as the Lync cmdlets take it (domain reference §4.1): `global`, a bare collection
 * name (`PChatServerCollection`), `site:<name>`, `service:<fqdn>`, `<Role>:<fqdn>`
 * (`PersistentChatServer:…`) or `service:<Role>:<fqdn>`. FQDN parts are lower-cased.
 */
export function parseXdsIdentity(input: string): XdsIdentity {
  const kind = 'xds-identity';
  requireNonEmpty(kind, input);
  rejectUnsafeCharacters(kind, input);
  if (/:\s/.test(input)) fail(kind, input, 'has whitespace after a colon (as in the failback page\'s "service: lyncpc…"): remove it');
  if (/\s/.test(input)) fail(kind, input, 'contains whitespace');
  const parts = input.split(':');
  const fqdnOf = (value: string) => {
    try {
      return parseFqdn(value);
    } catch (e) {
      return fail(kind, input, `"${value}" is not an FQDN (${(e as InvalidValueError).reason})`);
    }
  };
  if (parts.length === 1) {
    if (!XDS_NAME.test(input)) fail(kind, input, 'a bare identity must be a name such as global');
    return (input.toLowerCase() === 'global' ? 'global' : input) as XdsIdentity;
  }
  const [scope, ...rest] = parts as [string, ...string[]];
  if (parts.length === 2 && scope.toLowerCase() === 'site') {
    if (!XDS_NAME.test(rest[0]!)) fail(kind, input, 'site name may only contain letters, digits, "_" and "-"');
    return `site:${rest[0]}` as XdsIdentity;
  }
  if (parts.length === 2 && scope.toLowerCase() === 'service') return `service:${fqdnOf(rest[0]!)}` as XdsIdentity;
  if (parts.length === 2 && XDS_ROLE.test(scope)) return `${scope}:${fqdnOf(rest[0]!)}` as XdsIdentity;
  if (parts.length === 3 && scope.toLowerCase() === 'service' && XDS_ROLE.test(rest[0]!)) {
    return `service:${rest[0]}:${fqdnOf(rest[1]!)}` as XdsIdentity;
  }
  return fail(kind, input, 'expected global, site:<name>, service:<fqdn>, <Role>:<fqdn> or service:<Role>:<fqdn>');
}

/** The canonical identity of a Persistent Chat pool for Get-/Set-CsPersistentChatState (§4.1). */
export function persistentChatIdentity(pool: Fqdn): XdsIdentity {
  return `PersistentChatServer:${pool}` as XdsIdentity;
}

/**
 * SQL Server named instance: 1–16 characters, a letter or `_` first, then letters, digits, `_`
 * or `$` (SQL Server setup rules). The default instance has no name: leave it out.
 */
export function parseSqlInstanceName(input: string): SqlInstanceName {
  const kind = 'sql-instance-name';
  requireNonEmpty(kind, input);
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(input)) {
    fail(kind, input, 'must start with a letter or "_" and contain only letters, digits, "_" and "$"');
  }
  if (input.length > 16) fail(kind, input, 'is longer than 16 characters');
  if (/^(default|mssqlserver)$/i.test(input)) fail(kind, input, 'names the default instance: leave the instance name out');
  return input as SqlInstanceName;
}

/**
 * Database name (sysname, ≤ 128 characters). Narrower than SQL Server allows on purpose: letters,
 * digits, `_`, `@`, `$`, `#` and single hyphens — every Lync database name fits, and nothing that
 * needs more than bracket quoting gets through. Temporary names (`#…`) are refused.
 */
export function parseDatabaseName(input: string): DatabaseName {
  const kind = 'database-name';
  requireNonEmpty(kind, input);
  if (input.length > 128) fail(kind, input, 'is longer than 128 characters (sysname)');
  if (!/^[A-Za-z_][A-Za-z0-9_@$#-]*$/.test(input)) {
    fail(kind, input, 'must start with a letter or "_" and contain only letters, digits, "_", "@", "$", "#" and "-"');
  }
  if (input.includes('--')) fail(kind, input, 'contains "--" (a T-SQL comment opener)');
  return input as DatabaseName;
}

/** Characters Windows refuses in a file or folder name (besides controls). */
const WINDOWS_RESERVED = /[<>:"/|?*]/;
/** SQL Server stores backup device names as nvarchar(260). */
const MAX_PATH = 260;

function checkSegment(kind: ValueKind, input: string, segment: string): void {
  if (segment.length === 0) fail(kind, input, 'has an empty folder name ("\\\\" inside the path)');
  if (segment === '.' || segment === '..') fail(kind, input, 'contains a "." or ".." segment (path traversal)');
  if (WINDOWS_RESERVED.test(segment)) fail(kind, input, `"${segment}" contains a character Windows forbids in names (< > : " / | ? *)`);
  if (UNICODE_QUOTES.test(segment)) fail(kind, input, `"${segment}" contains a typographic quote, which PowerShell reads as a quote`);
  if (/[ .]$/.test(segment)) fail(kind, input, `"${segment}" ends with a space or a dot, which Windows silently drops`);
  if (segment.length > 255) fail(kind, input, 'has a name longer than 255 characters');
}

function checkPathText(kind: ValueKind, input: string): string {
  requireNonEmpty(kind, input);
  rejectUnsafeCharacters(kind, input);
  if (input.length > MAX_PATH) fail(kind, input, `is longer than ${MAX_PATH} characters`);
  if (input.includes('/')) fail(kind, input, 'uses "/": write Windows paths with "\\"');
  return input;
}

/** Local Windows path: `D:\LogShipping\mgc` (a trailing `\` only for a drive root). */
export function parseWindowsPath(input: string): WindowsPath {
  const kind = 'windows-path';
  checkPathText(kind, input);
  const m = /^([A-Za-z]):\\(.*)$/.exec(input);
  if (!m) fail(kind, input, 'must start with a drive letter, as in D:\\folder');
  const rest = m[2]!;
  if (rest !== '') for (const segment of rest.split('\\')) checkSegment(kind, input, segment);
  return input as WindowsPath;
}

/** UNC path: `\\server\share\folder…`; the server is a host name or FQDN, `$` shares allowed. */
export function parseUncPath(input: string): UncPath {
  const kind = 'unc-path';
  checkPathText(kind, input);
  if (!input.startsWith('\\\\')) fail(kind, input, 'must start with \\\\server\\share');
  const [host = '', ...segments] = input.slice(2).replace(/\\$/, '').split('\\');
  try {
    checkHostLabels(kind, host, 1);
  } catch (e) {
    fail(kind, input, `server "${host}" is not a host name (${(e as InvalidValueError).reason})`);
  }
  if (segments.length === 0) fail(kind, input, 'names a server but no share');
  for (const segment of segments) checkSegment(kind, input, segment);
  return input as UncPath;
}

/** A local or UNC path, told apart by its first characters. */
export function parseFilePath(input: string): FilePath {
  if (typeof input === 'string' && input.startsWith('\\\\')) return parseUncPath(input);
  if (typeof input === 'string' && /^[A-Za-z]:\\/.test(input)) return parseWindowsPath(input);
  return fail('file-path', String(input), 'must be a local path (D:\\…) or a UNC path (\\\\server\\share\\…)');
}

/** One file or folder name, no separators. */
export function parseFileName(input: string): FileName {
  const kind = 'file-name';
  checkPathText(kind, input);
  if (input.includes('\\')) fail(kind, input, 'contains "\\": give a name, not a path');
  checkSegment(kind, input, input);
  return input as FileName;
}

export function isUncPath(path: FilePath): path is UncPath {
  return path.startsWith('\\\\');
}

/** `dir\name`, validated again as a whole (length, kind). */
export function joinPath(dir: FilePath, name: FileName): FilePath {
  const joined = dir.endsWith('\\') ? `${dir}${name}` : `${dir}\\${name}`;
  return isUncPath(dir) ? parseUncPath(joined) : parseWindowsPath(joined);
}

/** Session id of a SQL Server connection (smallint, positive). */
export function parseSpid(input: string | number): Spid {
  const text = String(input);
  if (typeof input === 'number' ? !Number.isInteger(input) : !/^[0-9]+$/.test(input)) {
    fail('spid', text, 'must be a whole number');
  }
  const n = Number(input);
  if (n < 1 || n > 32767) fail('spid', text, 'must be between 1 and 32767');
  return n as Spid;
}

/** Largest numeric(25,0). */
const MAX_LSN = 10n ** 25n - 1n;

/** LSN as a decimal string (never a JS number: they exceed 2^53). Leading zeros are dropped. */
export function parseLsn(input: string | bigint): Lsn {
  if (typeof input === 'bigint') {
    if (input < 0n || input > MAX_LSN) fail('lsn', input.toString(), 'must be between 0 and 25 nines');
    return input.toString() as Lsn;
  }
  if (typeof input !== 'string') fail('lsn', String(input), 'must be a decimal string (a JS number would lose digits)');
  if (!/^[0-9]{1,25}$/.test(input)) fail('lsn', input, 'must be 1 to 25 decimal digits');
  return BigInt(input).toString() as Lsn;
}

/** GUID (recovery fork id), lower-cased, braces removed. */
export function parseGuid(input: string): Guid {
  requireNonEmpty('guid', input);
  const m = /^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$/.exec(input);
  if (!m || input.startsWith('{') !== input.endsWith('}')) fail('guid', input, 'must be a GUID like 6f9619ff-8b86-d011-b42d-00c04fc964ff');
  return m[1]!.toLowerCase() as Guid;
}

/** Marker nonce for wrapped shell output: 8–64 letters and digits. */
export function parseNonce(input: string): Nonce {
  requireNonEmpty('nonce', input);
  if (!/^[A-Za-z0-9]{8,64}$/.test(input)) fail('nonce', input, 'must be 8 to 64 letters and digits');
  return input as Nonce;
}
