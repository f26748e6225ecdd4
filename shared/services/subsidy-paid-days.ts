/**
 * Every subsidy day at most once, per contract (docs/money-rules.md §9, rule 7): what a
 * settlement computes against and what its approval records. The record is the district's
 * SUBSIDY_PAID item (shared/data/settlements.ts): pieces of contract-days approved settlements
 * paid (shared/domain/money/contract-paid-days.ts), versioned, rewritten by each approval in its
 * transaction on condition that the version is still the one the settlement was computed against.
 */
import type { Settlement } from '../data/settlements.ts';
import { getSubsidyPaid } from '../data/settlements.ts';
import { piecesAfterApproval, termsAsOf } from '../domain/money/contract-paid-days.ts';
import type { PaidRange } from '../domain/money/subsidy-days.ts';
import { parsePeriod } from '../domain/periods.ts';
import type { SettlementFacts } from '../domain/settlements/compute.ts';
import type { Deps } from '../deps.ts';

/**
 * What a settlement of `periodId` is computed against: the pieces earlier approved settlements
 * paid inside the period (those of the settlement a correction replaces count as unpaid: the
 * correction pays them anew), the record's version, and `asOf`, the instant the registry is read
 * at (taken before reading it: contract-days known later are left to a later settlement).
 */
export async function paidDaysBeforeComputing(
  deps: Pick<Deps, 'db' | 'now'>,
  districtId: string,
  periodId: string,
  correctionOf: string | null,
): Promise<{ alreadyPaid: PaidRange[]; version: number; asOf: string }> {
  const asOf = deps.now().toISOString();
  const coverage = await getSubsidyPaid(deps.db, districtId);
  const period = parsePeriod(periodId);
  const alreadyPaid = period
    ? coverage.ranges
        .filter((r) => r.settlementId !== correctionOf && r.end >= period.start && r.start <= period.end)
        .map((r) => ({ ...r, start: r.start > period.start ? r.start : period.start, end: r.end < period.end ? r.end : period.end }))
    : [];
  return { alreadyPaid, version: coverage.version, asOf };
}

/** The registry as it stood at `asOf`: contracts signed later left out, renewals recorded later undone. */
export function registryAsOf(facts: SettlementFacts, asOf: string): SettlementFacts {
  return { ...facts, contracts: facts.contracts.flatMap((c) => termsAsOf(c, asOf) ?? []) };
}

/** The district's pieces once `settlement` is approved: what it paid added, those of the settlement it corrects replaced. */
export function paidDaysAfterApproval(settlement: Settlement, pieces: readonly PaidRange[]): PaidRange[] {
  const period = parsePeriod(settlement.period);
  if (!period) return [...pieces];
  return piecesAfterApproval(pieces, {
    settlementId: settlement.settlementId,
    period: settlement.period,
    range: period,
    // headers computed before `paidDaysAsOf` was kept: their computation time, the closest instant known
    asOf: settlement.paidDaysAsOf ?? settlement.computedAt,
    correctionOf: settlement.correctionOf,
  });
}
