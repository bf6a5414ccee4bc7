import path from 'node:path';

/** BENCH_QUICK=1 shrinks counts and durations: the benchmark runs end to end, its numbers mean nothing. */
export const quick = process.env.BENCH_QUICK === '1';

/**
 * Where a benchmark writes its report: bench/results/<name>.md, or bench/tmp/<name>.md for a quick run
 * (ignored by git), so a smoke run never replaces measured figures.
 */
export function resultFile(name: string): string {
  return path.resolve(import.meta.dirname, '../../../bench', quick ? 'tmp' : 'results', `${name}.md`);
}

/** min / median / p95 / p99 / max of a sample (nearest rank). */
export function spread(values: readonly number[]): {
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
} {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
  return {
    min: s[0] ?? Number.NaN,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: s[s.length - 1] ?? Number.NaN,
    n: s.length,
  };
}

/** "min / median / max" of a few rounds, as the summary tables print them. */
export function range(values: readonly number[], digits = 0): string {
  const s = spread(values);
  return `${s.min.toFixed(digits)} / ${s.p50.toFixed(digits)} / ${s.max.toFixed(digits)}`;
}
