/** Percentile (nearest rank) of unsorted values; NaN for none. */
export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** p50 / p95 / p99 / max, rounded to 0.1. */
export function summary(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const r = (x: number) => Math.round(x * 10) / 10;
  let max = values.length ? -Infinity : NaN;
  for (const v of values) if (v > max) max = v; // no Math.max(...values): millions of samples overflow the stack
  const s = [...values].sort((a, b) => a - b);
  return { n: values.length, p50: r(pct(s, 50)), p95: r(pct(s, 95)), p99: r(pct(s, 99)), max: r(max) };
}
