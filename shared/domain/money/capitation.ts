/**
 * Capitation: a share of the pool split over institutions, then over their teams, by weighted
 * population measures (openIMIS's capitation payment, for instance, weighs catchment population
 * and insured people). For institution i and measures m with weights w_m:
 *
 *   amount_i = capitation pool × Σ_m w_m × (i's measure m / the district's measure m) / Σ_m w_m
 *
 * with the capitation pool = pool × poolSharePercent / 100 (rounded down to the fen). Measures:
 * catchment population (the registry's figure per institution), insured contracts and
 * key-population contracts (contracts in force on the period's last day). A measure nobody has
 * (district total 0) pays nobody: its part stays unallocated. Within an institution its amount
 * goes to its teams by the same weights over the teams' own measures, catchment population
 * standing for the team's active contracts (a team serves its contracted residents); an
 * institution whose teams have no contracts at all splits evenly.
 *
 * Exact: every quota is a fraction of integers (bigint); institution amounts are rounded by the
 * largest-remainder method to the fen of Σ quotas, team amounts by the largest-remainder method
 * to the institution's amount, so lines always add up. Institutions without teams take no part
 * (their money could not be paid to anyone).
 */
import { isInForce } from '../contracts.ts';
import { DomainError } from '../errors.ts';
import { parseDecimal, unitsAtScale } from './exact-decimal.ts';
import type { Fen } from './fen.ts';
import { largestRemainder, roundEntitlements } from './largest-remainder.ts';

export const CAPITATION_MEASURES = ['catchmentPopulation', 'insuredContracts', 'keyPopulationContracts'] as const;
export type CapitationMeasure = (typeof CAPITATION_MEASURES)[number];

export interface CapitationParameters {
  /** 0–100, at most two decimals: the part of the pool paid by capitation */
  poolSharePercent: string;
  /** weight per measure (decimal strings); only ratios matter */
  weights: Record<CapitationMeasure, string>;
}

export interface CapitationTeam {
  teamId: string;
  activeContracts: number;
  insuredContracts: number;
  keyPopulationContracts: number;
}

export interface CapitationInstitution {
  institutionId: string;
  /** the registry's catchment population; 0 when unknown */
  catchmentPopulation: number;
  teams: CapitationTeam[];
}

export interface CapitationResult {
  /** pool × share, rounded down */
  capitationPoolFen: Fen;
  paidFen: Fen;
  /** pool − paid */
  unallocatedFen: Fen;
  institutions: { institutionId: string; amountFen: Fen; measures: Record<CapitationMeasure, number> }[];
  teams: { teamId: string; institutionId: string; amountFen: Fen; text: { en: string; zh: string } }[];
}

const DECIMALS = 2;

function weightUnits(parameters: CapitationParameters): Record<CapitationMeasure, bigint> {
  const result = {} as Record<CapitationMeasure, bigint>;
  for (const m of CAPITATION_MEASURES) result[m] = unitsAtScale(parseDecimal(parameters.weights[m], `method.weights.${m}`, DECIMALS), DECIMALS);
  return result;
}

/**
 * Numerators of Σ_m w_m × value_m / total_m over a common denominator Π total_m (measures with a
 * zero total left out), one per row; the denominator is returned too.
 */
function weightedShares(
  rows: readonly Record<CapitationMeasure, number>[],
  weights: Record<CapitationMeasure, bigint>,
): { numerators: bigint[]; denominator: bigint; used: bigint } {
  const totals = {} as Record<CapitationMeasure, bigint>;
  for (const m of CAPITATION_MEASURES) totals[m] = rows.reduce((sum, row) => sum + BigInt(row[m]), 0n);
  const active = CAPITATION_MEASURES.filter((m) => weights[m] > 0n && totals[m] > 0n);
  const denominator = active.reduce((product, m) => product * totals[m], 1n);
  const numerators = rows.map((row) => active.reduce((sum, m) => sum + (weights[m] * BigInt(row[m]) * denominator) / totals[m], 0n));
  return { numerators, denominator, used: active.reduce((sum, m) => sum + weights[m], 0n) };
}

