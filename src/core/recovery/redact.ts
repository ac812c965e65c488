/**
 * Secret redaction for anything written down (journal, logs). Two layers: patterns for values
 * that look like credentials (`Password=…`, `pwd=…`, `-Password '…'`, `"password": "…"`), and an
 * explicit list of known secrets, also in the forms they take once quoted for SQL (`'` doubled),
 * PowerShell (`'` doubled) or JSON (escaped). The one redaction of every output: journals, CLI
 * output, step output files, the log channels and reports.
 */

export const REDACTED = '***';

const PATTERNS: readonly [RegExp, string][] = [
  // Password=x; pwd = 'x y'; "password": "x"; passwd:x — connection strings, JSON, key/value text.
  [/\b(password|passwd|pwd)("?\s*[=:]\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^;,\s'"}]+)/gi, `$1$2${REDACTED}`],
  // -Password 'x' / -Password $x stays; PowerShell literal arguments only.
  [/(-(?:Password|Pwd|Credential)\s+)('(?:[^']|'')*'|"(?:[^"`]|`.)*")/gi, `$1${REDACTED}`],
  // ConvertTo-SecureString 'x' -AsPlainText
  [/(ConvertTo-SecureString\s+(?:-String\s+)?)('(?:[^']|'')*'|"(?:[^"`]|`.)*")/gi, `$1${REDACTED}`],
];

/** Object keys whose values are always withheld. */
const SECRET_KEY = /(pass(word|wd)?|pwd)$|secret|token|credential/i;

export class Redactor {
  private readonly variants: readonly string[];

  constructor(secrets: readonly string[] = []) {
    const forms = new Set<string>();
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length === 0) continue;
      // Output is often split into lines: each line of a multi-line secret is a secret too.
      const lines = s.split(/\r\n|\r|\n/).filter((l) => l !== '');
      for (const part of lines.length > 1 ? [s, ...lines] : [s]) {
        forms.add(part);
        forms.add(part.replaceAll("'", "''"));
        forms.add(JSON.stringify(part).slice(1, -1));
      }
    }
    // Longest first, so a secret containing another is replaced whole.
    this.variants = [...forms].sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const v of this.variants) out = out.split(v).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** Deep copy with every string redacted and secret-named keys withheld. */
  value<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value instanceof Date) return value;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null && v !== undefined ? REDACTED : this.walk(v)]));
    }
    return value;
  }
}

/**
 * The secrets met so far (typed, read from secret storage, a rehearsal lab's), in memory only: the
 * redaction of outputs that outlive one run — the log channels and saved step output.
 */
export class KnownSecrets {
  readonly #secrets = new Set<string>();
  #redactor = new Redactor();

  add(secrets: Iterable<string>): void {
    const before = this.#secrets.size;
    for (const s of secrets) if (s) this.#secrets.add(s);
    if (this.#secrets.size !== before) this.#redactor = new Redactor([...this.#secrets]);
  }

  text(value: string): string {
    return this.#redactor.text(value);
  }
}
