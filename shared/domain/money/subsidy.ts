/**
 * Subsidy settlement: the government pays a yearly amount per insured contracted resident
 * (default 120 yuan), pro-rated by the days each contract was in force within the period.
 *
 * contract-days   = days of the contract's term [startDate, endDate] inside the period
 *                   (a cancelled contract's endDate is its last day, as the registry records it)
 * institution fen = round half up(yearly rate × Σ contract-days / days of the year), once per
 *                   institution; the year is the calendar year of the period (365, or 366 in a
 *                   leap year), so a full year pays exactly the yearly rate per contract
 * team fen        = the institution amount split by contract-days, largest remainder
 * Uninsured contracts are not subsidised; they are counted apart for the record.
 *
 * With `segments` (rates over time, days already paid left out: ./subsidy-days.ts) each day is
 * paid at the rate in force that day: institution fen = round half up(Σ rate × contract-days in
 * each segment / days of the year), teams split by their share of that sum. Days of the period
 * that earlier settlements paid (`alreadyPaid`) are counted per institution for the report.
 */
import type { ContractStatus } from '../contracts.ts';
import { daysInclusive, overlapDays } from '../dates.ts';
import { divideRoundHalfUp, formatFraction } from './exact-decimal.ts';
import { type FeeStatementLine, feeStatement, type InstitutionOwnership, type ServicePackageFee } from './fee-statement.ts';
import { assertFen, type Fen, fenFromBigInt } from './fen.ts';
import { largestRemainder } from './largest-remainder.ts';
import type { PaidRange } from './subsidy-days.ts';
import { assertUniqueIds, compareCodePoints } from './line-ids.ts';
import { assertIsoDate } from './input-guards.ts';
import { invalidMoneyInput } from './money-errors.ts';

export const DEFAULT_YEARLY_SUBSIDY_FEN: Fen = 12_000;
const STATUSES: readonly ContractStatus[] = ['active', 'cancelled', 'ended'];
const OWNERSHIPS: readonly InstitutionOwnership[] = ['government', 'social'];

export interface SubsidyContract {
  contractId: string;
  teamId: string;
  institutionId: string;
  insured: boolean;
  startDate: string;
  /** last day of the term, inclusive */
  endDate: string;
  status: ContractStatus;
  /**
   * This contract's own days to pay, each at its rate, and the days earlier settlements paid
   * (./contract-paid-days.ts); given, they replace the input's `segments` and `alreadyPaid`.
   */
  payable?: readonly { start: string; end: string; perYearFen: Fen }[];
  paidBy?: readonly AlreadyPaid[];
}

export interface SubsidyInstitution {
  institutionId: string;
  ownership: InstitutionOwnership;
  servicePackages?: readonly ServicePackageFee[];
}

export interface SubsidySettlementInput {
  /** inclusive; inside one calendar year. `days`, when given, must match. */
  period: { start: string; end: string; days?: number };
  /** default 12,000 fen (120 yuan) per insured contracted resident per year */
  yearlyRateFen?: Fen;
  contracts: readonly SubsidyContract[];
  /** ownership and published fees, for the fee statement; institutions without contracts are listed with zeros */
  institutions?: readonly SubsidyInstitution[];
  /** the stretches of the period to pay, each at its rate; default: the whole period at `yearlyRateFen` */
  segments?: readonly { start: string; end: string; perYearFen: Fen }[];
  /** stretches of the period earlier approved settlements paid */
  alreadyPaid?: readonly PaidRange[];
}

export interface AlreadyPaid {
  settlementId: string;
  period: string;
  /** the institution's insured contract-days of this period that settlement paid */
  contractDays: number;
}

export interface TeamSubsidyLine {
  teamId: string;
  subsidisedContracts: number;
  contractDays: number;
  subsidyFen: Fen;
}

export interface InstitutionSubsidy {
  institutionId: string;
  ownership: InstitutionOwnership | null;
  subsidisedContracts: number;
  contractDays: number;
  /** contracts in force in the period but without social medical insurance */
  uninsuredContracts: number;
  /** rate × contract-days / year days before rounding, a reduced fraction of fen */
  exactSubsidyFen: string;
  subsidyFen: Fen;
  teams: TeamSubsidyLine[];
  /** null when the institution's ownership was not given */
  feeStatement: FeeStatementLine[] | null;
  /** contract-days of the period that earlier settlements paid (only when there are any) */
  alreadyPaid?: AlreadyPaid[];
}

