/**
 * One client connection to a lab SQL instance: packet framing, PRELOGIN (and TLS), LOGIN7, then
 * SQL_BATCH / RPC / transaction-manager requests answered one at a time. ATTENTION is handled
 * outside the request queue: the running request is aborted, its reply finished, and the
 * attention acknowledged with DONE(ATTN) in a message of its own. INFO messages reach the client
 * while a statement runs because the engine's `flush` events send what is buffered as non-final
 * packets.
 */
import type { Duplex } from 'node:stream';
import type { LabSession } from '../model/instance';
import { msg, type SqlMessage } from '../model/sql-error';
import { type EngineEvent, SqlSession } from '../sql/context';
import { buildPrelogin, ENCRYPT, type Login7, parseLogin7, parsePrelogin, parseRpc, parseSqlBatch, parseTransactionManager, PRELOGIN_OPTION, transactionDescriptor } from './requests';
import type { TdsServerOptions } from './server';
import { TlsInsideTds } from './tls-in-tds';
import { colMetadata, done, envChange, envCollation, envTransaction, loginAck, messageToken, returnStatus, row } from './tokens';
import { DONE_STATUS, ENVCHANGE, HEADER_LENGTH, PACKET, TdsProtocolError, TOKEN } from './wire';

type Phase = 'prelogin' | 'tls-handshake' | 'login' | 'ready';

const MIN_PACKET = 512;
const MAX_PACKET = 32767;

interface RunningRequest {
  readonly abort: AbortController;
}

