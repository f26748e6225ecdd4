/**
 * The settlement computation, pure: from the facts a settlement reads (an evaluation's scores,
 * the district's teams with their members, the contract registry, the institutions) and the
 * finance officer's parameters, every line of a settlement and its totals. No database, no HTTP;
 * all money math is the money library's (shared/domain/money): this module only chooses its
 * inputs, joins its outputs into lines and checks again that they add up.
 *
 * - Incentives: `allocateIncentives` over the teams the evaluation scored (a team whose score is
 *   null, i.e. insufficient data, or that the evaluation did not cover gets 0 with its own text).
 *   Size measures: active contracts = contracts in force on the period's last day (the registry
 *   figure the evaluation also uses); weighted residents = the same contracts, each weighing the
 *   highest weight of its key-population tags (default 2) or 1 without a tag.
 * - Members: `splitTeamAmount` by the role shares, pro-rated by days present in the period.
 * - Subsidy: `settleSubsidy` over every contract of the district's teams (uninsured counted apart),
 *   rounded once per institution, with the fee statement of each institution's service packages.
 * - Corrections: lines carry the amounts of the settlement they correct and the difference.
 *
 * Lines come out in one stable order (institution id, then team id, then member order), so the
 * same inputs give byte-identical lines; the fingerprint covers the evaluation's fingerprint, the
 * parameters, and a digest of every fact used.
 */
import { createHash } from 'node:crypto';
import { isInForce } from '../contracts.ts';
import { canonicalJson, fingerprint } from '../fingerprint.ts';
import {
  allocateIncentives,
  compareCodePoints,
  type Eligibility,
  type Fen,
  type FeeStatementLine,
  formatYuan,
  type IncentiveExplanation,
  type IncentiveOptions,
  type InstitutionOwnership,
  type MemberStint,
  type SizeMeasure,
  settleSubsidy,
  splitTeamAmount,
  type TeamIncentiveInput,
} from '../money/index.ts';
import { formatDecimal, parseDecimal, unitsAtScale } from '../money/exact-decimal.ts';
import { capitationIncentives, describeCapitation } from '../money/capitation-incentives.ts';
import { type FundingPart, type FundingTotal, fundingTotals, splitFunding, validateFundingSources } from '../money/funding-sources.ts';
import type { Period } from '../periods.ts';
import { contractPayableDays } from '../money/contract-paid-days.ts';
import { subsidyRateOn } from '../money/subsidy-rates.ts';
import type { AlreadyPaid } from '../money/subsidy.ts';
import type { IncentiveMethodParameters, ResidentWeights, SettlementParameters } from './parameters.ts';

// ---------------------------------------------------------------------------------------------
// Facts

export interface FactMember {
  memberId: string;
  name: string;
  role: string;
  joinedOn: string;
  leftOn?: string;
}

export interface FactTeam {
  teamId: string;
  institutionId: string;
  name: string;
  members: FactMember[];
}

export interface FactScore {
  teamId: string;
  institutionId: string;
  /** 0–100, two decimals; null when the evaluation had too little data to score the team */
  total: string | null;
  eligibility: Eligibility;
  capPercent: number;
  /** the gates that triggered, with their explanation */
  gates: TriggeredGate[];
}

export interface TriggeredGate {
  label: { en: string; zh: string };
  explanation: { en: string; zh: string };
}

export interface FactContract {
  contractId: string;
  teamId: string;
  institutionId: string;
  insured: boolean;
  startDate: string;
  endDate: string;
  status: 'active' | 'cancelled' | 'ended';
  keyPopulations: readonly string[];
  /** when the days of the term became known (../money/contract-paid-days.ts): the signing, and each renewal for the days it added */
  signedAt?: string;
  renewedEnds?: readonly string[];
  renewedAt?: readonly string[];
}

export interface FactInstitution {
  institutionId: string;
  name: string;
  ownership: InstitutionOwnership;
  /** the registry's catchment population (capitation), when known */
  catchmentPopulation?: number;
  servicePackages: { code: string; name: string; feeFen: Fen; kind?: 'basic' | 'personalised' | 'customised' }[];
}

export interface SettlementFacts {
  evaluation: { evaluationId: string; districtId: string; period: string; fingerprint: string | null };
  period: Period;
  teams: readonly FactTeam[];
  scores: readonly FactScore[];
  contracts: readonly FactContract[];
  institutions: readonly FactInstitution[];
}

