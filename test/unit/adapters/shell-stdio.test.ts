import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { PassThrough, type Readable } from 'node:stream';
import { PowerShell } from 'node-powershell';
import { LineNormaliser } from '../../../src/adapters/shell/stdio';

const D = 'AbCdEfGhIjKlMnOp'; // a node-powershell delimiter: 16 letters and digits

type ReadBulk = (this: unknown, stream: Readable, delimiter: string) => Promise<Buffer>;
/** child-shell's own delimiter scan (private, reached through the prototype), on a stream we control. */
const readBulkFromOutput = (PowerShell.prototype as unknown as { readBulkFromOutput: ReadBulk }).readBulkFromOutput;

/** Feeds `chunks` (each one write) to child-shell's scan; resolves with its result, or 'HUNG' once the input is exhausted without one. */
async function scan(chunks: readonly string[], normalise: boolean): Promise<string> {
  const source = new PassThrough();
  const stream = normalise ? source.pipe(new LineNormaliser()) : source;
  const self = { debuggers: { output() {} }, resultsEncoding: 'utf-8', detachStreamFromOutput: (s: NodeJS.WritableStream) => (stream.unpipe(s), s.end()) };
  const result = readBulkFromOutput.call(self, stream, D).then((b) => b.toString('utf8'));
  for (const c of chunks) source.write(c);
  source.end();
  const exhausted = once(stream, 'end').then(() => new Promise<string>((resolve) => setImmediate(() => resolve('HUNG'))));
  return Promise.race([result, exhausted]);
}

describe('LineNormaliser', () => {
  it('re-chunks output into LF lines and drops BOMs', async () => {
    const n = new LineNormaliser();
    const chunks: string[] = [];
    n.on('data', (c: Buffer) => chunks.push(c.toString()));
    n.write('\uFEFFone\r\ntw');
    n.write('o\r');
    n.write('\nthree');
    n.end();
    await once(n, 'end');
    assert.deepEqual(chunks, ['one\n', 'two\n', 'three']);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const n = new LineNormaliser();
    const chunks: string[] = [];
    n.on('data', (c: Buffer) => chunks.push(c.toString()));
    const bytes = Buffer.from('Zürich\n');
    n.write(bytes.subarray(0, 2));
    n.write(bytes.subarray(2));
    n.end();
    await once(n, 'end');
    assert.deepEqual(chunks, ['Zürich\n']);
  });
});

describe("node-powershell's delimiter scan, with and without the normaliser", () => {
  it('hangs on a whole reply in one CRLF chunk, unless normalised', async () => {
    const reply = [`${D}\r\nhello\r\n${D}\r\n`];
    assert.equal(await scan(reply, false), 'HUNG');
    assert.equal(await scan(reply, true), 'hello');
  });

  it('hangs after more than 16 bytes of stray output, unless normalised', async () => {
    const chunks = ['WARNING: a profile banner longer than sixteen bytes\n', `${D}\nhello\n${D}\n`];
    assert.equal(await scan(chunks, false), 'HUNG');
    assert.equal(await scan(chunks, true), 'hello');
  });

  it('still reads ordinary LF replies and empty ones', async () => {
    assert.equal(await scan([`${D}\n`, 'a\nb\n', `${D}\n`], true), 'a\nb');
    assert.equal(await scan([`${D}\n${D}\n`], true), '');
  });
});
