/**
 * Relative standing: the team's percentile rank among the district's teams with sufficient data
 * (see percentile.ts: worse + ½ × equal, over N, × 100). Points are maxPoints × rank/100, or,
 * when bands are configured, the band of the rank (bands over 0–100).
 */
import { type Distribution, percentileRank } from '../percentile.ts';
import { HUNDRED, type Ratio } from '../ratio.ts';
import { bandPoints, type CompiledBand, findBand } from './bands.ts';
import type { MethodIndicator, MethodOutcome } from './outcome.ts';

export function relativeStanding(indicator: MethodIndicator, bands: readonly CompiledBand[] | null, district: Distribution, value: Ratio): MethodOutcome {
  const standing = percentileRank(district, value, indicator.higherIsBetter);
  const points = bands ? bandPoints(bands, findBand(bands, standing.rank)) : indicator.maxPoints.mul(standing.rank).div(HUNDRED);
  const [rank2, rank1] = standing.rank.toFixedPair(2, 1);
  return {
    points,
    detail: { kind: 'relative-standing', percentileRank: rank2, teams: standing.teams },
    middle: { en: ` at percentile rank ${rank1} among ${standing.teams} teams`, zh: `，在 ${standing.teams} 个团队中百分位 ${rank1}` },
  };
}