/** The amounts of the settlement a correction replaces, from its stored lines. */
export interface PreviousSettlement {
  settlementId: string;
  fingerprint: string;
  teams: Map<string, { institutionId: string; teamName: string | null; amount: Fen; subsidyFen: Fen }>;
  institutions: Map<string, { name: string | null; incentiveFen: Fen; subsidyFen: Fen }>;
  paidFen: Fen;
  subsidyFen: Fen;
}

// ---------------------------------------------------------------------------------------------
// Lines and totals

export interface TeamLine {
  kind: 'team';
  institutionId: string;
  teamId: string;
  teamName: string | null;
  /** whether the evaluation scored the team */
  scored: boolean;
  score: string | null;
  eligibility: Eligibility | null;
  capPercent: number | null;
  gates: TriggeredGate[];
  activeContracts: number;
  weightedResidents: string;
  /** incentive paid to the team */
  amount: Fen;
  explanation: IncentiveExplanation | null;
  text: { en: string; zh: string };
  /** of `amount`: what the member split gave out, and what no member could take (nobody present) */
  membersFen: Fen;
  memberUnallocatedFen: Fen;
  /** subsidy for the team's insured contracts */
  subsidyFen: Fen;
  subsidisedContracts: number;
  contractDays: number;
  /** corrections only */
  previousAmount?: Fen;
  difference?: Fen;
  previousSubsidyFen?: Fen;
  subsidyDifference?: Fen;
}

export interface MemberLine {
  kind: 'member';
  institutionId: string;
  teamId: string;
  memberId: string;
  name: string;
  amount: Fen;
  daysPresent: number;
  /** exact: Σ share × days present / period days */
  weight: string;
  stints: MemberStint[];
}

export interface InstitutionLine {
  kind: 'institution';
  institutionId: string;
  name: string | null;
  ownership: InstitutionOwnership | null;
  teams: number;
  /** Σ incentives of its teams */
  incentiveFen: Fen;
  subsidisedContracts: number;
  contractDays: number;
  uninsuredContracts: number;
  exactSubsidyFen: string;
  subsidyFen: Fen;
  /** per service package: published fee, subsidy per resident, the most it may collect from a subsidised resident */
  feeStatement: FeeStatementLine[] | null;
  /** the institution's contract-days of this period that earlier settlements paid ("already paid in …") */
  alreadyPaid?: AlreadyPaid[];
  previousIncentiveFen?: Fen;
  incentiveDifference?: Fen;
  previousSubsidyFen?: Fen;
  subsidyDifference?: Fen;
  /** with funding sources: how much of the incentive and the subsidy comes from which source */
  funding?: FundingPart[];
}

export type SettlementLine = TeamLine | MemberLine | InstitutionLine;
export type LineKind = SettlementLine['kind'];

export interface SettlementTotals {
  poolFen: Fen;
  /** Σ team incentives */
  paidFen: Fen;
  /** pool − paid */
  unallocatedFen: Fen;
  scaledDown: boolean;
  /** Σ member lines, and the part of team incentives no member was present to take */
  membersFen: Fen;
  memberUnallocatedFen: Fen;
  subsidyFen: Fen;
  subsidisedContracts: number;
  contractDays: number;
  uninsuredContracts: number;
  yearDays: number;
  teams: number;
  scoredTeams: number;
  paidTeams: number;
  members: number;
  institutions: number;
  /** corrections only */
  previous?: { settlementId: string; paidFen: Fen; subsidyFen: Fen };
  paidDifference?: Fen;
  subsidyDifference?: Fen;
  /** with funding sources: Σ of the institution lines' parts per source */
  funding?: FundingTotal[];
}

/** Team incentives in equal-width bins (zero payouts counted apart), for the payout histogram. */
export interface PayoutHistogram {
  binWidthFen: Fen;
  /** counts[i]: teams paid more than i × width and at most (i + 1) × width */
  counts: number[];
  zeroCount: number;
  maxFen: Fen;
}

export interface SettlementComputation {
  parameters: SettlementParameters;
  fingerprint: string;
  totals: SettlementTotals;
  histogram: PayoutHistogram;
  teamLines: TeamLine[];
  memberLines: MemberLine[];
  institutionLines: InstitutionLine[];
}

