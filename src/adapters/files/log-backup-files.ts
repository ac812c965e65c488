/**
 * `LogBackupFiles` over the file system: listing the log-shipping share and copy folder, and
 * copying a log backup so that a half-written file can never be taken for a whole one: the copy
 * goes to a temporary name in the destination, its size is checked, then it is renamed. An
 * existing file of the same name is never overwritten: identical (size and SHA-256) means
 * already copied; anything else is refused.
 */
import { randomBytes, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CancelledError,
  FileError,
  type CopyResult,
  type DiagnosticLog,
  type FileCallOptions,
  type LogBackupFile,
  type LogBackupFiles,
} from '../../core/recovery/ports';
import { uncShare, wildcardToRegExp, windowsBaseName, windowsJoin } from './windows-paths';

export type FileOperation = 'read' | 'write';

export interface FsLogBackupFilesOptions {
  /**
   * Windows path → local path. Default: unchanged (on Windows, Node reads UNC paths directly).
   * In rehearsal the lab's `labPathFor` maps the estate's shares and drives into its folder.
   */
  readonly mapPath?: (windowsPath: string) => string;
  /**
   * Consulted before each chunk read or written (rehearsal: the lab's injected faults). An error
   * returned is raised as if the file system had raised it, e.g. `ENOSPC`.
   */
  readonly fault?: (windowsPath: string, operation: FileOperation) => Error | undefined;
  readonly log?: DiagnosticLog;
}

/** Codes meaning "cannot get there" rather than "the file is missing". */
const UNREACHABLE = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTDOWN', 'UNKNOWN']);

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};
const isAbort = (e: unknown) => (e as { name?: unknown } | null)?.name === 'AbortError';

export class FsLogBackupFiles implements LogBackupFiles {
  readonly #map: (windowsPath: string) => string;
  readonly #options: FsLogBackupFilesOptions;

  constructor(options: FsLogBackupFilesOptions = {}) {
    this.#options = options;
    this.#map = options.mapPath ?? ((p) => p);
  }

