/**
 * What a clerk reads of their teams' results: the district's latest completed evaluation with each
 * of the institution's teams' total, rank and eligibility, and the survey results of that period
 * (figures withheld below the district's minimum of responses). Reads: a page of runs, one score
 * per team, the instrument and the teams' survey aggregates.
 */
import { isPublishedRun } from './periods.ts';
import { surveyResults, type SurveyResults } from '../domain/surveys/aggregate.ts';
import { getCriteria } from '../data/criteria.ts';
import type { District } from '../data/districts.ts';
import { type EvaluationRun, getRun, getScore, listRuns, type StoredScore } from '../data/evaluations.ts';
import { aggregatesOfTeams, currentInstrument } from '../data/surveys.ts';
import type { Team } from '../data/teams.ts';
import type { Deps } from '../deps.ts';

const RUNS_LOOKED_AT = 20;

export interface TeamResult {
  team: Team;
  score: StoredScore | null;
  survey: SurveyResults;
}

export async function latestCompletedRun(deps: Deps, districtId: string): Promise<EvaluationRun | null> {
  const runs = await listRuns(deps.db, districtId, RUNS_LOOKED_AT);
  // clerks see results from publication on: the newest published official run (issue 14)
  for (const run of runs.items) if (run.status === 'completed' && (await isPublishedRun(deps, run))) return run;
  return null;
}

export async function teamResults(deps: Deps, district: District, run: EvaluationRun, teams: readonly Team[]): Promise<TeamResult[]> {
  const [scores, instrument, aggregates] = await Promise.all([
    Promise.all(teams.map((t) => getScore(deps.db, run.evaluationId, t.teamId))),
    currentInstrument(deps.db, district.districtId),
    aggregatesOfTeams(
      deps.db,
      district.districtId,
      run.period,
      teams.map((t) => t.teamId),
    ),
  ]);
  return teams.map((team, i) => ({
    team,
    score: scores[i] ?? null,
    survey: surveyResults(instrument, aggregates.get(team.teamId) ?? {}, district.settings.surveyMinResponses),
  }));
}

/** One team's scorecard in a run with the indicator labels of the run's criteria. */
export async function scorecardOf(deps: Deps, evaluationId: string, teamId: string) {
  const run = await getRun(deps.db, evaluationId);
  // a clerk's scorecard: only of published results (issue 14)
  if (!run || !(await isPublishedRun(deps, run))) return null;
  const [stored, criteria] = await Promise.all([getScore(deps.db, evaluationId, teamId), getCriteria(deps.db, run.districtId, run.criteriaVersion)]);
  return stored ? { run, stored, indicators: criteria?.document.indicators ?? [] } : null;
}
