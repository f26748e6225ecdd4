/**
 * A district period's published results for everyone (the public results page): each team's
 * total, grade and rank from the official run, and its survey responses with small numbers
 * suppressed. Nothing before publication (null).
 */
import { requireDistrict } from '../data/districts.ts';
import { allScores } from '../data/evaluations.ts';
import { listInstitutions } from '../data/institutions.ts';
import { aggregatesOfDistrict } from '../data/surveys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';
import type { Deps } from '../deps.ts';
import { MAX_PAGE_SIZE } from '../domain/paging.ts';
import { areResultsPublished, type PeriodState } from '../domain/period-lifecycle.ts';
import { gradeOf, publishedResponses, type ResultGrade } from '../domain/result-grades.ts';
import { readPeriod } from './periods.ts';
import { districtDistributions } from './trends.ts';
import type { PeriodDistribution } from '../domain/trends.ts';

export interface PublicTeamResult {
  teamName: string;
  institutionName: string;
  total: string | null;
  grade: ResultGrade | null;
  rank: number | null;
  responses: { count: number } | { fewerThan: number };
}

export interface PublicResults {
  districtName: string;
  period: string;
  state: PeriodState;
  publishedAt?: string | undefined;
  reviewEndsAt?: string | undefined;
  teams: PublicTeamResult[];
  /** the previous four periods and this one: teams, mean, quartiles and grade counts */
  distribution: PeriodDistribution[];
}

export async function publicResults(deps: Pick<Deps, 'db' | 'now'>, districtId: string, period: string): Promise<PublicResults | null> {
  const district = await requireDistrict(deps.db, districtId);
  const view = await readPeriod(deps, districtId, period);
  if (!areResultsPublished(view.state) || !view.officialRunId) return null;
  const institutions = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listInstitutions(deps.db, districtId, MAX_PAGE_SIZE, cursor);
    for (const i of page.items) institutions.set(i.institutionId, i.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const teams = new Map<string, string>();
  for await (const team of allTeamsOfDistrict(deps.db, districtId)) teams.set(team.teamId, team.name);
  const aggregates = await aggregatesOfDistrict(deps.db, districtId, period);
  const results: PublicTeamResult[] = [];
  for await (const score of allScores(deps.db, view.officialRunId)) {
    results.push({
      teamName: teams.get(score.teamId) ?? score.teamId,
      institutionName: institutions.get(score.institutionId) ?? score.institutionId,
      total: score.score.total,
      grade: gradeOf(score.score.total),
      rank: score.rank,
      responses: publishedResponses(aggregates.get(score.teamId)?.n ?? 0, district.settings.surveyMinResponses),
    });
  }
  results.sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || a.teamName.localeCompare(b.teamName));
  return {
    districtName: district.name,
    period,
    state: view.state,
    publishedAt: view.publishedAt,
    reviewEndsAt: view.reviewEndsAt,
    teams: results,
    distribution: await districtDistributions(deps, districtId, period),
  };
}
