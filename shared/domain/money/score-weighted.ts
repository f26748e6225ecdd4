/**
 * Score-weighted incentives: weight = score × size measure; the pool is split in proportion
 * to the weights, with the team cap and gate limits enforced by capped allocation, so money a
 * cap or gate frees goes to the other teams.
 *
 * Gates: 'void' → weight 0 (the team gets nothing, its share goes to the others).
 * 'capped' → the team may receive at most capPercent of its raw amount, where the raw amount
 * is pool × weight / Σ weights of all teams that are not void and not below the floor, rounded
 * down to the fen. The limit acts exactly like a cap.
 */
import { allocateExactWithCaps } from './capped-allocation.ts';
import { assertFen, fenFromBigInt } from './fen.ts';
import { assertOptionalFen, exactGateFactors, exactMeasures, prepareTeams } from './incentive-inputs.ts';
import type { IncentiveLine, IncentiveResult, ScoreWeightedOptions, TeamIncentiveInput } from './incentive-types.ts';
import { lazyLine } from './lazy-line.ts';
import { allocateScoreWeightedSafe } from './fast/score-weighted-safe.ts';
import { callFacts, describeLine, explainLine, type LineFacts } from './score-weighted-lines.ts';

export function allocateScoreWeighted(teams: readonly TeamIncentiveInput[], options: ScoreWeightedOptions): IncentiveResult {
  assertFen(options.pool, 'pool');
  assertOptionalFen(options.teamCapFen, 'teamCapFen');
  return allocateScoreWeightedSafe(teams, options) ?? allocateScoreWeightedExact(teams, options);
}

/** The general rule, on exact integers (BigInt) for any inputs; allocateScoreWeighted takes it when the safe-integer path does not apply. */
export function allocateScoreWeightedExact(teams: readonly TeamIncentiveInput[], options: ScoreWeightedOptions): IncentiveResult {
  assertFen(options.pool, 'pool');
  const pool = BigInt(options.pool);
  const teamCap = assertOptionalFen(options.teamCapFen, 'teamCapFen');
  const prepared = prepareTeams(teams, options.scoreFloor);
  const measures = exactMeasures(prepared, options.sizeMeasure);
  const gates = exactGateFactors(prepared);

  const weights = prepared.map((team, i) => (team.eligibility === 'void' || team.belowFloor ? 0n : team.score.units * measures.units[i]!));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0n);
  const gateLimits = prepared.map((team, i) =>
    team.eligibility === 'capped' && totalWeight > 0n ? (pool * weights[i]! * gates.units[i]!) / (totalWeight * gates.denominator) : null,
  );
  const caps = gateLimits.map((limit) => (limit === null ? teamCap : teamCap === null || limit < teamCap ? limit : teamCap));

  const result = allocateExactWithCaps(
    pool,
    prepared.map((team, i) => ({ id: team.teamId, weight: weights[i]!, cap: caps[i] ?? null })),
  );

  const call = callFacts(options, pool, totalWeight);
  const lines = prepared.map((team, i): IncentiveLine => {
    const limit = gateLimits[i] ?? null;
    const held = result.capApplied[i]!;
    const source: LineFacts = {
      call,
      team,
      weight: weights[i]!,
      limit,
      held,
      heldByGate: held && limit !== null && (teamCap === null || limit <= teamCap),
      amount: Number(result.amounts[i]!),
    };
    // a district's lines are many and their explanations long: each is written when first read
    return lazyLine(team.teamId, source.amount, source, explainLine, describeLine);
  });

  return {
    method: 'score-weighted',
    pool: options.pool,
    paid: fenFromBigInt(pool - result.unallocated),
    unallocated: fenFromBigInt(result.unallocated),
    scaledDown: false,
    lines,
  };
}
