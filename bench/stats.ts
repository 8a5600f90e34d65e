/** Small shared measuring helpers for the benchmarks; every figure goes through these. */

/** Nearest-rank percentiles of a sample, in the sample's unit. */
export function percentiles(values: number[], ps: number[] = [50, 99]): Record<string, number> {
  const sorted = Float64Array.from(values).sort();
  const out: Record<string, number> = {};
  for (const p of ps) {
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    out[`p${p}`] = sorted.length ? sorted[rank - 1] : NaN;
  }
  return out;
}

/** Runs fn and returns its result with the wall time in milliseconds. */
export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** Times fn once per input and returns the per-call milliseconds. */
export async function timeEach<I>(inputs: I[], fn: (input: I, i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const t0 = performance.now();
    await fn(inputs[i], i);
    ms.push(performance.now() - t0);
  }
  return ms;
}

export function rssMb(): number {
  return mb(process.memoryUsage().rss);
}

export function mb(bytes: number): number {
  return round(bytes / 2 ** 20, 1);
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Asks V8 for a full collection when node runs with --expose-gc, so RSS figures are comparable. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
