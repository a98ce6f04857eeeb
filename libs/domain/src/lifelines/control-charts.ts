/**
 * Control charts on a sensor's residuals (measured minus the value the hydraulic model expects), in
 * units of the sensor's residual standard deviation σ. Plain functions and classes: no I/O.
 */

/** One chart's verdict after a residual. */
export interface ChartState {
  /** The chart's statistic after this residual (σ units). */
  statistic: number;
  /** The control limit it is compared with (σ units). */
  limit: number;
  /** True when the statistic is beyond the limit on the side that means a leak. */
  alarm: boolean;
}

/**
 * Exponentially weighted moving average chart (Roberts 1959, "Control chart tests based on geometric
 * moving averages", Technometrics 1(3)); limits as in Montgomery, *Introduction to Statistical Quality
 * Control*, 7th ed., §9.2: z_i = λ·x_i + (1−λ)·z_{i−1}, z_0 = 0, limit L·sqrt(λ/(2−λ)·[1−(1−λ)^{2i}]).
 * Jung, Kang & Lansey (J. Hydroinformatics 17(2):307, 2015) found EWMA on nodal pressure the most
 * detectable of the charts they compared for bursts. A leak lowers pressure, so only the low side alarms.
 */
export class EwmaChart {
  private z = 0;
  private i = 0;
  /**
   * @param lambda smoothing weight in (0, 1] (Montgomery recommends 0.05–0.25)
   * @param L limit width in σ (≈ 2.7–3 for those λ)
   * @throws RangeError for λ outside (0, 1] or L ≤ 0
   */
  constructor(
    readonly lambda = 0.1,
    readonly L = 3,
  ) {
    if (!(lambda > 0 && lambda <= 1) || !(L > 0)) throw new RangeError(`EWMA needs 0 < lambda <= 1 and L > 0 (got ${lambda}, ${L})`);
  }
  /** Adds a standardised residual x (σ units; negative = lower than expected). */
  add(x: number): ChartState {
    this.i++;
    this.z = this.lambda * x + (1 - this.lambda) * this.z;
    const limit = this.L * Math.sqrt((this.lambda / (2 - this.lambda)) * (1 - Math.pow(1 - this.lambda, 2 * this.i)));
    return { statistic: this.z, limit, alarm: this.z < -limit };
  }
  /** Restarts the chart (after an alarm was dealt with). */
  reset(): void {
    this.z = 0;
    this.i = 0;
  }
}

/**
 * One-sided tabular CUSUM for a downward shift (Page 1954, "Continuous inspection schemes", Biometrika
 * 41; form and defaults from Montgomery §9.1): C_i = max(0, −x_i − k + C_{i−1}), alarm when C_i > h.
 * k = 0.5 and h = 5 (σ units) detect a one-σ shift with an in-control ARL of about 465 (Montgomery
 * Table 9.3).
 */
export class CusumChart {
  private c = 0;
  /** @throws RangeError for k < 0 or h ≤ 0 */
  constructor(
    readonly k = 0.5,
    readonly h = 5,
  ) {
    if (!(k >= 0) || !(h > 0)) throw new RangeError(`CUSUM needs k >= 0 and h > 0 (got ${k}, ${h})`);
  }
  /** Adds a standardised residual x (σ units). */
  add(x: number): ChartState {
    this.c = Math.max(0, -x - this.k + this.c);
    return { statistic: this.c, limit: this.h, alarm: this.c > this.h };
  }
  reset(): void {
    this.c = 0;
  }
}

/**
 * Gas pressure checks on raw values (no hydraulic model for gas here): below an absolute floor, or
 * falling faster than a rate, between two readings.
 * @param prev previous reading `{t: epoch seconds, value: kPa}` or null
 * @param cur this reading
 * @param minKpa the floor below which supply is unsafe, kPa
 * @param maxDropKpaPerMin the fastest acceptable fall, kPa per minute
 * @returns the reason (`below-floor`, `falling-fast`) or null when fine
 */
export function gasPressureCheck(prev: { t: number; value: number } | null, cur: { t: number; value: number }, minKpa: number, maxDropKpaPerMin: number): 'below-floor' | 'falling-fast' | null {
  if (cur.value < minKpa) return 'below-floor';
  if (prev && cur.t > prev.t) {
    const perMin = ((prev.value - cur.value) / (cur.t - prev.t)) * 60;
    if (perMin > maxDropKpaPerMin) return 'falling-fast';
  }
  return null;
}
