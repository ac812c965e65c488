/**
 * The small YAML tree the estate loader builds its model from: mappings, sequences and resolved
 * scalars with source offsets. Two readers produce it (yaml-subset-reader, yaml-document-reader);
 * the loader never sees which one did.
 */
export type ScalarValue = string | number | boolean | null;

interface Span {
  /** Offset of the node's first character (a quote, bracket or dash included). */
  readonly start: number;
  /** Offset just past the node's last character; equal to `start` for an empty value. */
  readonly end: number;
}

export interface YamlScalar extends Span {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
}

export interface YamlPair {
  readonly key: YamlNode;
  readonly value: YamlNode;
}

export interface YamlMap extends Span {
  readonly kind: 'map';
  readonly pairs: readonly YamlPair[];
}

export interface YamlSeq extends Span {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq;

/** A syntax error or warning of the YAML text, by offsets. */
export interface YamlIssue {
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly start: number;
  readonly end: number;
}

/**
 * How a plain (unquoted) scalar resolves under the YAML 1.2 core schema, which is the `yaml`
 * package's default: the subset reader must agree with it exactly.
 */
export function resolvePlainScalar(text: string): ScalarValue {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  const first = text.charCodeAt(0);
  // Numbers start with a digit, a sign or a dot; everything else is a string.
  if (!(first >= 48 && first <= 57) && first !== 43 && first !== 45 && first !== 46) return text;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return parseFloat(text);
  return text;
}

/** The value at `key` of a mapping (first match), with its pair. */
export function pairOf(map: YamlMap, key: string): YamlPair | undefined {
  return map.pairs.find((pair) => pair.key.kind === 'scalar' && pair.key.value === key);
}
