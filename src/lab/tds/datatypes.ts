/**
 * TDS data types both ways: TYPE_INFO and values of result columns (server → client) and of RPC
 * parameters (client → server). Column types are the nullable variants (INTN, BITN, DECIMALN…),
 * which every client reads; (max) strings and binaries use PLP encoding.
 */
import { MAX, type SqlType, type SqlValue, T } from '../sql/types';
import { COLLATION, type Reader, TdsProtocolError, Writer } from './wire';

const TYPE = {
  INTN: 0x26, GUID: 0x24, DATEN: 0x28, TIMEN: 0x29, DATETIME2N: 0x2a, DATETIMEOFFSETN: 0x2b, BITN: 0x68, DECIMALN: 0x6a, NUMERICN: 0x6c,
  FLTN: 0x6d, MONEYN: 0x6e, DATETIMN: 0x6f, BIGVARBIN: 0xa5, BIGVARCHR: 0xa7, BIGBINARY: 0xad, BIGCHAR: 0xaf, NVARCHAR: 0xe7, NCHAR: 0xef,
  INT1: 0x30, BIT: 0x32, INT2: 0x34, INT4: 0x38, DATETIM4: 0x3a, FLT4: 0x3b, MONEY: 0x3c, DATETIME: 0x3d, FLT8: 0x3e, MONEY4: 0x7a, INT8: 0x7f,
} as const;

const DAYS_0001_TO_1970 = 719162;
const MS_1900 = Date.UTC(1900, 0, 1);
const PLP_NULL = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

function decimalBytes(precision: number): number {
  return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
}

function timeBytes(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

const INT_BYTES = { tinyint: 1, smallint: 2, int: 4, bigint: 8 } as const;

/** TYPE_INFO of a result column. */
export function typeInfo(t: SqlType): Buffer {
  const w = new Writer();
  switch (t.kind) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return w.u8(TYPE.INTN).u8(INT_BYTES[t.kind]).done();
    case 'bit':
      return w.u8(TYPE.BITN).u8(1).done();
    case 'float':
      return w.u8(TYPE.FLTN).u8(8).done();
    case 'datetime':
      return w.u8(TYPE.DATETIMN).u8(8).done();
    case 'datetime2':
      return w.u8(TYPE.DATETIME2N).u8(t.scale).done();
    case 'uniqueidentifier':
      return w.u8(TYPE.GUID).u8(16).done();
    case 'decimal':
      return w.u8(TYPE.DECIMALN).u8(decimalBytes(t.precision)).u8(t.precision).u8(t.scale).done();
    case 'nvarchar':
      return w.u8(TYPE.NVARCHAR).u16(t.length === MAX || t.length > 4000 ? 0xffff : t.length * 2).buf(COLLATION).done();
    case 'varchar':
      return w.u8(TYPE.BIGVARCHR).u16(t.length === MAX || t.length > 8000 ? 0xffff : t.length).buf(COLLATION).done();
    case 'varbinary':
      return w.u8(TYPE.BIGVARBIN).u16(t.length === MAX || t.length > 8000 ? 0xffff : t.length).done();
  }
}

function isPlp(t: SqlType): boolean {
  return (t.kind === 'nvarchar' && (t.length === MAX || t.length > 4000)) || ((t.kind === 'varchar' || t.kind === 'varbinary') && (t.length === MAX || t.length > 8000));
}

function guidBytes(g: string): Buffer {
  const h = g.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new TdsProtocolError(`not a GUID: ${g}`);
  const b = Buffer.from(h, 'hex');
  // The first three groups are little-endian on the wire.
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

function guidString(d: Buffer): string {
  const h = Buffer.concat([Buffer.from(d.subarray(0, 4)).reverse(), Buffer.from(d.subarray(4, 6)).reverse(), Buffer.from(d.subarray(6, 8)).reverse(), d.subarray(8)]).toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function bytesOf(t: SqlType, v: Exclude<SqlValue, null>): Buffer {
  if (t.kind === 'varbinary') return Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'latin1');
  const s = v instanceof Date ? v.toISOString() : typeof v === 'boolean' ? (v ? '1' : '0') : Buffer.isBuffer(v) ? v.toString('latin1') : String(v);
  return Buffer.from(s, t.kind === 'nvarchar' ? 'ucs2' : 'latin1');
}

function toBigInt(v: Exclude<SqlValue, null>): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return BigInt(String(v).trim().split('.')[0]!);
}