// ---------------------------------------------------------------------------------------------

function byInstitutionThenTeam(a: { institutionId: string; teamId: string }, b: { institutionId: string; teamId: string }): number {
  return compareCodePoints(a.institutionId, b.institutionId) || compareCodePoints(a.teamId, b.teamId);
}

function incentiveOptions(parameters: SettlementParameters): IncentiveOptions {
  const { method, poolFen } = parameters;
  const common = {
    pool: poolFen,
    ...(method.scoreFloor !== undefined ? { scoreFloor: method.scoreFloor } : {}),
    ...(method.teamCapFen !== undefined ? { teamCapFen: method.teamCapFen } : {}),
  };
  switch (method.kind) {
    case 'score-weighted':
      return { ...common, method: 'score-weighted', sizeMeasure: method.sizeMeasure };
    case 'value-per-point':
      return { ...common, method: 'value-per-point', fenPerPoint: method.fenPerPoint, sizeMeasure: method.sizeMeasure };
    case 'grade-tiers':
      return { ...common, method: 'grade-tiers', tiers: method.tiers };
    case 'capitation':
      throw new Error('Capitation is allocated by capitationIncentives');
  }
}

const WEIGHT_DECIMALS = 2;

/** The size measures of each team from the contracts in force on the period's last day. */
function sizeMeasures(contracts: readonly FactContract[], periodEnd: string, weights: ResidentWeights): Map<string, { active: number; weighted: bigint }> {
  const base = unitsAtScale(parseDecimal(weights.keyPopulation, 'residentWeights.keyPopulation', WEIGHT_DECIMALS), WEIGHT_DECIMALS);
  const byTag = new Map<string, bigint>();
  for (const [tag, weight] of Object.entries(weights.byPopulation)) {
    if (weight !== undefined) byTag.set(tag, unitsAtScale(parseDecimal(weight, `residentWeights.byPopulation.${tag}`, WEIGHT_DECIMALS), WEIGHT_DECIMALS));
  }
  const one = 10n ** BigInt(WEIGHT_DECIMALS);
  const result = new Map<string, { active: number; weighted: bigint }>();
  for (const contract of contracts) {
    if (!isInForce(contract, periodEnd)) continue;
    const entry = result.get(contract.teamId) ?? { active: 0, weighted: 0n };
    let weight = contract.keyPopulations.length === 0 ? one : 0n;
    for (const tag of contract.keyPopulations) {
      const w = byTag.get(tag) ?? base;
      if (w > weight) weight = w;
    }
    entry.active += 1;
    entry.weighted += weight;
    result.set(contract.teamId, entry);
  }
  return result;
}

/** sha256 over every fact, one canonical JSON line each, in a fixed order; streams, so a million contracts hash in constant memory. */
export function factsDigest(facts: SettlementFacts): string {
  const hash = createHash('sha256');
  const section = (name: string, rows: readonly unknown[]) => {
    hash.update(`${name}\n`);
    for (const row of rows) hash.update(`${canonicalJson(row)}\n`);
  };
  section(
    'scores',
    [...facts.scores].sort((a, b) => compareCodePoints(a.teamId, b.teamId)).map((s) => [s.teamId, s.institutionId, s.total, s.eligibility, s.capPercent]),
  );
  section(
    'teams',
    [...facts.teams]
      .sort(byInstitutionThenTeam)
      .map((t) => [t.teamId, t.institutionId, t.name, t.members.map((m) => [m.memberId, m.name, m.role, m.joinedOn, m.leftOn ?? null])]),
  );
  section(
    'contracts',
    [...facts.contracts]
      .sort((a, b) => compareCodePoints(a.contractId, b.contractId))
      .map((c) => [
        c.contractId,
        c.teamId,
        c.institutionId,
        c.insured,
        c.startDate,
        c.endDate,
        c.status,
        [...c.keyPopulations].sort(),
        ...(c.signedAt === undefined ? [] : [c.signedAt, c.renewedEnds ?? [], c.renewedAt ?? []]),
      ]),
  );
  section(
    'institutions',
    [...facts.institutions]
      .sort((a, b) => compareCodePoints(a.institutionId, b.institutionId))
      .map((i) => [
        i.institutionId,
        i.name,
        i.ownership,
        i.servicePackages.map((p) => [p.code, p.name, p.feeFen]),
        ...(i.catchmentPopulation !== undefined ? [i.catchmentPopulation] : []),
      ]),
  );
  return hash.digest('hex');
}

