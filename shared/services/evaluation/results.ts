/**
 * A completed run's team results as the results page shows them: every score with its team and
 * institution by name, searched (team or institution name), filtered by institution and by
 * incentive eligibility, sorted, then one page of them. A district has a few hundred teams, so
 * the whole run is read and worked on in memory.
 */
import { allScores, type StoredScore } from '../../data/evaluations.ts';
import { listInstitutions } from '../../data/institutions.ts';
import { allTeamsOfDistrict } from '../../data/teams.ts';
import type { Db } from '../../data/db.ts';

export const RESULT_SORTS = ['rank', 'total', 'team', 'institution'] as const;
export type ResultSort = (typeof RESULT_SORTS)[number];

export interface ResultsQuery {
  q?: string | undefined;
  institutionId?: string | undefined;
  eligibility?: 'eligible' | 'capped' | 'void' | undefined;
  sort?: ResultSort | undefined;
  desc?: boolean | undefined;
  page?: number | undefined;
}

export interface ResultRow extends StoredScore {
  teamName: string;
  institutionName: string;
}

export interface ResultsPage {
  rows: ResultRow[];
  total: number;
  page: number;
  pages: number;
  institutions: { institutionId: string; name: string }[];
}

/** Every result the query keeps, in its order (the page and the XLSX export show the same rows). */
export async function filteredResults(
  db: Db,
  run: { evaluationId: string; districtId: string },
  query: ResultsQuery,
): Promise<{ rows: ResultRow[]; institutions: ResultsPage['institutions'] }> {
  const teamNames = new Map<string, string>();
  for await (const team of allTeamsOfDistrict(db, run.districtId)) teamNames.set(team.teamId, team.name);
  const institutions = (await listInstitutions(db, run.districtId, 1000)).items.map((i) => ({ institutionId: i.institutionId, name: i.name }));
  const institutionNames = new Map(institutions.map((i) => [i.institutionId, i.name]));
  const rows: ResultRow[] = [];
  for await (const score of allScores(db, run.evaluationId)) {
    rows.push({
      ...score,
      teamName: teamNames.get(score.teamId) ?? score.teamId,
      institutionName: institutionNames.get(score.institutionId) ?? score.institutionId,
    });
  }
  const q = query.q?.trim();
  const kept = rows.filter(
    (r) =>
      (!q || r.teamName.includes(q) || r.institutionName.includes(q)) &&
      (!query.institutionId || r.institutionId === query.institutionId) &&
      (!query.eligibility || r.score.eligibility === query.eligibility),
  );
  const byRank = (a: ResultRow, b: ResultRow) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || (a.teamId < b.teamId ? -1 : 1);
  const order: Record<ResultSort, (a: ResultRow, b: ResultRow) => number> = {
    rank: byRank,
    total: (a, b) => Number(a.score.total == null) - Number(b.score.total == null) || Number(b.score.total ?? 0) - Number(a.score.total ?? 0) || byRank(a, b),
    team: (a, b) => a.teamName.localeCompare(b.teamName, 'zh-CN') || byRank(a, b),
    institution: (a, b) => a.institutionName.localeCompare(b.institutionName, 'zh-CN') || byRank(a, b),
  };
  const sorted = kept.sort(order[query.sort ?? 'rank']);
  if (query.desc) sorted.reverse();
  return { rows: sorted, institutions };
}

export async function runResults(db: Db, run: { evaluationId: string; districtId: string }, query: ResultsQuery, perPage: number): Promise<ResultsPage> {
  const { rows: sorted, institutions } = await filteredResults(db, run, query);
  const pages = Math.max(1, Math.ceil(sorted.length / perPage));
  const page = Math.min(Math.max(query.page ?? 1, 1), pages);
  return { rows: sorted.slice((page - 1) * perPage, page * perPage), total: sorted.length, page, pages, institutions };
}
