/**
 * Order statistics: the one home of the quantile, the median and the nearest-rank percentile used by
 * situation reports, drill reports, response plans, the travel model, data import and the benchmarks.
 * Pure functions; the input list is never reordered.
 */

/**
 * Quantile `q` of a list by linear interpolation between order statistics (Hyndman & Fan 1996,
 * "Sample quantiles in statistical packages", type 7: the default of R and of NumPy's `percentile`).
 * @param values any finite numbers, in any order (not modified)
 * @param q 0..1 (0.5: the median, 0.9: the 90th percentile); outside that range it is clamped
 * @returns the quantile, in the values' unit; NaN for an empty list
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (h - lo);
}

/**
 * Median of a list: the middle value, or the mean of the two middle values of an even-sized list
 * (the same figure as `quantile(values, 0.5)`, computed without interpolation rounding).
 * @param values any finite numbers, in any order (not modified)
 * @returns the median, in the values' unit; NaN for an empty list
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Nearest-rank percentile: the smallest value with at least a share `q` of the list at or below it
 * (the value of rank ⌈q·n⌉, 1-based; NIST/Wikipedia "nearest-rank method"). Always one of the values,
 * never interpolated: what benchmarks report as p50/p95/p99 and what a run card's "90 % of incidents
 * needed at most k units" means.
 * @param values any finite numbers, in any order (not modified)
 * @param q share, 0..1 (0.95 for the 95th percentile); q <= 0 gives the minimum, q >= 1 the maximum
 * @returns one of the values; NaN for an empty list
 */
export function nearestRank(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
