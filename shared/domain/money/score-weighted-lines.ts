/** The explanation and text of a score-weighted line, written from its facts when first read. */
import { formatDecimal, formatFraction, formatFractionAsDecimal } from './exact-decimal.ts';
import type { Fen } from './fen.ts';
import { formatScore, measureOf, type PreparedTeam, parsePercentLike } from './incentive-inputs.ts';
import { describeIncentiveLine } from './incentive-text.ts';
import type { GateEffect, IncentiveExplanation, ScoreWeightedOptions } from './incentive-types.ts';

export function callFacts(options: ScoreWeightedOptions, pool: bigint, totalWeight: bigint): CallFacts {
  return {
    pool,
    totalWeight,
    sizeMeasure: options.sizeMeasure,
    teamCapFen: options.teamCapFen ?? null,
    scoreFloor: options.scoreFloor === undefined ? null : formatScore(parsePercentLike(options.scoreFloor, 'scoreFloor')),
  };
}

/** What every line of one allocation shares. */
export interface CallFacts {
  pool: bigint;
  totalWeight: bigint;
  sizeMeasure: ScoreWeightedOptions['sizeMeasure'];
  teamCapFen: Fen | null;
  scoreFloor: string | null;
}

/** What one line's explanation and text are written from. */
export interface LineFacts {
  call: CallFacts;
  team: PreparedTeam;
  weight: bigint;
  limit: bigint | null;
  held: boolean;
  heldByGate: boolean;
  amount: Fen;
}

export function explainLine(line: LineFacts): IncentiveExplanation {
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

export function describeLine(line: LineFacts, explanation: IncentiveExplanation): { en: string; zh: string } {
  const { call, weight } = line;
  return describeIncentiveLine(line.team.teamId, explanation, {
    method: 'score-weighted',
    scoreFloor: call.scoreFloor,
    fenPerPoint: null,
    sharePercent: call.totalWeight === 0n ? '0.0000' : formatFractionAsDecimal(weight * 100n, call.totalWeight, 4),
  });
}