export interface SubsidySettlement {
  period: { start: string; end: string; days: number };
  yearDays: number;
  yearlyRateFen: Fen;
  subsidisedContracts: number;
  contractDays: number;
  subsidyFen: Fen;
  /** by institutionId in code-point order; teams likewise */
  institutions: InstitutionSubsidy[];
}

interface Tally {
  subsidisedContracts: number;
  contractDays: number;
  /** Σ rate × contract-days */
  weighted: bigint;
  uninsuredContracts: number;
  teams: Map<string, { subsidisedContracts: number; contractDays: number; weighted: bigint }>;
  alreadyPaid: Map<string, AlreadyPaid>;
}

export function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

export function settleSubsidy(input: SubsidySettlementInput): SubsidySettlement {
  const period = validatePeriod(input.period);
  const yearDays = daysInYear(Number(period.start.slice(0, 4)));
  const rate = input.yearlyRateFen ?? DEFAULT_YEARLY_SUBSIDY_FEN;
  assertFen(rate, 'yearlyRateFen');
  const institutions = indexInstitutions(input.institutions ?? []);
  assertUniqueIds(
    input.contracts.map((contract) => contract.contractId),
    'contract',
  );

  const segments = input.segments ?? [{ start: period.start, end: period.end, perYearFen: rate }];
  for (const segment of segments) assertFen(segment.perYearFen, 'segment rate');
  const tallies = new Map<string, Tally>();
  for (const id of institutions.keys()) tallies.set(id, emptyTally());
  for (const contract of input.contracts) {
    validateContract(contract);
    const days = overlapDays(contract.startDate, contract.endDate, period.start, period.end);
    if (days === 0) continue;
    const tally = tallies.get(contract.institutionId) ?? emptyTally();
    tallies.set(contract.institutionId, tally);
    if (!contract.insured) {
      tally.uninsuredContracts += 1;
      continue;
    }
    for (const paid of contract.paidBy ?? []) {
      const entry = tally.alreadyPaid.get(paid.settlementId) ?? { settlementId: paid.settlementId, period: paid.period, contractDays: 0 };
      entry.contractDays += paid.contractDays;
      tally.alreadyPaid.set(paid.settlementId, entry);
    }
    for (const paid of contract.paidBy ? [] : (input.alreadyPaid ?? [])) {
      const paidDays = overlapDays(
        contract.startDate,
        contract.endDate,
        paid.start > period.start ? paid.start : period.start,
        paid.end < period.end ? paid.end : period.end,
      );
      if (paidDays === 0) continue;
      const entry = tally.alreadyPaid.get(paid.settlementId) ?? { settlementId: paid.settlementId, period: paid.period, contractDays: 0 };
      entry.contractDays += paidDays;
      tally.alreadyPaid.set(paid.settlementId, entry);
    }
    let payableDays = 0;
    let weighted = 0n;
    for (const segment of contract.payable ?? segments) {
      const d = overlapDays(contract.startDate, contract.endDate, segment.start, segment.end);
      payableDays += d;
      weighted += BigInt(segment.perYearFen) * BigInt(d);
    }
    if (payableDays === 0) continue;
    tally.subsidisedContracts += 1;
    tally.contractDays += payableDays;
    tally.weighted += weighted;
    const team = tally.teams.get(contract.teamId) ?? { subsidisedContracts: 0, contractDays: 0, weighted: 0n };
    team.subsidisedContracts += 1;
    team.contractDays += payableDays;
    team.weighted += weighted;
    tally.teams.set(contract.teamId, team);
  }

  const lines = [...tallies]
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([institutionId, tally]) => institutionLine(institutionId, tally, institutions.get(institutionId) ?? null, rate, yearDays));
  return {
    period,
    yearDays,
    yearlyRateFen: rate,
    subsidisedContracts: lines.reduce((sum, line) => sum + line.subsidisedContracts, 0),
    contractDays: lines.reduce((sum, line) => sum + line.contractDays, 0),
    subsidyFen: fenFromBigInt(
      lines.reduce((sum, line) => sum + BigInt(line.subsidyFen), 0n),
      'subsidy',
    ),
    institutions: lines,
  };
}

