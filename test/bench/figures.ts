/** What a bench module reports: `run()` of every `test/bench/*.bench.ts` returns these. */
export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The most `value` may be for the figure to be acceptable. */
  readonly limit?: number;
  /** Whether the figure is acceptable; when absent and `limit` is set, `value <= limit`. */
  readonly ok?: boolean;
}

export interface BenchModule {
  run(): Promise<BenchFigure[]>;
}

/** Median wall time of `fn` in milliseconds, over `runs` runs after `warmup` unmeasured ones. */
export function medianMs(fn: () => unknown, { runs = 15, warmup = 5 } = {}): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const middle = times.length >> 1;
  return times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
}

export function isAcceptable(figure: BenchFigure): boolean {
  return figure.ok ?? (figure.limit === undefined || figure.value <= figure.limit);
}
