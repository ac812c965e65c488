/**
 * Where the lab keeps the estate's Windows folders on this machine. A UNC path
 * `\\host\share\rest` lives under `<root>/shares/<host>/<share>/rest`; a drive path `D:\rest`
 * of a server under `<root>/drives/<server>/D/rest`. Windows paths are case-insensitive, so host,
 * share and every segment are lowercased (the drive letter uppercased) and two spellings of one
 * Windows path always map to the same file. The product's file adapter uses the same function in
 * rehearsal, so lab and product agree on where a `.trn` file is.
 */
import path from 'node:path';
import type { Estate } from '../../core/estate/model';

export interface LabPathOptions {
  /** The lab root directory (`Lab.info.root`). */
  readonly root: string;
  /** Host FQDN a drive path is local to (the SQL instance's server); not needed for UNC paths. */
  readonly server?: string;
}

export type WindowsPathKind = 'unc' | 'drive';

export interface ParsedWindowsPath {
  readonly kind: WindowsPathKind;
  /** UNC: the host; drive: the drive letter (upper case). */
  readonly host: string;
  /** UNC: the share name; drive: empty. */
  readonly share: string;
  readonly segments: readonly string[];
}

/** Splits an absolute Windows path; throws on relative paths and `..` segments. */
export function parseWindowsPath(windowsPath: string): ParsedWindowsPath {
  const p = windowsPath.trim().replace(/\//g, '\\');
  const unc = /^\\\\([^\\]+)\\([^\\]+)(?:\\(.*))?$/.exec(p);
  const drive = /^([A-Za-z]):(?:\\(.*))?$/.exec(p);
  const parts = (rest: string | undefined) => (rest ?? '').split('\\').filter((s) => s !== '' && s !== '.');
  let parsed: ParsedWindowsPath;
  if (unc) parsed = { kind: 'unc', host: unc[1]!.toLowerCase(), share: unc[2]!.toLowerCase(), segments: parts(unc[3]).map((s) => s.toLowerCase()) };
  else if (drive) parsed = { kind: 'drive', host: drive[1]!.toUpperCase(), share: '', segments: parts(drive[2]).map((s) => s.toLowerCase()) };
  else throw new Error(`not an absolute Windows path: '${windowsPath}'`);
  if (parsed.segments.includes('..')) throw new Error(`'..' is not allowed in a lab path: '${windowsPath}'`);
  return parsed;
}

/** The local folder or file standing in for `windowsPath`. */
export function labPathFor(windowsPath: string, opts: LabPathOptions): string {
  const p = parseWindowsPath(windowsPath);
  if (p.kind === 'unc') return path.join(opts.root, 'shares', p.host, p.share, ...p.segments);
  if (!opts.server) throw new Error(`the drive path '${windowsPath}' needs the server it is local to`);
  return path.join(opts.root, 'drives', opts.server.toLowerCase(), p.host, ...p.segments);
}

/** The folder holding a share (UNC path) — what `share-unreachable` takes offline. */
export function labShareRoot(windowsPath: string, root: string): string {
  const p = parseWindowsPath(windowsPath);
  if (p.kind !== 'unc') throw new Error(`not a UNC path: '${windowsPath}'`);
  return path.join(root, 'shares', p.host, p.share);
}

/** Joins a Windows folder and a file name the way the estate writes paths (backslashes). */
export function windowsJoin(folder: string, name: string): string {
  return `${folder.replace(/[\\/]+$/, '')}\\${name}`;
}

/**
 * The server the estate's drive paths are local to: the only drive path the procedures use is the
 * copy folder, on the Persistent Chat `mgc` backup store's server.
 */
export function driveServerOf(estate: Estate): string | undefined {
  const pc = estate.pools.find((p) => p.kind === 'persistent-chat' && p.stores?.mgc?.backup);
  return estate.sqlInstances.find((i) => i.id === pc?.stores?.mgc?.backup)?.server;
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** The error a file operation on `windowsPath` meets under the armed faults (share-unreachable, copy-disk-full), if any. */
export function labFileFault(windowsPath: string, op: 'read' | 'write', armed: { has(name: string): boolean }): NodeJS.ErrnoException | undefined {
  const kind = parseWindowsPath(windowsPath).kind;
  if (kind === 'unc' && armed.has('share-unreachable')) return errno('ENOENT', `The network path was not found: ${windowsPath}`);
  if (kind === 'drive' && op === 'write' && armed.has('copy-disk-full')) return errno('ENOSPC', `There is not enough space on the disk: ${windowsPath}`);
  return undefined;
}

/**
 * How the product's log-backup file adapter reaches a lab's folders (its `mapPath` and `fault`
 * options): the CLI and the extension use this one mapping, for a lab in this process or one
 * started elsewhere (known by its info's root and faults).
 */
export function labFileMapping(root: string, estate: Estate, armed: { has(name: string): boolean }): {
  mapPath(windowsPath: string): string;
  fault(windowsPath: string, op: 'read' | 'write'): NodeJS.ErrnoException | undefined;
} {
  const server = driveServerOf(estate);
  return {
    mapPath: (p) => labPathFor(p, parseWindowsPath(p).kind === 'unc' ? { root } : server ? { root, server } : { root }),
    fault: (p, op) => labFileFault(p, op, armed),
  };
}
