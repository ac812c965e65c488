/**
 * TLS inside TDS: the handshake travels in PRELOGIN messages — each client PRELOGIN message gets
 * exactly one PRELOGIN message back holding the server's whole flight (tedious and FreeTDS both
 * expect that) — then, with encryption ON, TLS records flow on the raw socket and TDS packets travel
 * inside them. Node's TLS engine runs on one end of an in-memory duplex pair; this class frames its
 * output. TLS 1.2 at most, as tedious 19 caps there.
 */
import { duplexPair } from 'node:stream';
import tls from 'node:tls';

/** Whether `buf` holds a complete server flight: ServerHelloDone, or ChangeCipherSpec + Finished, or an alert. */
function flightComplete(buf: Buffer): boolean {
  let o = 0;
  let sawChangeCipherSpec = false;
  while (o + 5 <= buf.length) {
    const type = buf[o]!;
    const len = buf.readUInt16BE(o + 3);
    if (o + 5 + len > buf.length) return false;
    if (type === 20) sawChangeCipherSpec = true;
    else if (type === 21) return true;
    else if (type === 22 && sawChangeCipherSpec) return true;
    else if (type === 22) {
      for (let h = o + 5; h + 4 <= o + 5 + len; h += 4 + buf.readUIntBE(h + 1, 3)) if (buf[h] === 14) return true;
    }
    o += 5 + len;
  }
  return false;
}

function containsChangeCipherSpec(buf: Buffer): boolean {
  for (let o = 0; o + 5 <= buf.length; o += 5 + buf.readUInt16BE(o + 3)) if (buf[o] === 20) return true;
  return false;
}

export interface TlsInsideTdsEvents {
  /** A complete server flight to send as one PRELOGIN message. */
  readonly sendHandshake: (flight: Buffer) => void;
  /** Raw TLS records to write to the socket once the handshake is over. */
  readonly sendRaw: (records: Buffer) => void;
  readonly onError: (e: Error) => void;
}

export class TlsInsideTds {
  /** Decrypted side: TDS packets come out of it and go into it. */
  readonly cleartext: tls.TLSSocket;
  readonly #encrypted;
  #pending: Buffer = Buffer.alloc(0);
  #raw = false;

  /** `tls12: false`: the server speaks TLS 1.0/1.1 only, as a SQL Server build without the TLS 1.2 update (fault `sql-no-tls12`). */
  constructor(credentials: { key: string; cert: string }, events: TlsInsideTdsEvents, options: { tls12: boolean } = { tls12: true }) {
    const [inner, outer] = duplexPair();
    this.#encrypted = outer;
    const versions: tls.SecureContextOptions = options.tls12
      ? { maxVersion: 'TLSv1.2' }
      : { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' };
    this.cleartext = new tls.TLSSocket(inner, { isServer: true, secureContext: tls.createSecureContext({ ...credentials, ...versions }) });
    this.cleartext.on('error', events.onError);
    outer.on('data', (d: Buffer) => {
      if (this.#raw) return events.sendRaw(d);
      this.#pending = Buffer.concat([this.#pending, d]);
      if (!flightComplete(this.#pending)) return;
      const flight = this.#pending;
      this.#pending = Buffer.alloc(0);
      // The flight with ChangeCipherSpec is the server's last: from now on TLS runs on the raw socket.
      if (containsChangeCipherSpec(flight)) this.#raw = true;
      events.sendHandshake(flight);
    });
  }

  /** After the handshake, socket bytes are TLS records. */
  get raw(): boolean {
    return this.#raw;
  }

  /** Handshake bytes from a client PRELOGIN message, or raw TLS records after it. */
  feed(data: Buffer): void {
    this.#encrypted.write(data);
  }

  destroy(): void {
    this.cleartext.destroy();
    this.#encrypted.destroy();
  }
}
