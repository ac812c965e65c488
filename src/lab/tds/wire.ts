/**
 * MS-TDS 7.4 constants and the little-endian buffer reader/writer the TDS modules share.
 */
export const PACKET = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  REPLY: 0x04,
  ATTENTION: 0x06,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  PRELOGIN: 0x12,
} as const;

export const TOKEN = {
  RETURNSTATUS: 0x79,
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  LOGINACK: 0xad,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

export const DONE_STATUS = { FINAL: 0x0, MORE: 0x1, ERROR: 0x2, INXACT: 0x4, COUNT: 0x10, ATTN: 0x20 } as const;

export const ENVCHANGE = { DATABASE: 1, LANGUAGE: 2, PACKET_SIZE: 4, COLLATION: 7, BEGIN_TRAN: 8, COMMIT_TRAN: 9, ROLLBACK_TRAN: 10 } as const;

/** SQL_Latin1_General_CP1_CI_AS: LCID 1033, sort id 52. */
export const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export const HEADER_LENGTH = 8;

export class Writer {
  readonly #parts: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  buf(b: Buffer): this {
    this.#parts.push(b);
    this.#length += b.length;
    return this;
  }

  u8(v: number): this {
    return this.buf(Buffer.from([v & 0xff]));
  }

  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    return this.buf(b);
  }

  i32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    return this.buf(b);
  }

  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return this.buf(b);
  }

  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    return this.buf(b);
  }

  /** B_VARCHAR: 1-byte length in characters, UCS-2. */
  bVarchar(s: string): this {
    return this.u8(s.length).buf(Buffer.from(s, 'ucs2'));
  }

  /** US_VARCHAR: 2-byte length in characters, UCS-2. */
  usVarchar(s: string): this {
    return this.u16(s.length).buf(Buffer.from(s, 'ucs2'));
  }

  /** B_VARBYTE. */
  bVarbyte(b: Buffer): this {
    return this.u8(b.length).buf(b);
  }

  done(): Buffer {
    return Buffer.concat(this.#parts, this.#length);
  }
}

export class TdsProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TdsProtocolError';
  }
}

export class Reader {
  #o = 0;

  constructor(private readonly b: Buffer) {}

  get left(): number {
    return this.b.length - this.#o;
  }

  #need(n: number): void {
    if (this.#o + n > this.b.length) throw new TdsProtocolError('truncated TDS message');
  }

  u8(): number {
    this.#need(1);
    return this.b[this.#o++]!;
  }

  u16(): number {
    this.#need(2);
    const v = this.b.readUInt16LE(this.#o);
    this.#o += 2;
    return v;
  }

  u32(): number {
    this.#need(4);
    const v = this.b.readUInt32LE(this.#o);
    this.#o += 4;
    return v;
  }

  u64(): bigint {
    this.#need(8);
    const v = this.b.readBigUInt64LE(this.#o);
    this.#o += 8;
    return v;
  }

  bytes(n: number): Buffer {
    this.#need(n);
    const v = this.b.subarray(this.#o, this.#o + n);
    this.#o += n;
    return v;
  }

  ucs2(chars: number): string {
    return this.bytes(chars * 2).toString('ucs2');
  }

  /** B_VARCHAR. */
  bVarchar(): string {
    return this.ucs2(this.u8());
  }

  /** ALL_HEADERS (SQL_BATCH, RPC, transaction manager): skipped, the lab needs none of them. */
  skipAllHeaders(): void {
    const total = this.b.readUInt32LE(this.#o);
    if (total < 4) throw new TdsProtocolError('bad ALL_HEADERS length');
    this.bytes(total);
  }

  /** A partially length-prefixed (PLP) value: (max) types. */
  plp(): Buffer | null {
    const total = this.u64();
    if (total === 0xffffffffffffffffn) return null;
    const chunks: Buffer[] = [];
    for (;;) {
      const n = this.u32();
      if (n === 0) break;
      chunks.push(this.bytes(n));
    }
    return Buffer.concat(chunks);
  }
}
