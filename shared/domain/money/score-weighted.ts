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
import { formatDecimal, formatFraction, formatFractionAsDecimal } from './exact-decimal.ts';
import { assertFen, fenFromBigInt } from './fen.ts';
import { assertOptionalFen, exactGateFactors, exactMeasures, formatScore, measureOf, parsePercentLike, prepareTeams } from './incentive-inputs.ts';
import { describeIncentiveLine } from './incentive-text.ts';
import type { GateEffect, IncentiveExplanation, IncentiveResult, ScoreWeightedOptions, TeamIncentiveInput } from './incentive-types.ts';

export function allocateScoreWeighted(teams: readonly TeamIncentiveInput[], options: ScoreWeightedOptions): IncentiveResult {
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

  const lines = prepared.map((team, i) => {
    const weight = weights[i]!;
    const limit = gateLimits[i] ?? null;
    const held = result.capApplied[i]!;
    const heldByGate = held && limit !== null && (teamCap === null || limit <= teamCap);
    const gateEffect: GateEffect = team.eligibility === 'void' ? 'voided' : heldByGate ? 'capped' : 'none';
    const amount = Number(result.amounts[i]!);
    const explanation: IncentiveExplanation = {
      score: formatScore(team.score),
      belowFloor: team.belowFloor,
      measure: { kind: options.sizeMeasure, value: formatDecimal(measureOf(team, options.sizeMeasure)) },
      rawShare: totalWeight === 0n ? '0' : formatFraction(weight, totalWeight),
      rawAmountFen: totalWeight === 0n ? '0' : formatFraction(pool * weight, totalWeight),
      entitledFen: null,
      tier: null,
      gate: {
        eligibility: team.eligibility,
        capPercent: team.capPercent === null ? null : formatDecimal(team.capPercent),
        limitFen: limit === null ? null : Number(limit),
        effect: gateEffect,
      },
      teamCapFen: options.teamCapFen ?? null,
      capApplied: held && !heldByGate,
      scaledDown: false,
      amount,
    };
    const sharePercent = totalWeight === 0n ? '0.0000' : formatFractionAsDecimal(weight * 100n, totalWeight, 4);
    const text = describeIncentiveLine(team.teamId, explanation, {
      method: 'score-weighted',
      scoreFloor: options.scoreFloor === undefined ? null : formatScore(parsePercentLike(options.scoreFloor, 'scoreFloor')),
      fenPerPoint: null,
      sharePercent,
    });
    return { teamId: team.teamId, amount, explanation, text };
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
