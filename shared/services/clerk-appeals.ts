/**
 * What the clerk's appeal pages read (issue 14 item 5): a period's state and review window, the
 * institution's appeals with the evaluator's decisions, and the names behind the ids (teams,
 * indicators of the official run's criteria, reported metrics of the catalogue).
 */
import { appealsOfPeriod } from '../data/appeals.ts';
import { getCriteria } from '../data/criteria.ts';
import { getRun } from '../data/evaluations.ts';
import { getCatalogue } from '../data/metric-catalogue.ts';
import type { Deps } from '../deps.ts';
import type { Label } from '../domain/scoring/index.ts';
import type { MetricDefinition } from '../domain/metrics/catalogue.ts';
import { isAppealWindowOpen } from '../domain/period-lifecycle.ts';
import { previousQuarter, quarterOf } from '../domain/periods.ts';
import { todayIso } from '../domain/dates.ts';
import { type AppealView, type Caller, listAppeals } from './appeals.ts';
import { type ClerkScope, teamsOfInstitution } from './clerk-overview.ts';
import { type PeriodView, readPeriod } from './periods.ts';

export interface ClerkAppeals {
  view: PeriodView;
  windowOpen: boolean;
  appeals: AppealView[];
  teams: { teamId: string; name: string }[];
  /** the official run's indicators, in the criteria's order */
  indicators: { code: string; label: Label }[];
  metrics: MetricDefinition[];
}

/** The quarters a clerk may look at for appeals: the last four that have ended, newest first. */
export function appealQuarters(now: Date): string[] {
  const quarters: string[] = [];
  let quarter = previousQuarter(quarterOf(todayIso(now)));
  for (let i = 0; i < 4; i++, quarter = previousQuarter(quarter)) quarters.push(quarter);
  return quarters;
}

export async function clerkAppeals(deps: Deps, scope: ClerkScope, principal: Caller, period: string): Promise<ClerkAppeals> {
  const districtId = scope.district.districtId;
  const [view, appeals, teams, catalogue] = await Promise.all([
    readPeriod(deps, districtId, period),
    listAppeals(deps, districtId, period, principal),
    teamsOfInstitution(deps, scope.institution.institutionId),
    getCatalogue(deps.db, districtId),
  ]);
  return {
    view,
    windowOpen: isAppealWindowOpen(view, deps.now()),
    appeals: appeals.reverse(),
    teams: teams.map((t) => ({ teamId: t.teamId, name: t.name })),
    indicators: await indicatorsOfRun(deps, districtId, view.officialRunId),
    metrics: catalogue.definitions,
  };
}

/** The indicators of a run's criteria version, by code and label (none without a run). */
export async function indicatorsOfRun(deps: Pick<Deps, 'db'>, districtId: string, evaluationId: string | undefined): Promise<{ code: string; label: Label }[]> {
  const run = evaluationId ? await getRun(deps.db, evaluationId) : null;
  const criteria = run ? await getCriteria(deps.db, districtId, run.criteriaVersion) : null;
  return (criteria?.document.indicators ?? []).map((i) => ({ code: i.code, label: i.label }));
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
