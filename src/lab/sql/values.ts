/**
 * Comparison and conversion of SQL values with SQL Server's implicit-conversion rules, as far as
 * the lab's statements need them: strings compare case-insensitively ignoring trailing blanks
 * (SQL_Latin1_General_CP1_CI_AS); a string compared with a number is converted to a number (error
 * 245 when it is not one); LSN-sized integers are compared exactly as bigint.
 */
import { msg, SqlError } from '../model/sql-error';
import { isNumericType, isStringType, type SqlType, type SqlValue, typeName } from './types';

const NUMBER_TEXT = /^\s*[-+]?\d+(\.\d*)?\s*$/;

function toComparableNumber(v: number | bigint | boolean): number | bigint {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

function numberFromString(s: string, targetType: string): number | bigint {
  if (!NUMBER_TEXT.test(s)) throw new SqlError(msg.conversionFailed(s, 'varchar', targetType));
  const t = s.trim();
  return t.includes('.') ? Number(t) : BigInt(t);
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (Number.isInteger(a) && Number.isInteger(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function normaliseString(s: string): string {
  return s.replace(/ +$/, '').toLowerCase();
}

function dateFromString(s: string): Date {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.trim().replace(' ', 'T')}Z`);
  if (Number.isNaN(d.getTime())) throw new SqlError({ number: 241, class: 16, state: 1, message: 'Conversion failed when converting date and/or time from character string.' });
  return d;
}

/** -1, 0, 1, or null when either side is NULL (comparison is UNKNOWN). */
export function compareValues(a: SqlValue, b: SqlValue): number | null {
  if (a === null || b === null) return null;
  if (a instanceof Date || b instanceof Date) {
    const x = a instanceof Date ? a : dateFromString(String(a));
    const y = b instanceof Date ? b : dateFromString(String(b));
    return Math.sign(x.getTime() - y.getTime());
  }
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.compare(Buffer.from(a as Buffer), Buffer.from(b as Buffer));
  const aNum = typeof a !== 'string';
  const bNum = typeof b !== 'string';
  if (aNum && bNum) return compareNumbers(toComparableNumber(a), toComparableNumber(b));
  if (aNum) return compareNumbers(toComparableNumber(a), numberFromString(b as string, typeof a === 'bigint' ? 'bigint' : 'int'));
  if (bNum) return compareNumbers(numberFromString(a, typeof b === 'bigint' ? 'bigint' : 'int'), toComparableNumber(b));
  const x = normaliseString(a);
  const y = normaliseString(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A key under which equal values (in the sense of compareValues) group together. */
export function groupKey(v: SqlValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `s:${normaliseString(v)}`;
  if (v instanceof Date) return `d:${v.getTime()}`;
  if (Buffer.isBuffer(v)) return `b:${v.toString('hex')}`;
  return `n:${String(toComparableNumber(v))}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** datetime to text: CONVERT styles 120/121/126, else SQL Server's default `Mon dd yyyy hh:miAM`. */
export function formatDate(d: Date, style?: number): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  if (style === 120 || style === 20) return `${date} ${time}`;
  if (style === 121 || style === 21) return `${date} ${time}.${p(d.getUTCMilliseconds(), 3)}`;
  if (style === 126) return `${date}T${time}.${p(d.getUTCMilliseconds(), 3)}`;
  const h = d.getUTCHours() % 12 || 12;
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${d.getUTCFullYear()} ${String(h).padStart(2)}:${p(d.getUTCMinutes())}${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  tinyint: [0n, 255n], smallint: [-32768n, 32767n], int: [-(2n ** 31n), 2n ** 31n - 1n], bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

function overflow(t: SqlType): SqlError {
  return new SqlError({ number: 8115, class: 16, state: 2, message: `Arithmetic overflow error converting expression to data type ${typeName(t)}.` });
}

/** CAST / CONVERT. */
export function convertValue(v: SqlValue, from: SqlType, to: SqlType, style?: number): SqlValue {
  if (v === null) return null;
  switch (to.kind) {
    case 'varchar':
    case 'nvarchar': {
      let s: string;
      if (v instanceof Date) s = formatDate(v, style);
      else if (typeof v === 'boolean') s = v ? '1' : '0';
      else if (Buffer.isBuffer(v)) s = v.toString('latin1');
      else s = String(v);
      if (to.length > 0 && s.length > to.length) {
        // Numbers that do not fit raise an error; strings are silently truncated, as in SQL Server.
        if (isNumericType(from)) throw new SqlError({ number: 8115, class: 16, state: 5, message: `Arithmetic overflow error converting ${typeName(from)} to data type ${to.kind}.` });
        s = s.slice(0, to.length);
      }
      return s;
    }
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint': {
      let n: bigint;
      if (typeof v === 'string') {
        if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new SqlError(msg.conversionFailed(v, isStringType(from) ? from.kind : 'varchar', to.kind));
        n = BigInt(v.trim());
      } else if (typeof v === 'number') n = BigInt(Math.trunc(v));
      else if (typeof v === 'bigint') n = v;
      else if (typeof v === 'boolean') n = v ? 1n : 0n;
      else throw new SqlError({ number: 529, class: 16, state: 2, message: `Explicit conversion from data type ${typeName(from)} to ${to.kind} is not allowed.` });
      const [lo, hi] = INT_RANGES[to.kind]!;
      if (n < lo || n > hi) throw overflow(to);
      return to.kind === 'bigint' ? n : Number(n);
    }
    case 'decimal': {
      const text = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      if (!NUMBER_TEXT.test(text)) throw new SqlError(msg.conversionFailed(text, 'varchar', 'numeric'));
      if (to.scale === 0) return BigInt(text.trim().split('.')[0]!);
      const [i, f = ''] = text.trim().split('.');
      return `${i}.${f.padEnd(to.scale, '0').slice(0, to.scale)}`;
    }
    case 'bit':
      if (typeof v === 'string') return compareValues(v, 0) !== 0;
      return typeof v === 'boolean' ? v : Number(v) !== 0;
    case 'datetime':
    case 'datetime2':
      return v instanceof Date ? v : dateFromString(String(v));
    case 'float':
      return Number(typeof v === 'boolean' ? Number(v) : v);
    case 'uniqueidentifier':
      if (typeof v !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.trim())) {
        throw new SqlError({ number: 8169, class: 16, state: 2, message: 'Conversion failed when converting from a character string to uniqueidentifier.' });
      }
      return v.trim().toUpperCase();
    case 'varbinary':
      return Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'latin1');
  }
}

/** LIKE with `%` and `_`, case-insensitive. */
export function like(value: string, pattern: string): boolean {
  const re = pattern.replace(/[.*+?^${}()|\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${re}$`, 'is').test(value.replace(/ +$/, ''));
}
