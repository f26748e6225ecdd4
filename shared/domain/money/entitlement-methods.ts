/**
 * Methods that pay each team what it earned — value per point and grade tiers — within the pool.
 *
 * entitled = raw amount × gate factor (void 0, capped capPercent/100), then at most the team cap.
 * If Σ entitled ≤ pool: the teams are paid their entitlements, each rounded to a whole fen so
 * that the total is Σ entitled rounded down (largest remainder; whole-fen entitlements are paid
 * exactly), and the rest of the pool is unallocated.
 * If Σ entitled > pool: the pool is split in proportion to the entitlements (budget neutrality),
 * by the largest-remainder method, so the lines add up to the pool exactly.
 */
import { formatDecimal, formatFraction } from './exact-decimal.ts';
import { assertFen, type Fen, fenFromBigInt } from './fen.ts';
import {
  assertOptionalFen,
  exactGateFactors,
  exactMeasures,
  formatScore,
  measureOf,
  type PreparedTeam,
  parsePercentLike,
  prepareTeams,
} from './incentive-inputs.ts';
import { describeIncentiveLine } from './incentive-text.ts';
import type {
  GradeTiersOptions,
  IncentiveExplanation,
  IncentiveMethod,
  IncentiveResult,
  SizeMeasure,
  TeamIncentiveInput,
  ValuePerPointOptions,
} from './incentive-types.ts';
import { largestRemainder, roundEntitlements } from './largest-remainder.ts';
import { invalidMoneyInput } from './money-errors.ts';

export function allocateValuePerPoint(teams: readonly TeamIncentiveInput[], options: ValuePerPointOptions): IncentiveResult {
  assertFen(options.fenPerPoint, 'fenPerPoint');
  const prepared = prepareTeams(teams, options.scoreFloor);
  const kind = options.sizeMeasure === undefined || options.sizeMeasure === 'none' ? null : options.sizeMeasure;
  const measures = kind === null ? null : exactMeasures(prepared, kind);
  const perPoint = BigInt(options.fenPerPoint);
  // score is in hundredths of a point, the measure in units of 1/measures.denominator
  const raw = prepared.map((team, i) => team.score.units * perPoint * (measures === null ? 1n : measures.units[i]!));
  const rawDenominator = 100n * (measures === null ? 1n : measures.denominator);
  return payEntitlements(prepared, raw, rawDenominator, options, {
    method: 'value-per-point',
    measureKind: kind,
    tiers: prepared.map(() => null),
    fenPerPoint: options.fenPerPoint,
  });
}

export function allocateGradeTiers(teams: readonly TeamIncentiveInput[], options: GradeTiersOptions): IncentiveResult {
  const tiers = prepareTiers(options.tiers);
  const prepared = prepareTeams(teams, options.scoreFloor);
  const reached = prepared.map((team) => tiers.find((tier) => team.score.units >= tier.minScoreUnits) ?? null);
  return payEntitlements(
    prepared,
    reached.map((tier) => (tier === null ? 0n : BigInt(tier.amountFen))),
    1n,
    options,
    {
      method: 'grade-tiers',
      measureKind: null,
      tiers: reached.map((tier) => (tier === null ? null : { minScore: tier.minScore, amountFen: tier.amountFen })),
      fenPerPoint: null,
    },
  );
}

interface PreparedTier {
  minScore: string;
  minScoreUnits: bigint;
  amountFen: Fen;
}

/** Highest bound first, so the first tier a score reaches is its tier. */
function prepareTiers(tiers: GradeTiersOptions['tiers']): PreparedTier[] {
  const prepared = tiers.map((tier, i) => {
    assertFen(tier.amountFen, `amountFen of tier ${i + 1}`);
    const minScore = parsePercentLike(tier.minScore, `minScore of tier ${i + 1}`);
    return { minScore: formatScore(minScore), minScoreUnits: minScore.units, amountFen: tier.amountFen };
  });
  prepared.sort((a, b) => (a.minScoreUnits > b.minScoreUnits ? -1 : a.minScoreUnits < b.minScoreUnits ? 1 : 0));
  prepared.forEach((tier, i) => {
    if (i > 0 && prepared[i - 1]!.minScoreUnits === tier.minScoreUnits) {
      throw invalidMoneyInput('duplicate-tier', `Two tiers start at ${tier.minScore}`, { minScore: tier.minScore });
    }
  });
  return prepared;
}

interface MethodDetails {
  method: IncentiveMethod;
  measureKind: SizeMeasure | null;
  tiers: ({ minScore: string; amountFen: Fen } | null)[];
  fenPerPoint: Fen | null;
}

function payEntitlements(
  teams: readonly PreparedTeam[],
  raw: readonly bigint[],
  rawDenominator: bigint,
  options: { pool: Fen; teamCapFen?: Fen; scoreFloor?: number | string },
  details: MethodDetails,
): IncentiveResult {
  assertFen(options.pool, 'pool');
  const pool = BigInt(options.pool);
  const teamCap = assertOptionalFen(options.teamCapFen, 'teamCapFen');
  const gates = exactGateFactors(teams);
  const denominator = rawDenominator * gates.denominator;

  const gated = teams.map((team, i) => (team.belowFloor ? 0n : raw[i]! * gates.units[i]!));
  const capInUnits = teamCap === null ? null : teamCap * denominator;
  const entitled = gated.map((value) => (capInUnits !== null && value > capInUnits ? capInUnits : value));
  const totalEntitled = entitled.reduce((sum, value) => sum + value, 0n);
  const scaledDown = totalEntitled > pool * denominator;

  const weighted = teams.map((team, i) => ({ id: team.teamId, weight: entitled[i]! }));
  const amounts = scaledDown ? largestRemainder(pool, weighted) : roundEntitlements(weighted, denominator);
  const paid = amounts.reduce((sum, amount) => sum + amount, 0n);
  const scoreFloor = options.scoreFloor === undefined ? null : formatScore(parsePercentLike(options.scoreFloor, 'scoreFloor'));

  const lines = teams.map((team, i) => {
    const amount = Number(amounts[i]!);
    const explanation: IncentiveExplanation = {
      score: formatScore(team.score),
      belowFloor: team.belowFloor,
      measure: details.measureKind === null ? null : { kind: details.measureKind, value: formatDecimal(measureOf(team, details.measureKind)) },
      rawShare: null,
      rawAmountFen: formatFraction(raw[i]!, rawDenominator),
      entitledFen: formatFraction(entitled[i]!, denominator),
      tier: details.tiers[i] ?? null,
      gate: {
        eligibility: team.eligibility,
        capPercent: team.capPercent === null ? null : formatDecimal(team.capPercent),
        limitFen: null,
        effect: gateEffect(team, raw[i]!, gates.units[i]!, gates.denominator),
      },
      teamCapFen: options.teamCapFen ?? null,
      capApplied: entitled[i]! < gated[i]!,
      scaledDown,
      amount,
    };
    const text = describeIncentiveLine(team.teamId, explanation, {
      method: details.method,
      scoreFloor,
      fenPerPoint: details.fenPerPoint,
      sharePercent: null,
    });
    return { teamId: team.teamId, amount, explanation, text };
  });

  return {
    method: details.method,
    pool: options.pool,
    paid: fenFromBigInt(paid),
    unallocated: fenFromBigInt(pool - paid),
    scaledDown,
    lines,
  };
}

function gateEffect(team: PreparedTeam, raw: bigint, factor: bigint, full: bigint): IncentiveExplanation['gate']['effect'] {
  if (team.eligibility === 'void') return 'voided';
  return !team.belowFloor && raw > 0n && factor < full ? 'capped' : 'none';
}