function institutionLine(institutionId: string, tally: Tally, institution: SubsidyInstitution | null, rate: Fen, yearDays: number): InstitutionSubsidy {
  const numerator = tally.weighted;
  const subsidy = divideRoundHalfUp(numerator, BigInt(yearDays));
  const teams = [...tally.teams].sort(([a], [b]) => compareCodePoints(a, b));
  const teamAmounts = largestRemainder(
    subsidy,
    teams.map(([teamId, team]) => ({ id: teamId, weight: team.weighted })),
  );
  return {
    institutionId,
    ownership: institution?.ownership ?? null,
    subsidisedContracts: tally.subsidisedContracts,
    contractDays: tally.contractDays,
    uninsuredContracts: tally.uninsuredContracts,
    exactSubsidyFen: formatFraction(numerator, BigInt(yearDays)),
    subsidyFen: fenFromBigInt(subsidy, `subsidy of ${institutionId}`),
    teams: teams.map(([teamId, team], i) => ({
      teamId,
      subsidisedContracts: team.subsidisedContracts,
      contractDays: team.contractDays,
      subsidyFen: Number(teamAmounts[i]!),
    })),
    feeStatement: institution === null ? null : feeStatement(institution.ownership, institution.servicePackages ?? [], rate),
    ...(tally.alreadyPaid.size > 0 ? { alreadyPaid: [...tally.alreadyPaid.values()].sort((a, b) => compareCodePoints(a.settlementId, b.settlementId)) } : {}),
  };
}

function emptyTally(): Tally {
  return { subsidisedContracts: 0, contractDays: 0, weighted: 0n, uninsuredContracts: 0, teams: new Map(), alreadyPaid: new Map() };
}

function validatePeriod(period: SubsidySettlementInput['period']): SubsidySettlement['period'] {
  assertIsoDate(period.start, 'period.start');
  assertIsoDate(period.end, 'period.end');
  if (period.end < period.start) throw invalidMoneyInput('invalid-period', 'The period ends before it starts', { ...period });
  if (period.start.slice(0, 4) !== period.end.slice(0, 4)) {
    throw invalidMoneyInput('period-spans-years', 'A subsidy period lies inside one calendar year (a quarter or a year)', { ...period });
  }
  const days = daysInclusive(period.start, period.end);
  if (period.days !== undefined && period.days !== days) {
    throw invalidMoneyInput('period-days-mismatch', `The period has ${days} days, not ${period.days}`, { ...period });
  }
  return { start: period.start, end: period.end, days };
}

function indexInstitutions(institutions: readonly SubsidyInstitution[]): Map<string, SubsidyInstitution> {
  assertUniqueIds(
    institutions.map((institution) => institution.institutionId),
    'institution',
  );
  for (const institution of institutions) {
    if (!OWNERSHIPS.includes(institution.ownership)) {
      throw invalidMoneyInput('invalid-ownership', `Ownership of ${institution.institutionId} must be government or social`, {
        institutionId: institution.institutionId,
      });
    }
  }
  return new Map(institutions.map((institution) => [institution.institutionId, institution]));
}

function validateContract(contract: SubsidyContract): void {
  const label = `contract ${contract.contractId}`;
  if (!contract.teamId || !contract.institutionId)
    throw invalidMoneyInput('invalid-id', `${label} needs a teamId and an institutionId`, { contractId: contract.contractId });
  if (typeof contract.insured !== 'boolean')
    throw invalidMoneyInput('invalid-insured', `${label}: insured must be true or false`, { contractId: contract.contractId });
  if (!STATUSES.includes(contract.status)) throw invalidMoneyInput('invalid-status', `${label}: unknown status`, { contractId: contract.contractId });
  assertIsoDate(contract.startDate, `startDate of ${label}`);
  assertIsoDate(contract.endDate, `endDate of ${label}`);
  if (contract.endDate < contract.startDate) throw invalidMoneyInput('invalid-term', `${label} ends before it starts`, { contractId: contract.contractId });
}
