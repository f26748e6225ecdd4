/**
 * The year of a district's settlements: totals per institution and per team over the approved
 * settlements in force for the year's periods (a correction replaces what it corrects, so no
 * contract-day is counted twice), and the comparison of one settlement with the one before it,
 * per institution (before, after, difference). Pure sums of integer fen.
 */
import { compareCodePoints } from './money/line-ids.ts';

export interface YearInstitutionInput {
  institutionId: string;
  name: string | null;
  incentiveFen: number;
  subsidyFen: number;
  funding?: { source: string; incentiveFen: number; subsidyFen: number }[];
}

export interface YearTeamInput {
  institutionId: string;
  teamId: string;
  teamName: string | null;
  amount: number;
  subsidyFen: number;
}

export interface YearSettlementInput {
  settlementId: string;
  period: string;
  paidFen: number;
  subsidyFen: number;
  sources: { code: string; name: string }[];
  institutions: readonly YearInstitutionInput[];
  teams: readonly YearTeamInput[];
}

export interface Amounts {
  incentiveFen: number;
  subsidyFen: number;
  totalFen: number;
}

export interface YearTotals {
  totals: Amounts;
  institutions: (Amounts & { institutionId: string; name: string | null; byPeriod: Record<string, Amounts> })[];
  teams: (Amounts & { institutionId: string; teamId: string; teamName: string | null })[];
  funding: (Amounts & { source: string; name: string })[];
}

const zero = (): Amounts => ({ incentiveFen: 0, subsidyFen: 0, totalFen: 0 });

function add(to: Amounts, incentiveFen: number, subsidyFen: number): void {
  to.incentiveFen += incentiveFen;
  to.subsidyFen += subsidyFen;
  to.totalFen += incentiveFen + subsidyFen;
}

/** Sums the settlements; throws if institution or team sums disagree with a settlement's totals (never expected). */
export function yearTotals(settlements: readonly YearSettlementInput[]): YearTotals {
  const totals = zero();
  const institutions = new Map<string, YearTotals['institutions'][number]>();
  const teams = new Map<string, YearTotals['teams'][number]>();
  const funding = new Map<string, YearTotals['funding'][number]>();
  for (const s of settlements) {
    add(totals, s.paidFen, s.subsidyFen);
    const check = zero();
    for (const line of s.institutions) {
      const entry = institutions.get(line.institutionId) ?? { institutionId: line.institutionId, name: line.name, ...zero(), byPeriod: {} };
      entry.name ??= line.name;
      add(entry, line.incentiveFen, line.subsidyFen);
      entry.byPeriod[s.period] ??= zero();
      add(entry.byPeriod[s.period]!, line.incentiveFen, line.subsidyFen);
      institutions.set(line.institutionId, entry);
      add(check, line.incentiveFen, line.subsidyFen);
      for (const part of line.funding ?? []) {
        const source = funding.get(part.source) ?? { source: part.source, name: s.sources.find((x) => x.code === part.source)?.name ?? part.source, ...zero() };
        add(source, part.incentiveFen, part.subsidyFen);
        funding.set(part.source, source);
      }
    }
    const teamCheck = zero();
    for (const line of s.teams) {
      const key = `${line.institutionId}#${line.teamId}`;
      const entry = teams.get(key) ?? { institutionId: line.institutionId, teamId: line.teamId, teamName: line.teamName, ...zero() };
      entry.teamName ??= line.teamName;
      add(entry, line.amount, line.subsidyFen);
      teams.set(key, entry);
      add(teamCheck, line.amount, line.subsidyFen);
    }
    for (const [what, sums] of [
      ['institution', check],
      ['team', teamCheck],
    ] as const) {
      if (sums.incentiveFen !== s.paidFen || sums.subsidyFen !== s.subsidyFen) {
        throw new Error(
          `Settlement ${s.settlementId}: ${what} lines add up to ${sums.incentiveFen} + ${sums.subsidyFen}, the header says ${s.paidFen} + ${s.subsidyFen}`,
        );
      }
    }
  }
  return {
    totals,
    institutions: [...institutions.values()].sort((a, b) => compareCodePoints(a.institutionId, b.institutionId)),
    teams: [...teams.values()].sort((a, b) => compareCodePoints(a.institutionId, b.institutionId) || compareCodePoints(a.teamId, b.teamId)),
    funding: [...funding.values()],
  };
}

export interface ComparisonLine {
  institutionId: string;
  name: string | null;
  before: Amounts;
  after: Amounts;
  difference: Amounts;
}

function minus(a: Amounts, b: Amounts): Amounts {
  return { incentiveFen: a.incentiveFen - b.incentiveFen, subsidyFen: a.subsidyFen - b.subsidyFen, totalFen: a.totalFen - b.totalFen };
}

function amountsOf(line: YearInstitutionInput | undefined): Amounts {
  return line ? { incentiveFen: line.incentiveFen, subsidyFen: line.subsidyFen, totalFen: line.incentiveFen + line.subsidyFen } : zero();
}

/** Per institution of either settlement: before (the previous one, or 0), after, and the difference; with totals. */
export function compareSettlements(
  after: readonly YearInstitutionInput[],
  before: readonly YearInstitutionInput[],
): { institutions: ComparisonLine[]; totals: Omit<ComparisonLine, 'institutionId' | 'name'> } {
  const afterOf = new Map(after.map((l) => [l.institutionId, l]));
  const beforeOf = new Map(before.map((l) => [l.institutionId, l]));
  const ids = [...new Set([...afterOf.keys(), ...beforeOf.keys()])].sort(compareCodePoints);
  const institutions = ids.map((institutionId) => {
    const a = amountsOf(afterOf.get(institutionId));
    const b = amountsOf(beforeOf.get(institutionId));
    return { institutionId, name: afterOf.get(institutionId)?.name ?? beforeOf.get(institutionId)?.name ?? null, before: b, after: a, difference: minus(a, b) };
  });
  const totals = { before: zero(), after: zero(), difference: zero() };
  for (const line of institutions) {
    add(totals.before, line.before.incentiveFen, line.before.subsidyFen);
    add(totals.after, line.after.incentiveFen, line.after.subsidyFen);
  }
  totals.difference = minus(totals.after, totals.before);
  return { institutions, totals };
}