  async list(folder: string, pattern: string, options: FileCallOptions = {}): Promise<LogBackupFile[]> {
    this.#checkCancelled(options.signal, `listing ${folder}`);
    const local = this.#map(folder);
    const matches = wildcardToRegExp(pattern);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(local, { withFileTypes: true });
    } catch (e) {
      throw this.#folderError(e, folder);
    }
    const files: LogBackupFile[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || !matches.test(entry.name)) continue;
      this.#checkCancelled(options.signal, `listing ${folder}`);
      try {
        const stat = await fs.promises.stat(path.join(local, entry.name));
        files.push({ name: entry.name, path: windowsJoin(folder, entry.name), size: stat.size, modified: stat.mtime });
      } catch (e) {
        // Removed between the listing and its stat (the backup job's cleanup): not there any more.
        if (codeOf(e) !== 'ENOENT') throw this.#folderError(e, folder);
      }
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async copy(source: string, destFolder: string, options: FileCallOptions = {}): Promise<CopyResult> {
    const { signal } = options;
    const name = windowsBaseName(source);
    const destination = windowsJoin(destFolder, name);
    this.#checkCancelled(signal, `copying ${source}`);

    const localSource = this.#map(source);
    const sourceSize = await this.#sourceSize(source, localSource);
    const localFolder = this.#map(destFolder);
    try {
      if (!(await fs.promises.stat(localFolder)).isDirectory()) throw new FileError(`The copy destination ${destFolder} is not a folder.`, destFolder, 'not-found');
    } catch (e) {
      throw e instanceof FileError ? e : this.#folderError(e, destFolder);
    }
    const localDestination = path.join(localFolder, name);

    const existing = await this.#compareExisting(localSource, sourceSize, localDestination, source, destination, signal);
    if (existing) return existing;

    // Not matching *.trn, so nothing takes a half-written copy for a log backup.
    const temp = path.join(localFolder, `${name}.${randomBytes(6).toString('hex')}.lrpart`);
    try {
      await pipeline(
        fs.createReadStream(localSource),
        this.#faultGate(source, 'read'),
        this.#faultGate(destination, 'write'),
        fs.createWriteStream(temp, { flags: 'wx' }),
        { signal },
      );
      const written = (await fs.promises.stat(temp)).size;
      if (written !== sourceSize) {
        throw new FileError(`The copy of ${source} in ${destFolder} has ${written} bytes instead of ${sourceSize}; it was removed. Copy it again.`, destination, 'size-mismatch');
      }
      // Checked again just before the rename, which would replace a file that appeared meanwhile.
      const appeared = await this.#compareExisting(localSource, sourceSize, localDestination, source, destination, signal);
      if (appeared) return appeared;
      await fs.promises.rename(temp, localDestination);
    } catch (e) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      if (e instanceof FileError || e instanceof CancelledError) throw e;
      if (isAbort(e)) throw new CancelledError(`Cancelled: the copy of ${source} to ${destFolder} was stopped; nothing was left behind.`, source);
      throw this.#copyError(e, source, destFolder);
    }
    this.#options.log?.debug(`files: copied ${source} to ${destFolder} (${sourceSize} bytes)`);
    return { path: destination, size: sourceSize, outcome: 'copied' };
  }

  /** Undefined when the destination has no such file; the outcome when an identical one is there. */
  async #compareExisting(
    localSource: string,
    sourceSize: number,
    localDestination: string,
    source: string,
    destination: string,
    signal: AbortSignal | undefined,
  ): Promise<CopyResult | undefined> {
    let size: number;
    try {
      size = (await fs.promises.stat(localDestination)).size;
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return undefined;
      throw this.#copyError(e, source, destination);
    }
    const same = size === sourceSize && (await this.#sha256(localSource, signal)) === (await this.#sha256(localDestination, signal));
    if (!same) {
      throw new FileError(
        `${destination} already exists and differs from ${source} (${size} bytes, source ${sourceSize} bytes); it was left as it is. Check which one is right before copying.`,
        destination,
        'differs',
      );
    }
    return { path: destination, size, outcome: 'already-present' };
  }

  async #sha256(localPath: string, signal: AbortSignal | undefined): Promise<string> {
    const hash = createHash('sha256');
    try {
      await pipeline(fs.createReadStream(localPath), hash, { signal });
    } catch (e) {
      if (isAbort(e)) throw new CancelledError(`Cancelled while comparing ${localPath}.`, localPath);
      throw e;
    }
    return hash.digest('hex');
  }

  async #sourceSize(source: string, localSource: string): Promise<number> {
    try {
      return (await fs.promises.stat(localSource)).size;
    } catch (e) {
      const folder = source.replace(/[\\/][^\\/]*$/, '');
      // The folder answers: the file itself is missing. Otherwise the share is the problem.
      const folderThere = await fs.promises.stat(this.#map(folder)).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (folderThere && codeOf(e) === 'ENOENT') throw new FileError(`The log backup ${source} does not exist (any more).`, source, 'not-found');
      throw this.#folderError(e, folder);
    }
  }

  /** Passes chunks through, raising the injected fault (rehearsal) for this path, if any. */
  #faultGate(windowsPath: string, operation: FileOperation): Transform {
    const fault = this.#options.fault;
    return new Transform({
      transform(chunk, _encoding, done) {
        done(fault?.(windowsPath, operation) ?? null, chunk);
      },
    });
  }

  #folderError(e: unknown, folder: string): FileError {
    const code = codeOf(e);
    const share = uncShare(folder);
    if (code && UNREACHABLE.has(code)) {
      return share
        ? new FileError(`The share ${share} cannot be reached (${code}) while reading ${folder}: check that the file server is up and this account can open the share.`, share, 'share-unreachable')
        : new FileError(`The folder ${folder} cannot be reached (${code}): check the path and this account's access.`, folder, 'share-unreachable');
    }
    return new FileError(`Cannot read ${folder}: ${(e as Error)?.message ?? String(e)}`, folder, 'io');
  }

  #copyError(e: unknown, source: string, destFolder: string): FileError {
    const code = codeOf(e);
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return new FileError(`The disk holding ${destFolder} is full: ${source} could not be copied there. Free space in ${destFolder}, then copy again.`, destFolder, 'disk-full');
    }
    if (code === 'EACCES' || code === 'EPERM') return new FileError(`Access denied writing to ${destFolder}: check this account's rights on the folder.`, destFolder, 'access-denied');
    if (code && UNREACHABLE.has(code)) return this.#folderError(e, uncShare(source) ? source.replace(/[\\/][^\\/]*$/, '') : destFolder);
    return new FileError(`Copying ${source} to ${destFolder} failed: ${(e as Error)?.message ?? String(e)}`, destFolder, 'io');
  }

  #checkCancelled(signal: AbortSignal | undefined, what: string): void {
    if (signal?.aborted) throw new CancelledError(`Cancelled before ${what}.`, what);
  }
}
