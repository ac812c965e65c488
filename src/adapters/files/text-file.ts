/**
 * Reads a runbook or an estate named on a command line or in a front matter: only a regular file,
 * only up to a size limit, decoded as Windows tools write it. A device (`/dev/zero`), a FIFO or a
 * huge file is refused at once instead of being read until memory runs out.
 */
import fs from 'node:fs';
import { decodeText, formatSize } from '../../core/text-files';

export class TextFileError extends Error {
  override readonly name = 'TextFileError';

  /** The system's error code (`ENOENT`…), or `EISDIR`, `ENOTFILE` (a device, pipe or socket), `EFBIG`. */
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface TextFileLimits {
  /** What the file should be, for messages: "runbook", "estate". */
  readonly what: string;
  readonly maxBytes: number;
}

export function readTextFileSync(file: string, { what, maxBytes }: TextFileLimits): string {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TextFileError(`cannot read ${file}: ${code === 'ENOENT' ? `no such ${what} file (ENOENT)` : (code ?? String(error))}`, code ?? 'EIO');
  }
  try {
    // The descriptor's own status: the path cannot be swapped for a device between the check and the read.
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new TextFileError(`cannot read ${file}: it is a folder; name the ${what} file`, 'EISDIR');
    if (!stat.isFile()) throw new TextFileError(`cannot read ${file}: it is not a regular file (a device, pipe or socket); name the ${what} file`, 'ENOTFILE');
    if (stat.size > maxBytes) throw new TextFileError(`cannot read ${file}: it is ${formatSize(stat.size)}, and ${what} files may be at most ${formatSize(maxBytes)}; check that this is the right file`, 'EFBIG');
    // Read at most one byte more than allowed, in case the file grew since fstat.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new TextFileError(`cannot read ${file}: it grew past ${formatSize(maxBytes)} while being read; check that this is the right file`, 'EFBIG');
    return decodeText(buffer.subarray(0, length));
  } finally {
    fs.closeSync(fd);
  }
}
