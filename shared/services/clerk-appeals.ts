/**
 * What the clerk's appeal pages read (issue 14 item 5): a period's state and review window, the
 * institution's appeals with the evaluator's decisions, and the names behind the ids (teams,
 * indicators of the official run's criteria, reported metrics of the catalogue).
 */
import { getCriteria } from '../data/criteria.ts';
import { getRun } from '../data/evaluations.ts';
import { getCatalogue } from '../data/metric-catalogue.ts';
import type { Deps } from '../deps.ts';
import type { Label } from '../domain/scoring/index.ts';
import type { MetricDefinition } from '../domain/metrics/catalogue.ts';
import { isAppealWindowOpen } from '../domain/period-lifecycle.ts';
import { type AppealView, listAppeals } from './appeals.ts';
import type { Caller } from './appeal-access.ts';
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

export async function clerkAppeals(deps: Deps, scope: ClerkScope, principal: Caller, period: string): Promise<ClerkAppeals> {
  const districtId = scope.district.districtId;
  const [view, appeals, teams, catalogue] = await Promise.all([
    readPeriod(deps, districtId, period),
    listAppeals(deps, districtId, period, principal),
    teamsOfInstitution(deps, scope.institution),
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
