/**
 * A cache keyed by text and bounded by the total length of its keys: least recently used entries
 * go first. The parse caches hold results roughly proportional to their block's length (about 36
 * bytes per character for a PowerShell block), so a bound on characters is a bound on memory; a
 * bound on the number of entries was not (every keystroke in a long block made a new 0.8 MB entry).
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #maxChars: number;
  #chars = 0;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map order is insertion order: re-inserting makes the entry the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.#entries.delete(key)) this.#chars -= key.length;
    this.#entries.set(key, value);
    this.#chars += key.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#chars <= this.#maxChars || oldest === key) break;
      this.#entries.delete(oldest);
      this.#chars -= oldest.length;
    }
  }

  /** Characters held in keys (for tests). */
  get chars(): number {
    return this.#chars;
  }
}
