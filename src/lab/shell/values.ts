/**
 * The values that flow through the stand-in's pipelines: a small model of the .NET objects a
 * real Lync Management Shell would pass around. Enough to reproduce how PowerShell formats,
 * compares and serialises them (enums are numbers in JSON but names in text, dates are
 * `\/Date(ms)\/`, property names are case-insensitive).
 */

export type PsValue = null | string | number | boolean | PsEnum | PsDate | PsObject | PsHashtable | PsScriptBlock | PsValue[];

/** A .NET enum value: formats as its name, serialises to JSON as its number. */
export class PsEnum {
  constructor(
    readonly type: EnumType,
    readonly value: number,
  ) {}
  get name(): string {
    return this.type.names[this.value];
  }
}

export class EnumType {
  constructor(
    /** Full .NET type name, used in conversion errors. */
    readonly fullName: string,
    readonly names: readonly string[],
  ) {}

  /** Case-insensitive lookup as PowerShell's enum conversion does; undefined when no match. */
  parse(text: string): PsEnum | undefined {
    const i = this.names.findIndex((n) => n.toLowerCase() === text.trim().toLowerCase());
    return i < 0 ? undefined : new PsEnum(this, i);
  }

  of(name: string): PsEnum {
    const v = this.parse(name);
    if (!v) throw new Error(`${name} is not a ${this.fullName}`);
    return v;
  }
}

/** A System.DateTime (UTC milliseconds). */
export class PsDate {
  constructor(readonly ms: number) {}
}

/** A script block literal, kept as its parsed body (only Where-Object / Select-Object evaluate them). */
export class PsScriptBlock {
  constructor(
    readonly text: string,
    readonly body: unknown,
    /** Text the block's positions refer to when it was not parsed from the current line ([scriptblock]::Create). */
    readonly source?: string,
  ) {}
}

/** An object with ordered, case-insensitively named properties. */
export class PsObject {
  private readonly byLower = new Map<string, string>();
  private readonly values = new Map<string, PsValue>();

  constructor(
    /** .NET type name (`System.Management.Automation.PSCustomObject` for custom objects). */
    readonly typeName: string,
    props: Iterable<[string, PsValue]> = [],
    /** What `ToString()` gives: the text used when the object is past ConvertTo-Json's depth. */
    readonly toStringValue: string = typeName,
  ) {
    for (const [k, v] of props) this.set(k, v);
  }

  set(name: string, value: PsValue): void {
    const existing = this.byLower.get(name.toLowerCase());
    const key = existing ?? name;
    this.byLower.set(name.toLowerCase(), key);
    this.values.set(key, value);
  }

  has(name: string): boolean {
    return this.byLower.has(name.toLowerCase());
  }

  /** Property value; undefined when the property does not exist (PowerShell then yields $null). */
  get(name: string): PsValue | undefined {
    const key = this.byLower.get(name.toLowerCase());
    return key === undefined ? undefined : this.values.get(key);
  }

  entries(): [string, PsValue][] {
    return [...this.values.entries()];
  }
}

export const PS_CUSTOM_OBJECT = 'System.Management.Automation.PSCustomObject';

/** A hashtable literal `@{…}`: case-insensitive keys, insertion order kept for display. */
export class PsHashtable {
  private readonly map = new Map<string, { key: string; value: PsValue }>();

  set(key: string, value: PsValue): void {
    this.map.set(key.toLowerCase(), { key, value });
  }

  get(key: string): PsValue | undefined {
    return this.map.get(key.toLowerCase())?.value;
  }

  hasKey(key: string): boolean {
    return this.map.has(key.toLowerCase());
  }

  keys(): string[] {
    return [...this.map.values()].map((e) => e.key);
  }

  entries(): [string, PsValue][] {
    return [...this.map.values()].map((e) => [e.key, e.value]);
  }
}

/** `[string]$value` / string interpolation: how PowerShell turns a value into text. */
export function toPsString(v: PsValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v instanceof PsEnum) return v.name;
  if (v instanceof PsDate) return formatUsDate(v.ms);
  if (v instanceof PsObject) return v.toStringValue;
  if (v instanceof PsHashtable) return 'System.Collections.Hashtable';
  if (v instanceof PsScriptBlock) return v.text;
  return v.map(toPsString).join(' ');
}

/** en-US `DateTime.ToString()`: `4/7/2025 3:04:05 PM`. The lab's culture is en-US. */
export function formatUsDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** PowerShell's `-eq` for scalars: case-insensitive for strings, enums compare by name or number. */
export function psEquals(a: PsValue | undefined, b: PsValue | undefined): boolean {
  const norm = (v: PsValue | undefined): PsValue | undefined => (v instanceof PsEnum ? v.name : v);
  const x = norm(a);
  const y = norm(b);
  if (x === undefined || x === null || y === undefined || y === null) return (x ?? null) === (y ?? null);
  if (a instanceof PsEnum && typeof b === 'number') return a.value === b;
  if (b instanceof PsEnum && typeof a === 'number') return b.value === a;
  if (typeof x === 'string' || typeof y === 'string') return toPsString(x).toLowerCase() === toPsString(y).toLowerCase();
  return x === y;
}

/** Wildcard match as `-like` and `-Filter` do (`*`, `?`; case-insensitive). */
export function psLike(text: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'is').test(text);
}
