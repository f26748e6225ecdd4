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
import { assertFen, type Fen, fenFromBigInt } from './fen.ts';
import { assertOptionalFen, exactGateFactors, exactMeasures, formatScore, measureOf, type PreparedTeam, parsePercentLike, prepareTeams } from './incentive-inputs.ts';
import { describeIncentiveLine } from './incentive-text.ts';
import { lazyLine } from './lazy-line.ts';
import type { GateEffect, IncentiveExplanation, IncentiveLine, IncentiveResult, ScoreWeightedOptions, TeamIncentiveInput } from './incentive-types.ts';

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

  const call: CallFacts = {
    pool,
    totalWeight,
    sizeMeasure: options.sizeMeasure,
    teamCapFen: options.teamCapFen ?? null,
    scoreFloor: options.scoreFloor === undefined ? null : formatScore(parsePercentLike(options.scoreFloor, 'scoreFloor')),
  };
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

/** What every line of one allocation shares. */
interface CallFacts {
  pool: bigint;
  totalWeight: bigint;
  sizeMeasure: ScoreWeightedOptions['sizeMeasure'];
  teamCapFen: Fen | null;
  scoreFloor: string | null;
}

/** What one line's explanation and text are written from. */
interface LineFacts {
  call: CallFacts;
  team: PreparedTeam;
  weight: bigint;
  limit: bigint | null;
  held: boolean;
  heldByGate: boolean;
  amount: Fen;
}

function explainLine(line: LineFacts): IncentiveExplanation {
  const { call, team, weight, limit, held, heldByGate, amount } = line;
  const gateEffect: GateEffect = team.eligibility === 'void' ? 'voided' : heldByGate ? 'capped' : 'none';
  return {
    score: formatScore(team.score),
    belowFloor: team.belowFloor,
    measure: { kind: call.sizeMeasure, value: formatDecimal(measureOf(team, call.sizeMeasure)) },
    rawShare: call.totalWeight === 0n ? '0' : formatFraction(weight, call.totalWeight),
    rawAmountFen: call.totalWeight === 0n ? '0' : formatFraction(call.pool * weight, call.totalWeight),
    entitledFen: null,
    tier: null,
    gate: {
      eligibility: team.eligibility,
      capPercent: team.capPercent === null ? null : formatDecimal(team.capPercent),
      limitFen: limit === null ? null : Number(limit),
      effect: gateEffect,
    },
    teamCapFen: call.teamCapFen,
    capApplied: held && !heldByGate,
    scaledDown: false,
    amount,
  };
}

function describeLine(line: LineFacts, explanation: IncentiveExplanation): { en: string; zh: string } {
  const { call, weight } = line;
  return describeIncentiveLine(line.team.teamId, explanation, {
    method: 'score-weighted',
    scoreFloor: call.scoreFloor,
    fenPerPoint: null,
    sharePercent: call.totalWeight === 0n ? '0.0000' : formatFractionAsDecimal(weight * 100n, call.totalWeight, 4),
  });
}