export class TdsConnection {
  #phase: Phase = 'prelogin';
  #packetSize = 4096;
  #packetId = 0;
  #inbuf: Buffer = Buffer.alloc(0);
  #parts: Buffer[] = [];
  #queue: Promise<void> = Promise.resolve();
  #current: RunningRequest | undefined;
  #tls: TlsInsideTds | undefined;
  #write: (b: Buffer) => void;
  #session: SqlSession | undefined;
  #transaction: Buffer | undefined;
  #transactions = 0;
  #closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly opts: TdsServerOptions,
  ) {
    this.#write = (b) => socket.write(b);
    socket.on('data', (d: Buffer) => (this.#tls?.raw ? this.#tls.feed(d) : this.#onBytes(d)));
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  /** Closes the connection and ends its session (KILL, instance going dark, lab stop). */
  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#current?.abort.abort();
    this.#tls?.destroy();
    this.socket.destroy();
    if (this.#session) this.opts.instance.closeSession(this.#session.spid);
    this.opts.onClose?.(this);
  }

  #log(line: string): void {
    this.opts.log?.(`[${this.opts.instance.id}${this.#session ? ` spid ${this.#session.spid}` : ''}] ${line}`);
  }

  // ---------------------------------------------------------------- framing

  #onBytes(data: Buffer): void {
    this.#inbuf = this.#inbuf.length ? Buffer.concat([this.#inbuf, data]) : data;
    while (this.#inbuf.length >= HEADER_LENGTH) {
      const length = this.#inbuf.readUInt16BE(2);
      if (length < HEADER_LENGTH) return this.#fail(new TdsProtocolError('bad packet length'));
      if (this.#inbuf.length < length) return;
      const packet = this.#inbuf.subarray(0, length);
      this.#inbuf = this.#inbuf.subarray(length);
      const type = packet[0]!;
      if (type === PACKET.ATTENTION) {
        this.#onAttention();
        continue;
      }
      this.#parts.push(packet.subarray(HEADER_LENGTH));
      if ((packet[1]! & 0x01) === 0) continue;
      const payload = Buffer.concat(this.#parts);
      this.#parts = [];
      if (this.#phase === 'tls-handshake' && type === PACKET.PRELOGIN) {
        this.#tls!.feed(payload);
        continue;
      }
      this.#queue = this.#queue.then(() => this.#onMessage(type, payload)).catch((e: unknown) => this.#fail(e));
    }
  }

  #fail(e: unknown): void {
    this.#log(`closing: ${e instanceof Error ? e.message : String(e)}`);
    this.destroy();
  }

  #send(type: number, payload: Buffer, eom = true): void {
    if (this.#closed) return;
    const max = this.#packetSize - HEADER_LENGTH;
    let offset = 0;
    do {
      const chunk = payload.subarray(offset, offset + max);
      offset += chunk.length;
      const header = Buffer.alloc(HEADER_LENGTH);
      header[0] = type;
      header[1] = offset >= payload.length && eom ? 0x01 : 0x00;
      header.writeUInt16BE(chunk.length + HEADER_LENGTH, 2);
      header.writeUInt16BE(this.#session?.spid ?? 0, 4);
      header[6] = this.#packetId = (this.#packetId + 1) & 0xff;
      this.#write(Buffer.concat([header, chunk]));
    } while (offset < payload.length);
  }

  #reply(tokens: Buffer[], eom = true): void {
    this.#send(PACKET.REPLY, Buffer.concat(tokens), eom);
  }

  // ---------------------------------------------------------------- messages

  async #onMessage(type: number, payload: Buffer): Promise<void> {
    if (this.#closed) return;
    if (this.#phase === 'prelogin' && type === PACKET.PRELOGIN) return this.#onPrelogin(payload);
    if ((this.#phase === 'prelogin' || this.#phase === 'login') && type === PACKET.LOGIN7) return this.#onLogin(parseLogin7(payload));
    if (this.#phase !== 'ready') throw new TdsProtocolError(`unexpected packet type 0x${type.toString(16)} before login`);
    const session = this.#session!;
    session.lab.lastBatch = session.model.now();
    switch (type) {
      case PACKET.SQL_BATCH: {
        const sql = parseSqlBatch(payload);
        this.#log(`SQL_BATCH ${JSON.stringify(sql.slice(0, 200))}`);
        return this.#run(false, (signal) => this.opts.engine.executeBatch(sql, { session, signal }));
      }
      case PACKET.RPC: {
        const rpc = parseRpc(payload);
        this.#log(`RPC ${rpc.proc} ${JSON.stringify(String(rpc.params[0]?.value ?? '').slice(0, 200))}`);
        return this.#run(true, (signal) => this.opts.engine.executeRpc(rpc.proc, rpc.params, { session, signal }));
      }
      case PACKET.TRANSACTION_MANAGER:
        return this.#onTransaction(payload);
      default:
        throw new TdsProtocolError(`unsupported packet type 0x${type.toString(16)}`);
    }
  }

  #onPrelogin(payload: Buffer): void {
    const options = parsePrelogin(payload);
    const requested = options.get(PRELOGIN_OPTION.ENCRYPTION)?.[0] ?? ENCRYPT.NOT_SUP;
    const wantsTls = requested === ENCRYPT.ON || requested === ENCRYPT.REQ;
    // Encryption is full (ON) when the client asks for it and the lab has a certificate; otherwise
    // the lab says NOT_SUP and everything, login included, stays in clear text.
    const answer = wantsTls && this.opts.tls ? ENCRYPT.ON : ENCRYPT.NOT_SUP;
    this.#send(PACKET.REPLY, buildPrelogin(answer, this.opts.instance.version));
    if (answer !== ENCRYPT.ON) {
      this.#phase = 'login';
      return;
    }
    this.#phase = 'tls-handshake';
    this.#tls = new TlsInsideTds(this.opts.tls!, {
      sendHandshake: (flight) => {
        this.#send(PACKET.PRELOGIN, flight);
        if (this.#tls?.raw) {
          this.#phase = 'login';
          this.#inbuf = Buffer.alloc(0);
          this.#write = (b) => this.#tls!.cleartext.write(b);
          this.#tls.cleartext.on('data', (d: Buffer) => this.#onBytes(d));
        }
      },
      sendRaw: (records) => this.socket.write(records),
      onError: (e) => this.#fail(e),
    }, { tls12: !this.opts.faults.has('sql-no-tls12') });
  }

  #onLogin(login: Login7): void {
    this.#log(`LOGIN7 user=${login.userName} app=${login.appName} database=${login.database || '(default)'}`);
    const server = this.opts.instance.serverName;
    const refuse = (messages: SqlMessage[]) => {
      this.#reply([...messages.map((m) => messageToken(m, server)), done(TOKEN.DONE, DONE_STATUS.ERROR)]);
      // A real server closes the connection after a failed login.
      setImmediate(() => this.destroy());
    };
    const { user, password } = this.opts.credentials;
    if (this.opts.faults.has('sql-login-fails') || login.userName.toLowerCase() !== user.toLowerCase() || login.password !== password) {
      return refuse([msg.loginFailed(login.userName)]);
    }
    const database = login.database || 'master';
    const db = this.opts.instance.database(database);
    if (!db || (db.state !== 'ONLINE' && !db.standby)) {
      return refuse([{ number: 4060, class: 11, state: 1, message: `Cannot open database "${database}" requested by the login. The login failed.` }, msg.loginFailed(login.userName)]);
    }
    const { instance, model } = this.opts;
    const lab: LabSession = instance.openSession({
      login: login.userName, host: login.hostName, program: login.appName, database: db.name, loginTime: model.now(), kill: () => this.destroy(),
    });
    this.#session = new SqlSession(model, instance, lab);
    this.#packetSize = Math.min(MAX_PACKET, Math.max(MIN_PACKET, login.packetSize || 4096));
    this.#phase = 'ready';
    this.#reply([
      envChange(ENVCHANGE.DATABASE, db.name, 'master'),
      messageToken(msg.info(5701, `Changed database context to '${db.name}'.`), server),
      envCollation(),
      envChange(ENVCHANGE.LANGUAGE, 'us_english', ''),
      messageToken(msg.info(5703, 'Changed language setting to us_english.'), server),
      loginAck(instance.version),
      envChange(ENVCHANGE.PACKET_SIZE, String(this.#packetSize), String(this.#packetSize)),
      done(TOKEN.DONE, DONE_STATUS.FINAL),
    ]);
  }

  #onTransaction(payload: Buffer): void {
    const request = parseTransactionManager(payload);
    const session = this.#session!;
    const server = this.opts.instance.serverName;
    if (request.kind === 'begin') {
      this.#transaction = transactionDescriptor(++this.#transactions);
      session.tranCount++;
      return this.#reply([envTransaction(ENVCHANGE.BEGIN_TRAN, this.#transaction, Buffer.alloc(0)), done(TOKEN.DONE, DONE_STATUS.FINAL)]);
    }
    if (request.kind === 'other') {
      const m: SqlMessage = { number: 8525, class: 16, state: 1, message: 'Distributed transaction completed. Either enlist this session in a new transaction or the NULL transaction.' };
      return this.#reply([messageToken(m, server), done(TOKEN.DONE, DONE_STATUS.ERROR)]);
    }
    if (!this.#transaction) {
      const number = request.kind === 'commit' ? 3902 : 3903;
      const m: SqlMessage = { number, class: 16, state: 1, message: `The ${request.kind.toUpperCase()} TRANSACTION request has no corresponding BEGIN TRANSACTION.` };
      return this.#reply([messageToken(m, server), done(TOKEN.DONE, DONE_STATUS.ERROR)]);
    }
    const old = this.#transaction;
    this.#transaction = undefined;
    session.tranCount = 0;
    this.#reply([envTransaction(request.kind === 'commit' ? ENVCHANGE.COMMIT_TRAN : ENVCHANGE.ROLLBACK_TRAN, Buffer.alloc(0), old), done(TOKEN.DONE, DONE_STATUS.FINAL)]);
  }

  // ---------------------------------------------------------------- requests

  async #run(rpc: boolean, start: (signal: AbortSignal) => AsyncGenerator<EngineEvent, void, undefined>): Promise<void> {
    const running: RunningRequest = { abort: new AbortController() };
    this.#current = running;
    const server = this.opts.instance.serverName;
    const inner = rpc ? TOKEN.DONEINPROC : TOKEN.DONE;
    const parts: Buffer[] = [];
    let failed = false;
    let sentPartial = false;
    const flush = () => {
      if (!parts.length) return;
      this.#reply(parts.splice(0), false);
      sentPartial = true;
    };
    try {
      for await (const ev of start(running.abort.signal)) {
        if (running.abort.signal.aborted || this.#closed) break;
        switch (ev.kind) {
          case 'rows':
            parts.push(colMetadata(ev.columns), ...ev.rows.map((r) => row(ev.columns, r)), done(inner, DONE_STATUS.MORE | DONE_STATUS.COUNT, ev.rows.length, 0xc1));
            break;
          case 'message':
            if (ev.message.class > 10) failed = true;
            parts.push(messageToken(ev.message, server));
            break;
          case 'done':
            parts.push(done(inner, DONE_STATUS.MORE | (ev.count === undefined ? 0 : DONE_STATUS.COUNT), ev.count ?? 0));
            break;
          case 'database':
            parts.push(envChange(ENVCHANGE.DATABASE, ev.name, ev.previous));
            break;
          case 'flush':
            flush();
            break;
          case 'disconnect':
            this.#log('fault sql-disconnect-during-restore: dropping the connection');
            flush();
            this.destroy();
            break;
        }
      }
    } catch (e) {
      failed = true;
      parts.push(messageToken({ number: 50000, class: 16, state: 1, message: `Rehearsal lab internal error: ${e instanceof Error ? e.message : String(e)}` }, server));
    } finally {
      this.#current = undefined;
    }
    if (this.#closed) return;
    if (running.abort.signal.aborted) {
      // Finish the interrupted reply, then acknowledge the attention in its own message.
      if (sentPartial || parts.length) this.#reply([...parts, done(TOKEN.DONE, DONE_STATUS.ERROR)]);
      this.#reply([done(TOKEN.DONE, DONE_STATUS.ATTN)]);
      return;
    }
    const inXact = this.#transaction ? DONE_STATUS.INXACT : 0;
    if (rpc) parts.push(...(failed ? [] : [returnStatus(0)]), done(TOKEN.DONEPROC, (failed ? DONE_STATUS.ERROR : DONE_STATUS.FINAL) | inXact));
    else parts.push(done(TOKEN.DONE, (failed ? DONE_STATUS.ERROR : DONE_STATUS.FINAL) | inXact));
    this.#reply(parts);
  }

  #onAttention(): void {
    this.#log('ATTENTION');
    if (this.#current) this.#current.abort.abort();
    // Idle (the request had already finished): acknowledge after anything still queued.
    else this.#queue = this.#queue.then(() => this.#reply([done(TOKEN.DONE, DONE_STATUS.ATTN)]));
  }
}
