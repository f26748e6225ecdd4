/** Validation and exact normalisation of the per-team inputs shared by every incentive method. */
import { pow10 } from '../exact/integers.ts';
import { compareDecimals, type ExactDecimal, formatDecimal, maxScale, parseDecimal, unitsAtScale } from './exact-decimal.ts';
import { assertFen, type Fen } from './fen.ts';
import type { Eligibility, ScoreInput, SizeMeasure, TeamIncentiveInput } from './incentive-types.ts';
import { assertUniqueIds } from './line-ids.ts';
import { invalidMoneyInput } from './money-errors.ts';

const HUNDRED: ExactDecimal = { units: 100n, scale: 0 };
const MEASURE_DECIMALS = 6;
const ELIGIBILITIES: readonly Eligibility[] = ['eligible', 'capped', 'void'];
const SIZE_MEASURES: readonly SizeMeasure[] = ['active-contracts', 'weighted-residents'];

export interface PreparedTeam {
  teamId: string;
  /** score in hundredths of a point (scale 2) */
  score: ExactDecimal;
  eligibility: Eligibility;
  belowFloor: boolean;
  /** gate percentage, only for 'capped' */
  capPercent: ExactDecimal | null;
  activeContracts: number;
  weightedResidents: ExactDecimal;
}

/** A 0–100 value with at most two decimals, on scale 2 ("87.5" → 8750 hundredths). */
export function parsePercentLike(value: ScoreInput, label: string): ExactDecimal {
  const parsed = parseDecimal(value, label, 2);
  if (compareDecimals(parsed, HUNDRED) > 0) throw invalidMoneyInput('out-of-range', `${label} must be between 0 and 100`, { field: label });
  return { units: unitsAtScale(parsed, 2), scale: 2 };
}

export function prepareTeams(teams: readonly TeamIncentiveInput[], scoreFloor: ScoreInput | undefined): PreparedTeam[] {
  assertUniqueIds(
    teams.map((team) => team.teamId),
    'team',
  );
  const floor = scoreFloor === undefined ? null : parsePercentLike(scoreFloor, 'scoreFloor');
  return teams.map((team) => {
    const score = parsePercentLike(team.score, `score of ${team.teamId}`);
    if (!ELIGIBILITIES.includes(team.eligibility)) {
      throw invalidMoneyInput('invalid-eligibility', `eligibility of ${team.teamId} must be eligible, capped or void`, { teamId: team.teamId });
    }
    if (team.eligibility === 'capped' && team.gateCapPercent === undefined) {
      throw invalidMoneyInput('gate-cap-missing', `Team ${team.teamId} is capped by a gate but has no gateCapPercent`, { teamId: team.teamId });
    }
    if (!Number.isSafeInteger(team.activeContracts) || team.activeContracts < 0) {
      throw invalidMoneyInput('invalid-count', `activeContracts of ${team.teamId} must be a non-negative integer`, { teamId: team.teamId });
    }
    return {
      teamId: team.teamId,
      score,
      eligibility: team.eligibility,
      belowFloor: floor !== null && score.units < floor.units,
      capPercent: team.eligibility === 'capped' ? parsePercentLike(team.gateCapPercent!, `gateCapPercent of ${team.teamId}`) : null,
      activeContracts: team.activeContracts,
      weightedResidents: parseDecimal(team.weightedResidents, `weightedResidents of ${team.teamId}`, MEASURE_DECIMALS),
    };
  });
}

export function measureOf(team: PreparedTeam, kind: SizeMeasure): ExactDecimal {
  return kind === 'active-contracts' ? { units: BigInt(team.activeContracts), scale: 0 } : team.weightedResidents;
}

/** Every team's size measure as integers on one scale, with that scale's denominator. */
export function exactMeasures(teams: readonly PreparedTeam[], kind: SizeMeasure): { units: bigint[]; denominator: bigint } {
  if (!SIZE_MEASURES.includes(kind)) {
    throw invalidMoneyInput('invalid-size-measure', 'sizeMeasure must be active-contracts or weighted-residents', { field: 'sizeMeasure' });
  }
  const values = teams.map((team) => measureOf(team, kind));
  const scale = maxScale(values);
  return { units: values.map((value) => unitsAtScale(value, scale)), denominator: pow10(scale) };
}

/**
 * The gate factor of every team as integers over one denominator (100% = denominator):
 * eligible → the denominator, capped → its percentage, void → 0.
 */
export function exactGateFactors(teams: readonly PreparedTeam[]): { units: bigint[]; denominator: bigint } {
  const denominator = 100n * pow10(2); // percentages are on scale 2
  return {
    units: teams.map((team) => {
      if (team.eligibility === 'void') return 0n;
      return team.capPercent === null ? denominator : team.capPercent.units;
    }),
    denominator,
  };
}

export function assertOptionalFen(value: Fen | undefined, label: string): bigint | null {
  if (value === undefined) return null;
  assertFen(value, label);
  return BigInt(value);
}

export function formatScore(score: ExactDecimal): string {
  return formatDecimal(score, 2);
}