function notEvaluatedText(teamId: string, evaluationId: string, scored: boolean): { en: string; zh: string } {
  return scored
    ? {
        en: `Team ${teamId}: not scored in evaluation ${evaluationId} (insufficient data); paid ¥0.00.`,
        zh: `团队 ${teamId}：评价 ${evaluationId} 中数据不足，未评分；实发 0.00 元。`,
      }
    : { en: `Team ${teamId}: not covered by evaluation ${evaluationId}; paid ¥0.00.`, zh: `团队 ${teamId}：未纳入评价 ${evaluationId}；实发 0.00 元。` };
}

/** Ten equal bins over (0, max], the width rounded up to 1, 2 or 5 × 10^k yuan. */
export function payoutHistogram(amounts: readonly Fen[], bins = 10): PayoutHistogram {
  const maxFen = amounts.reduce((m, a) => (a > m ? a : m), 0);
  const width = niceWidth(maxFen, bins);
  const counts = new Array<number>(bins).fill(0);
  let zeroCount = 0;
  for (const amount of amounts) {
    if (amount === 0) zeroCount++;
    else counts[Math.min(bins - 1, Math.ceil(amount / width) - 1)]! += 1;
  }
  return { binWidthFen: width, counts, zeroCount, maxFen };
}

function niceWidth(maxFen: Fen, bins: number): Fen {
  let magnitude = 100;
  for (;;) {
    for (const step of [1, 2, 5]) {
      const width = step * magnitude;
      if (width * bins >= maxFen) return width;
    }
    magnitude *= 10;
  }
}

function assertSum(label: string, parts: Iterable<Fen>, total: Fen): void {
  let sum = 0n;
  for (const part of parts) sum += BigInt(part);
  if (sum !== BigInt(total)) {
    throw new Error(`Settlement lines do not add up: ${label}: Σ ${sum} ≠ ${total}`);
  }
}