/** A value of a result column of type `t`. */
export function encodeValue(t: SqlType, v: SqlValue): Buffer {
  const w = new Writer();
  if (v === null) {
    if (isPlp(t)) return PLP_NULL;
    return t.kind === 'nvarchar' || t.kind === 'varchar' || t.kind === 'varbinary' ? w.u16(0xffff).done() : w.u8(0).done();
  }
  switch (t.kind) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return intValue(INT_BYTES[t.kind], toBigInt(v));
    case 'bit':
      return w.u8(1).u8(v === true || (typeof v !== 'boolean' && Number(v) !== 0) ? 1 : 0).done();
    case 'float': {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(Number(v));
      return w.u8(8).buf(b).done();
    }
    case 'datetime': {
      const d = v instanceof Date ? v : new Date(String(v));
      const days = Math.floor((d.getTime() - MS_1900) / 86_400_000);
      const ms = d.getTime() - MS_1900 - days * 86_400_000;
      return w.u8(8).i32(days).u32(Math.round((ms * 300) / 1000)).done();
    }
    case 'datetime2': {
      const d = v instanceof Date ? v : new Date(String(v));
      const tlen = timeBytes(t.scale);
      const msOfDay = ((d.getTime() % 86_400_000) + 86_400_000) % 86_400_000;
      let ticks = (BigInt(msOfDay) * 10n ** BigInt(t.scale)) / 1000n;
      const b = Buffer.alloc(tlen + 3);
      for (let i = 0; i < tlen; i++, ticks >>= 8n) b[i] = Number(ticks & 0xffn);
      b.writeUIntLE(Math.floor(d.getTime() / 86_400_000) + DAYS_0001_TO_1970, tlen, 3);
      return w.u8(b.length).buf(b).done();
    }
    case 'uniqueidentifier':
      return w.u8(16).buf(guidBytes(String(v))).done();
    case 'decimal': {
      const len = decimalBytes(t.precision);
      const text = typeof v === 'bigint' ? v.toString() : String(v);
      const negative = text.trim().startsWith('-');
      const [i = '0', f = ''] = text.trim().replace(/^[-+]/, '').split('.');
      let n = BigInt(i + f.padEnd(t.scale, '0').slice(0, t.scale));
      const b = Buffer.alloc(len);
      b[0] = negative ? 0 : 1;
      for (let k = 1; k < len; k++, n >>= 8n) b[k] = Number(n & 0xffn);
      return w.u8(len).buf(b).done();
    }
    case 'nvarchar':
    case 'varchar':
    case 'varbinary': {
      const data = bytesOf(t, v);
      if (isPlp(t)) return w.u64(BigInt(data.length)).u32(data.length).buf(data).u32(0).done();
      return w.u16(data.length).buf(data).done();
    }
  }
}

