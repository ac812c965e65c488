/**
 * The stand-in for `powershell.exe -NoLogo -NoExit -Command -` that node-powershell drives.
 * Run as `node <this script> [powershell options]`. Thin on purpose: it reads stdin line by
 * line, strictly in order; echoes node-powershell's delimiter statements
 * (`[Console]::Out.WriteLine("…")`, `[Console]::Error.WriteLine("…")`) itself; forwards every
 * other line to the lab's shell server and prints the reply — output on stdout, errors on
 * stderr, one write per line as Windows PowerShell does, nothing outside a command. Exits 0
 * when stdin closes. Bundled as dist/lab-shell.js.
 */
import net from 'node:net';
import readline from 'node:readline';
import { ENV_PORT, ENV_TOKEN, onJsonLines, sendJson, type HelloReply, type LineReply } from './protocol';

const DELIMITER = /^\[Console\]::(Out|Error)\.WriteLine\("([^"`$]*)"\)$/i;

type Stream = 'out' | 'err';

function write(stream: Stream, text: string): Promise<void> {
  const target = stream === 'out' ? process.stdout : process.stderr;
  return new Promise((resolve) => target.write(text, () => resolve()));
}

/** Exits once everything written so far has been flushed. */
async function exit(code: number): Promise<never> {
  await Promise.all([write('out', ''), write('err', '')]);
  process.exit(code);
}

function commandArgumentOk(argv: readonly string[]): boolean {
  const i = argv.findIndex((a) => /^-(c|command)$/i.test(a));
  return i >= 0 && argv[i + 1] === '-';
}

async function connect(): Promise<{ socket: net.Socket; next: () => Promise<unknown>; newline: string }> {
  const socket = net.connect(Number(process.env[ENV_PORT]), '127.0.0.1');
  const queue: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  onJsonLines(socket, (m) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve)));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  sendJson(socket, { token: process.env[ENV_TOKEN] ?? '' });
  const hello = (await next()) as HelloReply;
  if (!hello.ok) throw new Error(hello.error);
  return { socket, next, newline: hello.newline };
}

async function main(): Promise<void> {
  if (!commandArgumentOk(process.argv.slice(2))) {
    await write('err', 'lab shell: only "-Command -" (commands on stdin) is supported\n');
    return exit(64);
  }
  let conn: Awaited<ReturnType<typeof connect>>;
  try {
    conn = await connect();
  } catch (e) {
    await write('err', `lab shell: cannot reach the lab: ${(e as Error).message}\n`);
    return exit(1);
  }
  // The lab stopping ends the session.
  conn.socket.on('close', () => void exit(1));
  const eol = conn.newline;
  const consoleNewLine: Record<Stream, string> = { out: eol, err: eol };
  let id = 0;

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const raw of rl) {
    const line = raw.replace(/\r$/, '').trim();
    if (!line) continue;
    const m = DELIMITER.exec(line);
    if (m) {
      const stream: Stream = m[1].toLowerCase() === 'out' ? 'out' : 'err';
      await write(stream, m[2] + consoleNewLine[stream]);
      continue;
    }
    sendJson(conn.socket, { id: ++id, line });
    const reply = (await conn.next()) as LineReply;
    for (const l of reply.lines) await write(l.stream, l.text + (l.console ? consoleNewLine[l.stream] : eol));
    if (reply.newLine?.out !== undefined) consoleNewLine.out = reply.newLine.out;
    if (reply.newLine?.err !== undefined) consoleNewLine.err = reply.newLine.err;
    if (reply.exit !== undefined) return exit(reply.exit);
  }
  conn.socket.removeAllListeners('close');
  conn.socket.destroy();
  return exit(0);
}

void main();
