/**
 * For the clerk's home (the institution-data function, which loads only this of the appeals):
 * the quarters open to appeals and the institution's appeals in the last one.
 */
import { appealsOfPeriod } from '../data/appeals.ts';
import type { Deps } from '../deps.ts';
import { localDateAt } from '../domain/period-close.ts';
import { isAppealWindowOpen } from '../domain/period-lifecycle.ts';
import { previousQuarter, quarterOf } from '../domain/periods.ts';
import type { ClerkScope } from './clerk-overview.ts';
import { readPeriod } from './periods.ts';

/** The quarters a clerk may look at for appeals: the last four that have ended, newest first. */
export function appealQuarters(now: Date): string[] {
  const quarters: string[] = [];
  let quarter = previousQuarter(quarterOf(localDateAt(now)));
  for (let i = 0; i < 4; i++, quarter = previousQuarter(quarter)) quarters.push(quarter);
  return quarters;
}

export interface AppealSummary {
  period: string;
  /** the review window's end while it is open */
  windowEndsAt: string | null;
  open: number;
  decided: number;
}

/** For the clerk's home: the last quarter's review window and the institution's appeals in it. */
export async function appealSummary(deps: Deps, scope: ClerkScope, period: string): Promise<AppealSummary> {
  const [view, appeals] = await Promise.all([readPeriod(deps, scope.district.districtId, period), appealsOfPeriod(deps.db, scope.district.districtId, period)]);
  const own = appeals.filter((a) => a.institutionId === scope.institution.institutionId);
  return {
    period,
    windowEndsAt: isAppealWindowOpen(view, deps.now()) ? (view.reviewEndsAt ?? null) : null,
    open: own.filter((a) => a.status === 'open').length,
    decided: own.filter((a) => a.status !== 'open').length,
  };
}
