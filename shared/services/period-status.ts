/**
 * An administrator closes a district's period to metric uploads or reopens it; the JSON API
 * (functions/institution-data/app.ts) and the administrator's period pages both call this.
 * Closing a closed period or reopening an open one changes nothing. The reason, when given, is
 * kept in the period's history with who and when. Callers check the period id (quarter or year).
 */
import { requireDistrict } from '../data/districts.ts';
import { closePeriod, getPeriodStatus, type PeriodStatus, reopenPeriod } from '../data/period-status.ts';
import type { Deps } from '../deps.ts';

export type PeriodAction = 'close' | 'reopen';

export async function changePeriodStatus(
  deps: Deps,
  change: { districtId: string; period: string; action: PeriodAction; by: string; reason?: string | undefined },
): Promise<PeriodStatus> {
  await requireDistrict(deps.db, change.districtId);
  const at = deps.now().toISOString();
  const reason = change.reason?.trim() || undefined;
  return change.action === 'close'
    ? closePeriod(deps.db, change.districtId, change.period, change.by, at, reason)
    : reopenPeriod(deps.db, change.districtId, change.period, change.by, at, reason);
}

/** The status of each of the periods, in the order given. */
export async function periodStatuses(deps: Deps, districtId: string, periods: readonly string[]): Promise<PeriodStatus[]> {
  return Promise.all(periods.map((period) => getPeriodStatus(deps.db, districtId, period)));
}
