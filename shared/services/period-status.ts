/**
 * An administrator closes a district's period to metric uploads or reopens it; the administrator's
 * period pages call this. The period's lifecycle (shared/domain/period-lifecycle.ts) decides:
 * closing moves an open period to deadline-passed (a closed one changes nothing); reopening needs
 * a reason and is refused once the period is final. The reason is kept in the period's history
 * with who and when. Callers check the period id (quarter or year).
 */
import type { PeriodStatus } from '../data/period-status.ts';
import type { Deps } from '../deps.ts';
import { closePeriodNow, type PeriodView, readPeriod, reopenPeriodNow } from './periods.ts';

export type PeriodAction = 'close' | 'reopen';

/** The record as the pages show it: `status` closed whenever uploads are refused now (deadline included). */
function asStatus(view: PeriodView): PeriodStatus {
  const { settings: _settings, storedState: _stored, ...record } = view;
  return { ...record, status: view.state === 'open' ? 'open' : 'closed' };
}

export async function changePeriodStatus(
  deps: Deps,
  change: { districtId: string; period: string; action: PeriodAction; by: string; reason?: string | undefined },
): Promise<PeriodStatus> {
  const { districtId, period, by } = change;
  return asStatus(
    change.action === 'close'
      ? await closePeriodNow(deps, { districtId, period, by })
      : await reopenPeriodNow(deps, { districtId, period, by, reason: change.reason ?? '' }),
  );
}

/** The status of each of the periods, in the order given. */
export async function periodStatuses(deps: Deps, districtId: string, periods: readonly string[]): Promise<PeriodStatus[]> {
  return Promise.all(periods.map(async (period) => asStatus(await readPeriod(deps, districtId, period))));
}