export function allocateCapitation(poolFen: Fen, parameters: CapitationParameters, institutions: readonly CapitationInstitution[]): CapitationResult {
  const weights = weightUnits(parameters);
  const totalWeight = CAPITATION_MEASURES.reduce((sum, m) => sum + weights[m], 0n);
  if (totalWeight === 0n)
    throw new DomainError('invalid', 'capitation-no-measure', 'Capitation needs at least one weight above 0', { field: 'body.method.weights' });
  const percentUnits = unitsAtScale(parseDecimal(parameters.poolSharePercent, 'method.poolSharePercent', DECIMALS), DECIMALS);
  if (percentUnits > 10_000n)
    throw new DomainError('invalid', 'capitation-share-above-100', 'The capitation share of the pool is at most 100 %', {
      field: 'body.method.poolSharePercent',
    });
  const capitationPool = (BigInt(poolFen) * percentUnits) / 10_000n;

  const participating = institutions.filter((i) => i.teams.length > 0);
  const rows = participating.map((i) => ({
    catchmentPopulation: i.catchmentPopulation,
    insuredContracts: i.teams.reduce((s, t) => s + t.insuredContracts, 0),
    keyPopulationContracts: i.teams.reduce((s, t) => s + t.keyPopulationContracts, 0),
  }));
  const shares = weightedShares(rows, weights);
  // quota_i = capitationPool × numerator_i / (denominator × Σ all weights): weights of measures nobody has stay unallocated
  const institutionAmounts = roundEntitlements(
    participating.map((i, k) => ({ id: i.institutionId, weight: capitationPool * shares.numerators[k]! })),
    shares.denominator * totalWeight,
  );

  const result: CapitationResult = { capitationPoolFen: Number(capitationPool), paidFen: 0, unallocatedFen: 0, institutions: [], teams: [] };
  participating.forEach((institution, k) => {
    const amount = institutionAmounts[k]!;
    result.institutions.push({ institutionId: institution.institutionId, amountFen: Number(amount), measures: rows[k]! });
    const teamRows = institution.teams.map((t) => ({
      catchmentPopulation: t.activeContracts,
      insuredContracts: t.insuredContracts,
      keyPopulationContracts: t.keyPopulationContracts,
    }));
    const teamShares = weightedShares(teamRows, weights);
    const even = teamShares.used === 0n;
    const teamAmounts = largestRemainder(
      amount,
      institution.teams.map((t, j) => ({ id: t.teamId, weight: even ? 1n : teamShares.numerators[j]! })),
    );
    institution.teams.forEach((team, j) => {
      const fen = Number(teamAmounts[j]!);
      result.paidFen += fen;
      result.teams.push({
        teamId: team.teamId,
        institutionId: institution.institutionId,
        amountFen: fen,
        text: capitationText(team, institution, fen, parameters),
      });
    });
  });
  result.unallocatedFen = poolFen - result.paidFen;
  return result;
}

function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function capitationText(team: CapitationTeam, institution: CapitationInstitution, fen: number, parameters: CapitationParameters): { en: string; zh: string } {
  const w = parameters.weights;
  return {
    en:
      `Team ${team.teamId}: capitation (${parameters.poolSharePercent} % of the pool; ` +
      `weights catchment ${w.catchmentPopulation}, insured ${w.insuredContracts}, key populations ${w.keyPopulationContracts}); ` +
      `institution ${institution.institutionId} catchment ${institution.catchmentPopulation}; ` +
      `team ${team.activeContracts} active, ${team.insuredContracts} insured, ${team.keyPopulationContracts} key-population contracts; paid ¥${yuan(fen)}.`,
    zh:
      `团队 ${team.teamId}：按人头分配（奖励池的 ${parameters.poolSharePercent}%；` +
      `权重 服务人口 ${w.catchmentPopulation}、参保签约 ${w.insuredContracts}、重点人群签约 ${w.keyPopulationContracts}）；` +
      `机构 ${institution.institutionId} 服务人口 ${institution.catchmentPopulation}；` +
      `团队有效签约 ${team.activeContracts}、参保 ${team.insuredContracts}、重点人群 ${team.keyPopulationContracts}；实发 ${yuan(fen)} 元。`,
  };
}

/** A contract as capitation reads it. */
export interface CapitationContract {
  teamId: string;
  insured: boolean;
  startDate: string;
  endDate: string;
  /** a cancelled contract does not count (shared/domain/contracts.ts, isInForce) */
  status: string;
  keyPopulations: readonly string[];
}

/** Per team: contracts in force on the period's last day, of them insured, of them with a key-population tag. */
export function capitationTeamMeasures(contracts: Iterable<CapitationContract>, periodEnd: string): Map<string, Omit<CapitationTeam, 'teamId'>> {
  const result = new Map<string, Omit<CapitationTeam, 'teamId'>>();
  for (const contract of contracts) {
    if (!isInForce(contract, periodEnd)) continue;
    const entry = result.get(contract.teamId) ?? { activeContracts: 0, insuredContracts: 0, keyPopulationContracts: 0 };
    entry.activeContracts += 1;
    if (contract.insured) entry.insuredContracts += 1;
    if (contract.keyPopulations.length > 0) entry.keyPopulationContracts += 1;
    result.set(contract.teamId, entry);
  }
  return result;
}
