/**
 * Results over time (issue 14 item 6), read through the existing repositories: per period, the
 * period record names its official run once the results are published (in review, final or
 * settled); a period without one has no results. A team's trend reads one scorecard per period;
 * a district's distribution reads the runs' compact total items (one per scoring batch).
 */
import { allScores, allScoreTotals, getScore } from '../data/evaluations.ts';
import { getPeriodStatus } from '../data/period-status.ts';
import type { Deps } from '../deps.ts';
import { areResultsPublished } from '../domain/period-lifecycle.ts';
import { distributionOf, type PeriodDistribution, previousPeriods, type TeamTrend, teamTrend } from '../domain/trends.ts';

/** The official run of a period whose results are published, or null. */
async function publishedRunOf(deps: Pick<Deps, 'db'>, districtId: string, period: string): Promise<string | null> {
  const status = await getPeriodStatus(deps.db, districtId, period);
  return areResultsPublished(status.state) && status.officialRunId ? status.officialRunId : null;
}

/** A team's previous four periods and `period` itself (last), total and per indicator. */
export async function teamTrendOf(
  deps: Pick<Deps, 'db'>,
  input: { districtId: string; teamId: string; period: string; indicatorCodes: readonly string[] },
): Promise<TeamTrend> {
  const periods = [...previousPeriods(input.period), input.period];
  const scores = await Promise.all(
    periods.map(async (period) => {
      const runId = await publishedRunOf(deps, input.districtId, period);
      const stored = runId ? await getScore(deps.db, runId, input.teamId) : null;
      return { period, score: stored ? stored.score : null };
    }),
  );
  return teamTrend(scores, input.indicatorCodes);
}

async function totalsOf(deps: Pick<Deps, 'db'>, evaluationId: string): Promise<(string | null)[]> {
  const totals = await allScoreTotals(deps.db, evaluationId);
  if (totals.length > 0) return totals.map((t) => t.total);
  // a run scored before the compact totals existed: its scorecards
  const fromScores: (string | null)[] = [];
  for await (const score of allScores(deps.db, evaluationId)) fromScores.push(score.score.total);
  return fromScores;
}

/** The district's distribution of totals in the previous four periods and `period` (last). */
export async function districtDistributions(deps: Pick<Deps, 'db'>, districtId: string, period: string): Promise<PeriodDistribution[]> {
  const periods = [...previousPeriods(period), period];
  return Promise.all(
    periods.map(async (p) => {
      const runId = await publishedRunOf(deps, districtId, p);
      return distributionOf(p, runId ? await totalsOf(deps, runId) : null);
    }),
  );
}
