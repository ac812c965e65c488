/** Writers for the response tokens the lab sends (MS-TDS 2.2.7). */
import type { SqlMessage } from '../model/sql-error';
import type { Column, SqlValue } from '../sql/types';
import { encodeValue, typeInfo } from './datatypes';
import { type SqlVersionProfile, versionBytes } from '../sql/version';
import { COLLATION, ENVCHANGE, TOKEN, Writer } from './wire';

function withLength(token: number, body: Buffer): Buffer {
  return new Writer().u8(token).u16(body.length).buf(body).done();
}

export function envChange(type: number, newValue: string, oldValue: string): Buffer {
  return withLength(TOKEN.ENVCHANGE, new Writer().u8(type).bVarchar(newValue).bVarchar(oldValue).done());
}

export function envCollation(): Buffer {
  return withLength(TOKEN.ENVCHANGE, new Writer().u8(ENVCHANGE.COLLATION).bVarbyte(COLLATION).u8(0).done());
}

/** Transaction ENVCHANGE (begin: new descriptor; commit/rollback: old descriptor). */
export function envTransaction(type: number, newValue: Buffer, oldValue: Buffer): Buffer {
  return withLength(TOKEN.ENVCHANGE, new Writer().u8(type).bVarbyte(newValue).bVarbyte(oldValue).done());
}

/** INFO (class ≤ 10) or ERROR token. */
export function messageToken(m: SqlMessage, server: string): Buffer {
  const body = new Writer().i32(m.number).u8(m.state).u8(m.class).usVarchar(m.message).bVarchar(server).bVarchar('').i32(1).done();
  return withLength(m.class > 10 ? TOKEN.ERROR : TOKEN.INFO, body);
}

/** LOGINACK: the TDS version and program version of the instance's SQL Server release. */
export function loginAck(server: SqlVersionProfile): Buffer {
  const version = Buffer.alloc(4);
  version.writeUInt32BE(server.tdsVersion);
  return withLength(TOKEN.LOGINACK, new Writer().u8(1).buf(version).bVarchar('Microsoft SQL Server').buf(versionBytes(server)).done());
}

export function done(token: number, status: number, rowCount = 0, curCmd = 0): Buffer {
  return new Writer().u8(token).u16(status).u16(curCmd).u64(BigInt(rowCount)).done();
}

export function returnStatus(value: number): Buffer {
  return new Writer().u8(TOKEN.RETURNSTATUS).i32(value).done();
}

export function colMetadata(columns: readonly Column[]): Buffer {
  const w = new Writer().u8(TOKEN.COLMETADATA).u16(columns.length);
  // UserType 0, flags 0x0001 (nullable), TYPE_INFO, column name.
  for (const c of columns) w.u32(0).u16(0x0001).buf(typeInfo(c.type)).bVarchar(c.name);
  return w.done();
}

export function row(columns: readonly Column[], values: readonly SqlValue[]): Buffer {
  const w = new Writer().u8(TOKEN.ROW);
  columns.forEach((c, i) => w.buf(encodeValue(c.type, values[i] ?? null)));
  return w.done();
}
