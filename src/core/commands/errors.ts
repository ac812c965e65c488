/** The one error every value parser throws: it names the kind of value and why it was refused. */

/** Kinds of value the command builders accept; each has a `parse…` function in values.ts or enums.ts. */
export type ValueKind =
  | 'fqdn'
  | 'xds-identity'
  | 'sql-instance-name'
  | 'database-name'
  | 'windows-path'
  | 'unc-path'
  | 'file-path'
  | 'file-name'
  | 'backup-module'
  | 'pool-state'
  | 'database-type'
  | 'backup-category'
  | 'spid'
  | 'lsn'
  | 'guid'
  | 'nonce'
  | 'powershell-string'
  | 'sql-string';

export class InvalidValueError extends Error {
  override readonly name = 'InvalidValueError';

  constructor(
    readonly kind: ValueKind,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`Invalid ${kind} ${JSON.stringify(value)}: ${reason}`);
  }
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: InvalidValueError };

/** Runs a throwing parser and returns its outcome as data (for checks that collect problems). */
export function tryParse<T>(parse: (input: string) => T, input: string): ParseResult<T> {
  try {
    return { ok: true, value: parse(input) };
  } catch (e) {
    if (e instanceof InvalidValueError) return { ok: false, error: e };
    throw e;
  }
}
