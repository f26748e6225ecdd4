/**
 * The year view and the comparison, read from storage: the approved settlements in force for a
 * district's periods of one year (quarters and the year itself: what a correction replaced is
 * not in force, so no contract-day is counted twice), summed per institution and team
 * (../domain/settlement-year.ts); and a settlement compared with the one before it: the
 * settlement it corrects, or else the one in force for the previous period.
 */
import { ruleBroken } from '../domain/errors.ts';
import { compareSettlements, type YearSettlementInput, yearTotals } from '../domain/settlement-year.ts';
import { previousQuarter } from '../domain/periods.ts';
import { allLines, getInForce, getSettlement, type Settlement } from '../data/settlements.ts';
import type { Deps } from '../deps.ts';
import type { InstitutionLine, TeamLine } from '../domain/settlements/compute.ts';

export const YEAR_PATTERN = /^\d{4}$/;

async function settlementInput(deps: Deps, settlement: Settlement, withTeams: boolean): Promise<YearSettlementInput> {
  const institutions: InstitutionLine[] = [];
  for await (const line of allLines<InstitutionLine>(deps.db, settlement.computationId, 'institution')) institutions.push(line);
  const teams: TeamLine[] = [];
  if (withTeams) for await (const line of allLines<TeamLine>(deps.db, settlement.computationId, 'team')) teams.push(line);
  return {
    settlementId: settlement.settlementId,
    period: settlement.period,
    paidFen: settlement.totals.paidFen,
    subsidyFen: settlement.totals.subsidyFen,
    sources: (settlement.parameters.fundingSources ?? []).map((s) => ({ code: s.code, name: s.name })),
    institutions,
    teams: withTeams ? teams : [],
  };
}

/** The approved settlement in force for a period, or null. */
async function inForceSettlement(deps: Deps, districtId: string, period: string): Promise<Settlement | null> {
  const pointer = await getInForce(deps.db, districtId, period);
  return pointer ? getSettlement(deps.db, pointer.settlementId) : null;
}

export async function settlementYear(deps: Deps, districtId: string, year: string) {
  if (!YEAR_PATTERN.test(year)) throw ruleBroken('invalid-year', `${year} is not a year`, { field: 'path.year' });
  const periods = [`${year}Q1`, `${year}Q2`, `${year}Q3`, `${year}Q4`, year];
  const settlements = (await Promise.all(periods.map((p) => inForceSettlement(deps, districtId, p)))).filter(
    (s): s is Settlement => s !== null && s.status !== 'draft',
  );
  const inputs = await Promise.all(settlements.map((s) => settlementInput(deps, s, true)));
  const sums = yearTotals(inputs);
  return {
    districtId,
    year,
    settlements: settlements.map((s) => ({
      settlementId: s.settlementId,
      period: s.period,
      status: s.status,
      approvedBy: s.approvedBy ?? null,
      approvedAt: s.approvedAt ?? null,
      correctionOf: s.correctionOf,
      paidFen: s.totals.paidFen,
      subsidyFen: s.totals.subsidyFen,
    })),
    ...sums,
  };
}

/** The settlement this one is compared with: the one it corrects, else the one in force for the previous period. */
async function previousOf(deps: Deps, settlement: Settlement): Promise<Settlement | null> {
  if (settlement.correctionOf) return getSettlement(deps.db, settlement.correctionOf);
  const period = /Q[1-4]$/.test(settlement.period) ? previousQuarter(settlement.period) : String(Number(settlement.period) - 1);
  const previous = await inForceSettlement(deps, settlement.districtId, period);
  return previous && previous.settlementId !== settlement.settlementId ? previous : null;
}

export async function settlementComparison(deps: Deps, settlement: Settlement) {
  const previous = await previousOf(deps, settlement);
  const [after, before] = await Promise.all([settlementInput(deps, settlement, false), previous ? settlementInput(deps, previous, false) : null]);
  return {
    settlementId: settlement.settlementId,
    period: settlement.period,
    previous: previous
      ? {
          settlementId: previous.settlementId,
          period: previous.period,
          status: previous.status,
          method: previous.parameters.method,
          relation: settlement.correctionOf ? ('corrected' as const) : ('previous-period' as const),
        }
      : null,
    ...compareSettlements(after.institutions, before?.institutions ?? []),
  };
}