export function computeSettlement(facts: SettlementFacts, parameters: SettlementParameters, previous: PreviousSettlement | null = null): SettlementComputation {
  const { period } = facts;
  const evaluationId = facts.evaluation.evaluationId;

  // The teams: the district's teams and any the evaluation scored, in institution then team order.
  const teams = new Map<string, FactTeam>();
  for (const team of facts.teams) teams.set(team.teamId, team);
  const scores = new Map(facts.scores.map((s) => [s.teamId, s]));
  const universe = new Map<string, { teamId: string; institutionId: string }>();
  for (const team of facts.teams) universe.set(team.teamId, { teamId: team.teamId, institutionId: team.institutionId });
  for (const score of facts.scores) if (!universe.has(score.teamId)) universe.set(score.teamId, { teamId: score.teamId, institutionId: score.institutionId });
  if (previous) {
    for (const [teamId, line] of previous.teams) if (!universe.has(teamId)) universe.set(teamId, { teamId, institutionId: line.institutionId });
  }
  const order = [...universe.values()].sort(byInstitutionThenTeam);

  // Incentives over the scored teams.
  const measures = sizeMeasures(facts.contracts, period.end, parameters.residentWeights);
  const weightedOf = (teamId: string) => formatDecimal({ units: measures.get(teamId)?.weighted ?? 0n, scale: WEIGHT_DECIMALS }, WEIGHT_DECIMALS);
  const inputs: TeamIncentiveInput[] = [];
  for (const { teamId } of order) {
    const score = scores.get(teamId);
    if (!score || score.total === null) continue;
    inputs.push({
      teamId,
      score: score.total,
      eligibility: score.eligibility,
      ...(score.eligibility === 'capped' ? { gateCapPercent: score.capPercent } : {}),
      activeContracts: measures.get(teamId)?.active ?? 0,
      weightedResidents: weightedOf(teamId),
    });
  }
  const incentives =
    parameters.method.kind === 'capitation'
      ? capitationIncentives(parameters.poolFen, parameters.method, order, facts.contracts, facts.institutions, period.end)
      : allocateIncentives(inputs, incentiveOptions(parameters));
  const incentiveOf = new Map(incentives.lines.map((line) => [line.teamId, line]));
  assertSum(
    'team incentives = paid',
    incentives.lines.map((l) => l.amount),
    incentives.paid,
  );
  assertSum('paid + unallocated = pool', [incentives.paid, incentives.unallocated], parameters.poolFen);

  // Subsidy per institution, then per team.
  const dayByDay = parameters.subsidyRates !== undefined || parameters.subsidyAlreadyPaid !== undefined;
  const rates = parameters.subsidyRates ?? [{ from: period.start, perYearFen: parameters.subsidyPerResidentYearFen }];
  const subsidy = settleSubsidy({
    period: { start: period.start, end: period.end },
    yearlyRateFen: dayByDay ? subsidyRateOn(rates, period.end) : parameters.subsidyPerResidentYearFen,
    contracts: [...facts.contracts]
      .sort((a, b) => compareCodePoints(a.contractId, b.contractId))
      .map((c) => ({
        contractId: c.contractId,
        teamId: c.teamId,
        institutionId: c.institutionId,
        insured: c.insured,
        startDate: c.startDate,
        endDate: c.endDate,
        status: c.status,
        // day by day: each contract's own unpaid days (what earlier settlements paid is per contract-day)
        ...(dayByDay ? contractPayableDays(c, period, rates, parameters.subsidyAlreadyPaid ?? []) : {}),
      })),
    institutions: facts.institutions.map((i) => ({
      institutionId: i.institutionId,
      ownership: i.ownership,
      servicePackages: i.servicePackages.map((p) => ({ code: p.code, name: p.name, feeFen: p.feeFen, ...(p.kind ? { kind: p.kind } : {}) })),
    })),
  });
  const teamSubsidy = new Map<string, { subsidyFen: Fen; subsidisedContracts: number; contractDays: number }>();
  for (const institution of subsidy.institutions) {
    assertSum(
      `subsidy of ${institution.institutionId}`,
      institution.teams.map((t) => t.subsidyFen),
      institution.subsidyFen,
    );
    for (const team of institution.teams) teamSubsidy.set(team.teamId, team);
  }
  assertSum(
    'subsidy total',
    subsidy.institutions.map((i) => i.subsidyFen),
    subsidy.subsidyFen,
  );

  // Team and member lines.
  const teamLines: TeamLine[] = [];
  const memberLines: MemberLine[] = [];
  let memberUnallocatedFen = 0;
  for (const { teamId, institutionId } of order) {
    const team = teams.get(teamId);
    const score = scores.get(teamId);
    const incentive = incentiveOf.get(teamId);
    const amount = incentive?.amount ?? 0;
    let membersFen = 0;
    let unallocated = amount;
    if (team && team.members.length > 0) {
      const split = splitTeamAmount({
        teamAmount: amount,
        period: { start: period.start, end: period.end },
        members: team.members.map((m) => ({ memberId: m.memberId, role: m.role, joinedOn: m.joinedOn, ...(m.leftOn ? { leftOn: m.leftOn } : {}) })),
        roleShares: parameters.roleShares,
      });
      assertSum(`member split of ${teamId}`, [...split.lines.map((l) => l.amount), split.unallocated], amount);
      membersFen = split.allocated;
      unallocated = split.unallocated;
      for (const line of split.lines) {
        if (line.daysPresent === 0) continue;
        memberLines.push({
          kind: 'member',
          institutionId,
          teamId,
          memberId: line.memberId,
          name: team.members.find((m) => m.memberId === line.memberId)?.name ?? line.memberId,
          amount: line.amount,
          daysPresent: line.daysPresent,
          weight: line.weight,
          stints: line.stints,
        });
      }
    }
    memberUnallocatedFen += unallocated;
    const sub = teamSubsidy.get(teamId);
    const line: TeamLine = {
      kind: 'team',
      institutionId,
      teamId,
      teamName: team?.name ?? previous?.teams.get(teamId)?.teamName ?? null,
      scored: score !== undefined && score.total !== null,
      score: score?.total ?? null,
      eligibility: score?.eligibility ?? null,
      capPercent: score ? score.capPercent : null,
      gates: score?.gates ?? [],
      activeContracts: measures.get(teamId)?.active ?? 0,
      weightedResidents: weightedOf(teamId),
      amount,
      explanation: incentive?.explanation ?? null,
      text: incentive?.text ?? notEvaluatedText(teamId, evaluationId, score !== undefined),
      membersFen,
      memberUnallocatedFen: unallocated,
      subsidyFen: sub?.subsidyFen ?? 0,
      subsidisedContracts: sub?.subsidisedContracts ?? 0,
      contractDays: sub?.contractDays ?? 0,
    };
    if (previous) {
      const before = previous.teams.get(teamId);
      line.previousAmount = before?.amount ?? 0;
      line.difference = line.amount - line.previousAmount;
      line.previousSubsidyFen = before?.subsidyFen ?? 0;
      line.subsidyDifference = line.subsidyFen - line.previousSubsidyFen;
    }
    teamLines.push(line);
  }
  assertSum(
    'team subsidy lines = subsidy total',
    teamLines.map((l) => l.subsidyFen),
    subsidy.subsidyFen,
  );
  assertSum(
    'team lines = paid',
    teamLines.map((l) => l.amount),
    incentives.paid,
  );
  assertSum('member lines + unallocated = paid', [...memberLines.map((l) => l.amount), memberUnallocatedFen], incentives.paid);

  // Institution lines: the subsidy statement, with the incentives of the institution's teams.
  const institutionNames = new Map(facts.institutions.map((i) => [i.institutionId, i.name]));
  const incentiveByInstitution = new Map<string, { fen: number; teams: number }>();
  for (const line of teamLines) {
    const entry = incentiveByInstitution.get(line.institutionId) ?? { fen: 0, teams: 0 };
    entry.fen += line.amount;
    entry.teams += 1;
    incentiveByInstitution.set(line.institutionId, entry);
  }
  const subsidyByInstitution = new Map(subsidy.institutions.map((i) => [i.institutionId, i]));
  const institutionIds = new Set([...subsidyByInstitution.keys(), ...incentiveByInstitution.keys(), ...(previous ? previous.institutions.keys() : [])]);
  const institutionLines: InstitutionLine[] = [...institutionIds].sort(compareCodePoints).map((institutionId) => {
    const s = subsidyByInstitution.get(institutionId);
    const incentive = incentiveByInstitution.get(institutionId);
    const line: InstitutionLine = {
      kind: 'institution',
      institutionId,
      name: institutionNames.get(institutionId) ?? previous?.institutions.get(institutionId)?.name ?? null,
      ownership: s?.ownership ?? null,
      teams: incentive?.teams ?? 0,
      incentiveFen: incentive?.fen ?? 0,
      subsidisedContracts: s?.subsidisedContracts ?? 0,
      contractDays: s?.contractDays ?? 0,
      uninsuredContracts: s?.uninsuredContracts ?? 0,
      exactSubsidyFen: s?.exactSubsidyFen ?? '0',
      subsidyFen: s?.subsidyFen ?? 0,
      feeStatement: s?.feeStatement ?? null,
      ...(s?.alreadyPaid ? { alreadyPaid: s.alreadyPaid } : {}),
    };
    if (previous) {
      const before = previous.institutions.get(institutionId);
      line.previousIncentiveFen = before?.incentiveFen ?? 0;
      line.incentiveDifference = line.incentiveFen - line.previousIncentiveFen;
      line.previousSubsidyFen = before?.subsidyFen ?? 0;
      line.subsidyDifference = line.subsidyFen - line.previousSubsidyFen;
    }
    return line;
  });
  assertSum(
    'institution incentives = paid',
    institutionLines.map((l) => l.incentiveFen),
    incentives.paid,
  );
  assertSum(
    'institution subsidies = subsidy total',
    institutionLines.map((l) => l.subsidyFen),
    subsidy.subsidyFen,
  );
  const sources = parameters.fundingSources ?? [];
  if (sources.length > 0) {
    validateFundingSources(sources, { incentiveFen: incentives.paid, subsidyFen: subsidy.subsidyFen });
    for (const line of institutionLines) {
      line.funding = splitFunding(sources, line);
      assertSum(
        `funding of ${line.institutionId}`,
        line.funding.map((p) => p.incentiveFen + p.subsidyFen),
        line.incentiveFen + line.subsidyFen,
      );
    }
  }

  const scoredTeams = teamLines.filter((l) => l.scored);
  const totals: SettlementTotals = {
    poolFen: parameters.poolFen,
    paidFen: incentives.paid,
    unallocatedFen: incentives.unallocated,
    scaledDown: incentives.scaledDown,
    membersFen: incentives.paid - memberUnallocatedFen,
    memberUnallocatedFen,
    subsidyFen: subsidy.subsidyFen,
    subsidisedContracts: subsidy.subsidisedContracts,
    contractDays: subsidy.contractDays,
    uninsuredContracts: subsidy.institutions.reduce((n, i) => n + i.uninsuredContracts, 0),
    yearDays: subsidy.yearDays,
    teams: teamLines.length,
    scoredTeams: scoredTeams.length,
    paidTeams: teamLines.filter((l) => l.amount > 0).length,
    members: memberLines.length,
    institutions: institutionLines.length,
  };
  if (previous) {
    totals.previous = { settlementId: previous.settlementId, paidFen: previous.paidFen, subsidyFen: previous.subsidyFen };
    totals.paidDifference = totals.paidFen - previous.paidFen;
    totals.subsidyDifference = totals.subsidyFen - previous.subsidyFen;
  }
  if (sources.length > 0) {
    totals.funding = fundingTotals(
      sources,
      institutionLines.map((l) => l.funding ?? []),
    );
    assertSum(
      'funding sources: incentives',
      totals.funding.map((f) => f.incentiveFen),
      totals.paidFen,
    );
    assertSum(
      'funding sources: subsidy',
      totals.funding.map((f) => f.subsidyFen),
      totals.subsidyFen,
    );
  }

  const digest = factsDigest(facts);
  return {
    parameters,
    fingerprint: fingerprint({
      evaluation: { evaluationId, fingerprint: facts.evaluation.fingerprint },
      parameters,
      facts: digest,
      correctionOf: previous ? { settlementId: previous.settlementId, fingerprint: previous.fingerprint } : null,
    }),
    totals,
    histogram: payoutHistogram(scoredTeams.map((l) => l.amount)),
    teamLines,
    memberLines,
    institutionLines,
  };
}

