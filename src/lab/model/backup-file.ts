/**
 * The lab's backup file format (stands in for Microsoft Tape Format `.trn` / `.bak` files):
 *
 *   LYNCLAB-BACKUP 1\n
 *   {"type":"L","database":"mgc",…,"checksum":"…"}\n     one JSON line per backup set (position 1, 2, …)
 *   END\n
 *   <padding: 512 zero bytes per page, so files have realistic, comparable sizes>
 *
 * Each header carries a checksum (SHA-256 of the header without it); a header that does not parse,
 * lacks a field or fails its checksum makes the whole file unreadable, like a damaged media family.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { LabDatabaseFile } from './instance';
import { formatLsn, type Lsn, parseLsn } from './lsn';

const MAGIC = 'LYNCLAB-BACKUP 1';
const END = 'END';
const PAGE_BYTES = 512;

/** D = full database backup, L = transaction log backup (msdb backupset.type). */
export type BackupType = 'D' | 'L';

export interface BackupSetHeader {
  readonly type: BackupType;
  readonly database: string;
  /** @@SERVERNAME of the instance that wrote it. */
  readonly server: string;
  /** Host name (MachineName). */
  readonly machine: string;
  readonly recoveryForkId: string;
  readonly firstLsn: Lsn;
  readonly lastLsn: Lsn;
  readonly checkpointLsn: Lsn;
  readonly databaseBackupLsn: Lsn;
  readonly backupStart: Date;
  readonly backupFinish: Date;
  readonly backupSetGuid: string;
  readonly familyGuid: string;
  readonly bindingId: string;
  readonly recoveryModel: string;
  readonly pages: number;
  /** A full backup's data and log files, as RESTORE FILELISTONLY lists them. */
  readonly files?: readonly LabDatabaseFile[];
}

export class BackupFileDamaged extends Error {
  constructor(readonly file: string, detail: string) {
    super(`damaged backup file ${file}: ${detail}`);
    this.name = 'BackupFileDamaged';
  }
}

const LSN_FIELDS = ['firstLsn', 'lastLsn', 'checkpointLsn', 'databaseBackupLsn'] as const;
const DATE_FIELDS = ['backupStart', 'backupFinish'] as const;
const STRING_FIELDS = ['database', 'server', 'machine', 'recoveryForkId', 'backupSetGuid', 'familyGuid', 'bindingId', 'recoveryModel'] as const;

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 32);
}

function encodeHeader(h: BackupSetHeader): string {
  const body: Record<string, unknown> = { ...h };
  for (const f of LSN_FIELDS) body[f] = formatLsn(h[f]);
  for (const f of DATE_FIELDS) body[f] = h[f].toISOString();
  const json = JSON.stringify(body);
  return JSON.stringify({ ...body, checksum: checksum(json) });
}

function decodeHeader(line: string, file: string): BackupSetHeader {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new BackupFileDamaged(file, 'header is not readable');
  }
  const { checksum: sum, ...body } = raw;
  if (typeof sum !== 'string' || checksum(JSON.stringify(body)) !== sum) throw new BackupFileDamaged(file, 'header checksum mismatch');
  if (body.type !== 'D' && body.type !== 'L') throw new BackupFileDamaged(file, 'unknown backup type');
  for (const f of [...STRING_FIELDS, ...LSN_FIELDS, ...DATE_FIELDS]) {
    if (typeof body[f] !== 'string') throw new BackupFileDamaged(file, `missing ${f}`);
  }
  if (typeof body.pages !== 'number') throw new BackupFileDamaged(file, 'missing pages');
  const files = body.files;
  if (files !== undefined && !(Array.isArray(files) && files.every(isDatabaseFile))) throw new BackupFileDamaged(file, 'bad files');
  const lsn = (f: (typeof LSN_FIELDS)[number]) => {
    try {
      return parseLsn(body[f] as string);
    } catch {
      throw new BackupFileDamaged(file, `bad ${f}`);
    }
  };
  return {
    type: body.type,
    database: body.database as string,
    server: body.server as string,
    machine: body.machine as string,
    recoveryForkId: body.recoveryForkId as string,
    firstLsn: lsn('firstLsn'),
    lastLsn: lsn('lastLsn'),
    checkpointLsn: lsn('checkpointLsn'),
    databaseBackupLsn: lsn('databaseBackupLsn'),
    backupStart: new Date(body.backupStart as string),
    backupFinish: new Date(body.backupFinish as string),
    backupSetGuid: body.backupSetGuid as string,
    familyGuid: body.familyGuid as string,
    bindingId: body.bindingId as string,
    recoveryModel: body.recoveryModel as string,
    pages: body.pages,
    ...(files ? { files } : {}),
  };
}

function isDatabaseFile(f: unknown): f is LabDatabaseFile {
  if (typeof f !== 'object' || f === null) return false;
  const { logical, physical, type } = f as Record<string, unknown>;
  return typeof logical === 'string' && typeof physical === 'string' && (type === 'D' || type === 'L');
}

export function encodeBackupFile(sets: readonly BackupSetHeader[]): Buffer {
  const head = [MAGIC, ...sets.map(encodeHeader), END, ''].join('\n');
  const pages = sets.reduce((n, s) => n + s.pages, 0);
  return Buffer.concat([Buffer.from(head, 'utf8'), Buffer.alloc(pages * PAGE_BYTES)]);
}

export function decodeBackupFile(data: Buffer, file: string): BackupSetHeader[] {
  const endMark = data.indexOf(`\n${END}\n`);
  if (endMark < 0) throw new BackupFileDamaged(file, 'no header end');
  const lines = data.subarray(0, endMark).toString('utf8').split('\n');
  if (lines[0] !== MAGIC) throw new BackupFileDamaged(file, 'not a lab backup file');
  if (lines.length < 2) throw new BackupFileDamaged(file, 'no backup set');
  return lines.slice(1).map((l) => decodeHeader(l, file));
}

/** Reads the backup sets of a file; throws BackupFileDamaged, or the fs error (ENOENT…) as is. */
export function readBackupFile(file: string): BackupSetHeader[] {
  return decodeBackupFile(fs.readFileSync(file), file);
}

/** Writes a file holding `sets` (INIT) — or appends them to the sets already there. */
export function writeBackupFile(file: string, sets: readonly BackupSetHeader[], mode: 'init' | 'append'): void {
  const existing = mode === 'append' && fs.existsSync(file) ? readBackupFile(file) : [];
  fs.writeFileSync(file, encodeBackupFile([...existing, ...sets]));
}

/** Overwrites the start of the first header: what `log-corrupt` does to a file. */
export function damageBackupFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.from('{"type":"L","dat\u0000\u0000\u0000\u0000'), 0, undefined, MAGIC.length + 1);
  } finally {
    fs.closeSync(fd);
  }
}
