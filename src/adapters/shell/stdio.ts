/**
 * Works around two hangs in node-powershell 5 (child-shell's `readBulkFromOutput`), without
 * touching node_modules. child-shell decides a command is finished when its closing delimiter
 * appears in a search window of `chunk.length + 16` bytes at the end of what it has read, or
 * only the last 17 bytes when that window would cover everything read so far. So:
 *
 * - a reply that arrives as one chunk ending in CRLF (`…D\r\n`, 18 bytes) is never seen as
 *   finished: the 17-byte window misses the delimiter's first character;
 * - after more than 16 bytes of stray output, a chunk holding both delimiters makes the window
 *   find the opening delimiter again, which counts as "not finished"; nothing more arrives.
 *
 * Both are fixed by what child-shell reads: the shell's stdout and stderr are passed through
 * `LineNormaliser`, which hands them on one line per chunk, with LF endings and no BOM. A
 * delimiter then always arrives as its own 17-byte chunk and the window (33 bytes) always holds
 * the closing delimiter and never all of the opening one.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export class LineNormaliser extends Transform {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';

  constructor() {
    // The source already decodes to strings (child-shell sets its encoding); keep them as they are.
    super({ decodeStrings: false });
  }

  override _transform(chunk: string | Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    // A UTF-8 BOM appears once after [Console]::OutputEncoding is set on Windows PowerShell.
    const lines = (this.#partial + text).replaceAll('\uFEFF', '').split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.push(`${line.replace(/\r$/, '')}\n`);
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.#partial + this.#decoder.end();
    this.#partial = '';
    if (rest !== '') this.push(rest.replace(/\r$/, ''));
    done();
  }
}

export interface ShellStdio {
  readonly stdin: NodeJS.WritableStream;
  readonly stdout: Readable;
  readonly stderr: Readable;
}

/**
 * Puts a `LineNormaliser` between the child's output streams and node-powershell. Must be called
 * right after the `PowerShell` constructor returns (before any output can be read): it replaces
 * the shell's `streams`, which child-shell reads for every invocation.
 */
export function normaliseShellOutput(shell: { readonly streams: ShellStdio }): void {
  const { stdin, stdout, stderr } = shell.streams;
  (shell as { streams: ShellStdio }).streams = {
    stdin,
    stdout: stdout.pipe(new LineNormaliser()),
    stderr: stderr.pipe(new LineNormaliser()),
  };
}