/** A short description of the method, for pages and audit entries. */
export function describeMethod(method: IncentiveMethodParameters): { en: string; zh: string } {
  const floor = method.scoreFloor !== undefined ? { en: `, score floor ${method.scoreFloor}`, zh: `，最低分 ${method.scoreFloor}` } : { en: '', zh: '' };
  const cap =
    method.teamCapFen !== undefined
      ? { en: `, team cap ¥${formatYuan(method.teamCapFen)}`, zh: `，团队封顶 ${formatYuan(method.teamCapFen)} 元` }
      : { en: '', zh: '' };
  const measure = (m: SizeMeasure | 'none') =>
    m === 'active-contracts'
      ? { en: 'active contracts', zh: '有效签约数' }
      : m === 'weighted-residents'
        ? { en: 'weighted residents', zh: '重点人群加权居民数' }
        : null;
  switch (method.kind) {
    case 'score-weighted': {
      const m = measure(method.sizeMeasure)!;
      return { en: `Score-weighted by ${m.en}${floor.en}${cap.en}`, zh: `按得分 × ${m.zh} 分配${floor.zh}${cap.zh}` };
    }
    case 'value-per-point': {
      const m = measure(method.sizeMeasure);
      const per = formatYuan(method.fenPerPoint);
      return {
        en: `¥${per} per point${m ? ` per ${m.en.replace(/s$/, '')}` : ''}${floor.en}${cap.en}`,
        zh: `每分 ${per} 元${m ? `（按${m.zh}计）` : ''}${floor.zh}${cap.zh}`,
      };
    }
    case 'grade-tiers': {
      const tiers = [...method.tiers].sort((a, b) => Number(b.minScore) - Number(a.minScore));
      return {
        en: `Grade tiers: ${tiers.map((t) => `≥${t.minScore} → ¥${formatYuan(t.amountFen)}`).join(', ')}${floor.en}${cap.en}`,
        zh: `分档奖励：${tiers.map((t) => `≥${t.minScore} 分 ${formatYuan(t.amountFen)} 元`).join('，')}${floor.zh}${cap.zh}`,
      };
    }
    case 'capitation':
      return describeCapitation(method);
  }
}
