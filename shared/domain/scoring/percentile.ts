/**
 * District distributions, exactly: the 50th percentile (linear interpolation between closest
 * ranks), the mean of the best decile, and a team's percentile rank with a mid-rank tie rule.
 * Every function takes values sorted ascending.
 */
import { HUNDRED, Ratio, sumMany } from './ratio.ts';

/**
 * A district's values for percentile ranks: the distinct values, sorted, with their nearest
 * doubles and how many teams lie below each. Searches compare doubles whenever they differ by more
 * than their possible rounding error and compare exactly otherwise, so results are exact.
 */
export class Distribution {
  readonly size: number;
  private readonly distinct: Ratio[] = [];
  private readonly approx: Float64Array;
  /** below[i]: teams with a value less than distinct[i]; below[length] = size. */
  private readonly below: number[] = [];

  constructor(sortedAscending: readonly Ratio[]) {
    this.size = sortedAscending.length;
    sortedAscending.forEach((value, index) => {
      const previous = this.distinct[this.distinct.length - 1];
      if (previous?.eq(value)) return;
      this.distinct.push(value);
      this.below.push(index);
    });
    this.below.push(this.size);
    this.approx = Float64Array.from(this.distinct, (v) => v.toNumber());
  }

  /** Teams with a value below `value`, and teams with exactly `value`. */
  countAround(value: Ratio): { below: number; equal: number } {
    const target = value.toNumber();
    // each double is within a few units in the last place of its value; 1e-12 relative is ample
    const slack = Math.abs(target) * 1e-12 + 1e-300;
    let lo = 0;
    let hi = this.distinct.length;
    let found = -1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const a = this.approx[mid] as number;
      const c = a < target - slack ? -1 : a > target + slack ? 1 : (this.distinct[mid] as Ratio).cmp(value);
      if (c < 0) lo = mid + 1;
      else {
        if (c === 0) found = mid;
        hi = mid;
      }
    }
    const below = this.below[lo] as number;
    return { below, equal: found < 0 ? 0 : (this.below[found + 1] as number) - below };
  }
}

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks (Hyndman–Fan type 7,
 * as Excel PERCENTILE.INC and numpy's default): h = (N − 1) × p/100, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]),
 * 0-based. For p = 50 it is the ordinary median. Null for no values.
 */
export function percentile(sorted: readonly Ratio[], p: Ratio): Ratio | null {
  if (sorted.length === 0) return null;
  const h = Ratio.of(sorted.length - 1)
    .mul(p)
    .div(HUNDRED);
  const lo = Number(h.floor());
  const below = sorted[lo] as Ratio;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as Ratio;
  return below.add(h.sub(Ratio.of(lo)).mul(above.sub(below)));
}

/** Mean of the best ⌈N/10⌉ values (the largest when higher is better, else the smallest). Null for no values. */
export function topDecileMean(sorted: readonly Ratio[], higherIsBetter: boolean): Ratio | null {
  if (sorted.length === 0) return null;
  const k = Math.ceil(sorted.length / 10);
  const best = higherIsBetter ? sorted.slice(sorted.length - k) : sorted.slice(0, k);
  return sumMany(best).div(Ratio.of(k));
}

export interface Standing {
  /** (teams worse + ½ × teams equal, the team itself included) / N × 100 */
  rank: Ratio;
  worse: number;
  equal: number;
  teams: number;
}

/**
 * Percentile rank of `value` among `sorted` (which should include it): the share of teams doing
 * worse, counting ties as half, so tied teams share one rank and a sole team stands at 50.
 */
export function percentileRank(distribution: Distribution, value: Ratio, higherIsBetter: boolean): Standing {
  const { below, equal } = distribution.countAround(value);
  const teams = distribution.size;
  const worse = higherIsBetter ? below : teams - below - equal;
  const rank = teams === 0 ? Ratio.of(50) : Ratio.of(100 * (2 * worse + equal), 2 * teams);
  return { rank, worse, equal, teams };
}
