/** Parsers for the client messages the lab accepts (MS-TDS 2.2.6). */
import type { ProcArg } from '../sql/procs';
import { decodeParam } from './datatypes';
import { type SqlVersionProfile, versionBytes } from '../sql/version';
import { Reader, TdsProtocolError, Writer } from './wire';

export const PRELOGIN_OPTION = { VERSION: 0, ENCRYPTION: 1, INSTOPT: 2, THREADID: 3, MARS: 4, TERMINATOR: 0xff } as const;
export const ENCRYPT = { OFF: 0, ON: 1, NOT_SUP: 2, REQ: 3 } as const;

/** PRELOGIN options by token. */
export function parsePrelogin(p: Buffer): Map<number, Buffer> {
  const options = new Map<number, Buffer>();
  for (let i = 0; i < p.length && p[i] !== PRELOGIN_OPTION.TERMINATOR; i += 5) {
    if (i + 5 > p.length) throw new TdsProtocolError('truncated PRELOGIN');
    const offset = p.readUInt16BE(i + 1);
    const length = p.readUInt16BE(i + 3);
    options.set(p[i]!, p.subarray(offset, offset + length));
  }
  return options;
}

export function buildPrelogin(encryption: number, server: SqlVersionProfile): Buffer {
  const options: [number, Buffer][] = [
    // version, then the sub-build (0)
    [PRELOGIN_OPTION.VERSION, Buffer.concat([versionBytes(server), Buffer.from([0, 0])])],
    [PRELOGIN_OPTION.ENCRYPTION, Buffer.from([encryption])],
    [PRELOGIN_OPTION.INSTOPT, Buffer.from([0])],
    [PRELOGIN_OPTION.THREADID, Buffer.alloc(0)],
    [PRELOGIN_OPTION.MARS, Buffer.from([0])],
  ];
  const head = Buffer.alloc(options.length * 5 + 1);
  let offset = head.length;
  options.forEach(([token, data], k) => {
    head[k * 5] = token;
    head.writeUInt16BE(offset, k * 5 + 1);
    head.writeUInt16BE(data.length, k * 5 + 3);
    offset += data.length;
  });
  head[head.length - 1] = PRELOGIN_OPTION.TERMINATOR;
  return Buffer.concat([head, ...options.map(([, d]) => d)]);
}

export interface Login7 {
  readonly tdsVersion: number;
  readonly packetSize: number;
  readonly hostName: string;
  readonly userName: string;
  readonly password: string;
  readonly appName: string;
  readonly serverName: string;
  readonly database: string;
}

export function parseLogin7(p: Buffer): Login7 {
  if (p.length < 94) throw new TdsProtocolError('truncated LOGIN7');
  const field = (at: number) => {
    const offset = p.readUInt16LE(at);
    const chars = p.readUInt16LE(at + 2);
    if (offset + chars * 2 > p.length) throw new TdsProtocolError('LOGIN7 field out of range');
    return p.subarray(offset, offset + chars * 2);
  };
  // The password is obfuscated: each byte XOR 0xA5 with its nibbles swapped.
  const pw = Buffer.from(field(44));
  for (let i = 0; i < pw.length; i++) {
    const x = pw[i]! ^ 0xa5;
    pw[i] = ((x & 0x0f) << 4) | (x >> 4);
  }
  return {
    tdsVersion: p.readUInt32LE(4), packetSize: p.readUInt32LE(8), hostName: field(36).toString('ucs2'), userName: field(40).toString('ucs2'),
    password: pw.toString('ucs2'), appName: field(48).toString('ucs2'), serverName: field(52).toString('ucs2'), database: field(68).toString('ucs2'),
  };
}

export function parseSqlBatch(p: Buffer): string {
  const r = new Reader(p);
  r.skipAllHeaders();
  return r.bytes(r.left).toString('ucs2');
}

/** Well-known procedure ids (ProcIDSwitch). */
const PROC_IDS: Record<number, string> = { 1: 'sp_cursor', 2: 'sp_cursoropen', 10: 'sp_executesql', 11: 'sp_prepare', 12: 'sp_execute', 13: 'sp_prepexec', 15: 'sp_unprepare' };

export interface RpcRequest {
  readonly proc: string;
  readonly params: readonly ProcArg[];
}

export function parseRpc(p: Buffer): RpcRequest {
  const r = new Reader(p);
  r.skipAllHeaders();
  const nameLength = r.u16();
  const proc = nameLength === 0xffff ? (PROC_IDS[r.u16()] ?? 'sp_unknown') : r.ucs2(nameLength);
  r.u16(); // option flags (WithRecomp, NoMetaData)
  const params: ProcArg[] = [];
  while (r.left > 0) {
    const name = r.bVarchar();
    r.u8(); // status flags (by-ref output, default value)
    const { type, value } = decodeParam(r);
    params.push(name ? { name, type, value } : { type, value });
  }
  return { proc, params };
}

export type TransactionRequest = { readonly kind: 'begin' } | { readonly kind: 'commit' | 'rollback'; readonly name: string } | { readonly kind: 'other'; readonly type: number };

export function parseTransactionManager(p: Buffer): TransactionRequest {
  const r = new Reader(p);
  r.skipAllHeaders();
  const type = r.u16();
  if (type === 5) return { kind: 'begin' };
  if (type === 7 || type === 8) return { kind: type === 7 ? 'commit' : 'rollback', name: r.bVarchar() };
  return { kind: 'other', type };
}

/** An 8-byte transaction descriptor from a counter. */
export function transactionDescriptor(n: number): Buffer {
  return new Writer().u64(BigInt(n)).done();
}
