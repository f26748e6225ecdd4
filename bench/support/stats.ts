/** Small statistics for timings: median, percentiles of latency samples, rates and ratios. */

/** The value at quantile q (0-1) of the samples, nearest rank; NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** items per second from a count and milliseconds */
export const perSecond = (items: number, ms: number): number => (ms > 0 ? (items * 1000) / ms : Number.NaN);

/** measured ÷ baseline, both "higher is better" (throughputs) */
export const ratio = (measured: number, baseline: number): number => (baseline > 0 ? measured / baseline : Number.NaN);

export const megabytes = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;