/** INTN value: length byte, then the integer little-endian in n bytes (two's complement). */
function intValue(n: number, v: bigint): Buffer {
  const b = Buffer.alloc(1 + n);
  b[0] = n;
  let x = BigInt.asUintN(n * 8, v);
  for (let i = 1; i <= n; i++, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
}

// ---------------------------------------------------------------- RPC parameters

export interface DecodedParam {
  readonly type: SqlType;
  readonly value: SqlValue;
}

function intFromBytes(d: Buffer): number | bigint {
  switch (d.length) {
    case 1: return d[0]!;
    case 2: return d.readInt16LE(0);
    case 4: return d.readInt32LE(0);
    default: return d.readBigInt64LE(0);
  }
}

function intType(len: number): SqlType {
  return len === 1 ? T.tinyint : len === 2 ? T.smallint : len === 4 ? T.int : T.bigint;
}

function datetimeFromBytes(d: Buffer): Date {
  if (d.length === 4) return new Date(MS_1900 + d.readUInt16LE(0) * 86_400_000 + d.readUInt16LE(2) * 60_000);
  return new Date(MS_1900 + d.readInt32LE(0) * 86_400_000 + Math.round((d.readUInt32LE(4) * 1000) / 300));
}

function timeOfDay(d: Buffer, scale: number): number {
  let ticks = 0n;
  for (let i = timeBytes(scale) - 1; i >= 0; i--) ticks = (ticks << 8n) | BigInt(d[i]!);
  return Number((ticks * 1000n) / 10n ** BigInt(scale));
}

/** Reads TYPE_INFO + value of one RPC parameter. */
export function decodeParam(r: Reader): DecodedParam {
  const t = r.u8();
  const fixed: Record<number, [number, SqlType]> = {
    [TYPE.INT1]: [1, T.tinyint], [TYPE.BIT]: [1, T.bit], [TYPE.INT2]: [2, T.smallint], [TYPE.INT4]: [4, T.int], [TYPE.INT8]: [8, T.bigint],
    [TYPE.FLT4]: [4, T.float], [TYPE.FLT8]: [8, T.float], [TYPE.DATETIME]: [8, T.datetime], [TYPE.DATETIM4]: [4, T.datetime],
  };
  const f = fixed[t];
  if (f) {
    const d = r.bytes(f[0]);
    const type = f[1];
    if (type.kind === 'bit') return { type, value: d[0] !== 0 };
    if (type.kind === 'float') return { type, value: d.length === 4 ? d.readFloatLE(0) : d.readDoubleLE(0) };
    if (type.kind === 'datetime') return { type, value: datetimeFromBytes(d) };
    return { type, value: intFromBytes(d) };
  }
  switch (t) {
    case TYPE.INTN: {
      const max = r.u8();
      const n = r.u8();
      return { type: intType(max), value: n === 0 ? null : intFromBytes(r.bytes(n)) };
    }
    case TYPE.BITN: {
      r.u8();
      const n = r.u8();
      return { type: T.bit, value: n === 0 ? null : r.bytes(n)[0] !== 0 };
    }
    case TYPE.FLTN: {
      r.u8();
      const n = r.u8();
      const d = n ? r.bytes(n) : undefined;
      return { type: T.float, value: d ? (n === 4 ? d.readFloatLE(0) : d.readDoubleLE(0)) : null };
    }
    case TYPE.DATETIMN: {
      r.u8();
      const n = r.u8();
      return { type: T.datetime, value: n ? datetimeFromBytes(r.bytes(n)) : null };
    }
    case TYPE.GUID: {
      r.u8();
      const n = r.u8();
      return { type: T.guid, value: n ? guidString(r.bytes(n)) : null };
    }
    case TYPE.DECIMALN:
    case TYPE.NUMERICN: {
      r.u8();
      const precision = r.u8();
      const scale = r.u8();
      const n = r.u8();
      const type = T.decimal(precision, scale);
      if (!n) return { type, value: null };
      const d = r.bytes(n);
      let v = 0n;
      for (let i = n - 1; i >= 1; i--) v = (v << 8n) | BigInt(d[i]!);
      if (d[0] === 0) v = -v;
      if (scale === 0) return { type, value: v };
      const s = (v < 0n ? -v : v).toString().padStart(scale + 1, '0');
      return { type, value: `${v < 0n ? '-' : ''}${s.slice(0, -scale)}.${s.slice(-scale)}` };
    }
    case TYPE.DATEN: {
      const n = r.u8();
      return { type: T.datetime, value: n ? new Date((r.bytes(3).readUIntLE(0, 3) - DAYS_0001_TO_1970) * 86_400_000) : null };
    }
    case TYPE.TIMEN:
    case TYPE.DATETIME2N:
    case TYPE.DATETIMEOFFSETN: {
      const scale = r.u8();
      const n = r.u8();
      const type = T.datetime2(scale);
      if (!n) return { type, value: null };
      const d = r.bytes(n);
      const ms = timeOfDay(d, scale);
      if (t === TYPE.TIMEN) return { type: T.datetime2(scale), value: new Date(ms) };
      const days = d.readUIntLE(timeBytes(scale), 3);
      // datetimeoffset is stored in UTC; the offset that follows only matters for display.
      return { type, value: new Date((days - DAYS_0001_TO_1970) * 86_400_000 + ms) };
    }
    case TYPE.NVARCHAR:
    case TYPE.NCHAR:
    case TYPE.BIGVARCHR:
    case TYPE.BIGCHAR: {
      const max = r.u16();
      r.bytes(5);
      const unicode = t === TYPE.NVARCHAR || t === TYPE.NCHAR;
      const enc = unicode ? 'ucs2' : 'latin1';
      const type = unicode ? T.nvarchar(max === 0xffff ? MAX : max / 2) : T.varchar(max === 0xffff ? MAX : max);
      if (max === 0xffff) {
        const d = r.plp();
        return { type, value: d === null ? null : d.toString(enc) };
      }
      const n = r.u16();
      return { type, value: n === 0xffff ? null : r.bytes(n).toString(enc) };
    }
    case TYPE.BIGVARBIN:
    case TYPE.BIGBINARY: {
      const max = r.u16();
      const type: SqlType = { kind: 'varbinary', length: max === 0xffff ? MAX : max };
      if (max === 0xffff) return { type, value: r.plp() };
      const n = r.u16();
      return { type, value: n === 0xffff ? null : Buffer.from(r.bytes(n)) };
    }
    default:
      throw new TdsProtocolError(`unsupported parameter type 0x${t.toString(16)}`);
  }
}
