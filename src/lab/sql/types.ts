/**
 * SQL types and values as the lab's engine and TDS server share them. Values: integers are JS
 * numbers except `bigint` and `decimal(p,0)` (bigint, because LSNs exceed 2^53); other decimals are
 * strings; `bit` is boolean; date types are Date; `uniqueidentifier` is an upper-case string.
 */
export type SqlType =
  | { readonly kind: 'tinyint' | 'smallint' | 'int' | 'bigint' | 'bit' | 'datetime' | 'uniqueidentifier' | 'float' }
  | { readonly kind: 'nvarchar' | 'varchar'; readonly length: number }
  | { readonly kind: 'datetime2'; readonly scale: number }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'varbinary'; readonly length: number };

export type SqlValue = null | number | bigint | string | boolean | Date | Buffer;

export interface Column {
  readonly name: string;
  readonly type: SqlType;
}

/** `max` length marker for nvarchar(max) / varchar(max) / varbinary(max). */
export const MAX = -1;

export const T = {
  tinyint: { kind: 'tinyint' },
  smallint: { kind: 'smallint' },
  int: { kind: 'int' },
  bigint: { kind: 'bigint' },
  bit: { kind: 'bit' },
  datetime: { kind: 'datetime' },
  float: { kind: 'float' },
  guid: { kind: 'uniqueidentifier' },
  nvarchar: (length: number): SqlType => ({ kind: 'nvarchar', length }),
  varchar: (length: number): SqlType => ({ kind: 'varchar', length }),
  sysname: { kind: 'nvarchar', length: 128 },
  lsn: { kind: 'decimal', precision: 25, scale: 0 },
  decimal: (precision: number, scale: number): SqlType => ({ kind: 'decimal', precision, scale }),
  datetime2: (scale: number): SqlType => ({ kind: 'datetime2', scale }),
} as const satisfies Record<string, SqlType | ((...a: number[]) => SqlType)>;

/** The name SQL Server uses for a type in messages (`int`, `nvarchar`, `numeric`…). */
export function typeName(t: SqlType): string {
  return t.kind === 'decimal' ? 'numeric' : t.kind;
}

export function isNumericType(t: SqlType): boolean {
  return ['tinyint', 'smallint', 'int', 'bigint', 'decimal', 'float', 'bit'].includes(t.kind);
}

export function isStringType(t: SqlType): boolean {
  return t.kind === 'nvarchar' || t.kind === 'varchar';
}

/** The SQL type of a JS value (parameters, literals). */
export function typeOfValue(v: SqlValue): SqlType {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? T.int : T.float;
  if (typeof v === 'bigint') return T.bigint;
  if (typeof v === 'boolean') return T.bit;
  if (v instanceof Date) return T.datetime;
  if (Buffer.isBuffer(v)) return { kind: 'varbinary', length: MAX };
  return T.nvarchar(4000);
}
