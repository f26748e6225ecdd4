/**
 * An evaluation run in three phases over batches of teams, each phase persisting its output
 * so that it can run in-process (`npm start`) or as Step Functions steps (deployed):
 *   1 values      per batch: facts → indicator values (current and baseline period)
 *   2 statistics  once: district thresholds, benchmarks, percentiles; and the run fingerprint
 *   3 scores      per batch: values + statistics → scorecards, and the batch's totals in one item
 *   4 ranking     once: rank and percentile of every team, stored beside the scorecards; the run completes
 * Every write is keyed by team (or by batch number), so a redriven batch rewrites identical items.
 */
import { fingerprint } from '../../domain/fingerprint.ts';
import {
  type CriteriaSet,
  computeIndicatorValues,
  finaliseStatistics,
  rankTeams,
  scoreTeam,
  summariseValues,
  type TeamScore,
} from '../../domain/scoring/index.ts';
import { requireCriteria } from '../../data/criteria.ts';
import type { Db } from '../../data/db.ts';
import {
  allScoreTotals,
  allTeamValues,
  type EvaluationRun,
  getStatistics,
  getTeamValues,
  markBatchDone,
  putRanks,
  putScores,
  putScoreTotals,
  putStatistics,
  putTeamValues,
  requireRun,
  type StoredScore,
  updateRun,
} from '../../data/evaluations.ts';
import { allTeamsOfDistrict, type Team } from '../../data/teams.ts';
import { recordRunCompleted } from '../periods.ts';
import { mapLimited } from '../../domain/map-limited.ts';
import { contractsReader, factsOfTeam, periodFactsSource } from './facts.ts';
import { count } from '../../observability/telemetry.ts';

/** Teams per batch: small enough that one task's writes stay far below a partition's 1,000 WCU/s. */
export const DEFAULT_BATCH_SIZE = 100;

/**
 * Batches of one phase in flight at once in this process. Batches are independent (keyed writes,
 * progress counted once per batch), as the deployed state machine's Map runs up to 10 of them.
 */
const IN_PROCESS_BATCHES = 4;

function usesBaseline(criteria: CriteriaSet): boolean {
  return criteria.indicators.some((i) => i.method.kind === 'achievement-improvement');
}

export async function teamsInBatches(db: Db, districtId: string, batchSize = DEFAULT_BATCH_SIZE): Promise<Team[][]> {
  const batches: Team[][] = [];
  for await (const team of allTeamsOfDistrict(db, districtId)) {
    const last = batches.at(-1);
    if (last && last.length < batchSize) last.push(team);
    else batches.push([team]);
  }
  return batches;
}

async function criteriaOf(db: Db, run: EvaluationRun): Promise<CriteriaSet> {
  return (await requireCriteria(db, run.districtId, run.criteriaVersion)).document;
}

/** Phase 1 for one batch (batches numbered from 0 in teamsInBatches order). */
export async function runValuesBatch(db: Db, evaluationId: string, batch: number, teams: readonly Team[]): Promise<void> {
  const run = await requireRun(db, evaluationId);
  // read together: the baseline period's pointers are read before it is known whether the criteria use them
  const [criteria, current, baselineSource] = await Promise.all([
    criteriaOf(db, run),
    periodFactsSource(db, run.districtId, run.period),
    run.baselinePeriod ? periodFactsSource(db, run.districtId, run.baselinePeriod) : null,
  ]);
  const baseline = usesBaseline(criteria) ? baselineSource : null;
  const contractsOf = contractsReader(db);
  const stored = await mapLimited(teams, 8, async (team) => {
    const contracts = contractsOf(team);
    const [facts, baselineFacts] = await Promise.all([factsOfTeam(db, current, team, contracts), baseline ? factsOfTeam(db, baseline, team, contracts) : null]);
    return {
      teamId: team.teamId,
      institutionId: team.institutionId,
      inputDigest: fingerprint({ facts, baselineFacts, metricVersion: current.uploads.get(team.institutionId)?.version ?? null }),
      current: computeIndicatorValues(criteria, facts, baselineFacts),
      baseline: baselineFacts ? computeIndicatorValues(criteria, baselineFacts) : null,
    };
  });
  await putTeamValues(db, evaluationId, batch, stored);
  await markBatchDone(db, evaluationId, 'values', batch, teams.length);
}

/** Phase 2: district statistics from every team's values, and the fingerprint of all inputs. */
export async function runStatistics(db: Db, evaluationId: string): Promise<void> {
  const run = await requireRun(db, evaluationId);
  const criteria = await criteriaOf(db, run);
  const current = [];
  const baseline = [];
  const digests: [string, string][] = [];
  // by team id, the order the statistics were always summed in (one item per team, sorted by key, before batches stored them together)
  const all = [...(await allTeamValues(db, evaluationId)).values()].sort((a, b) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  for (const stored of all) {
    current.push(stored.current);
    if (stored.baseline) baseline.push(stored.baseline);
    digests.push([stored.teamId, stored.inputDigest]);
  }
  await putStatistics(db, evaluationId, finaliseStatistics(criteria, summariseValues(criteria, current, baseline)));
  const source = await periodFactsSource(db, run.districtId, run.period);
  await updateRun(db, evaluationId, {
    phase: 'scores',
    progress: { done: 0, total: run.progress.total },
    metricVersions: Object.fromEntries([...source.uploads.entries()].map(([institutionId, upload]) => [institutionId, upload.version])),
    fingerprint: fingerprint({ criteria, period: run.period, baselinePeriod: run.baselinePeriod, teams: digests }),
  });
}

/** Phase 3 for one batch. */
export async function runScoresBatch(db: Db, evaluationId: string, batch: number, teamIds: readonly string[]): Promise<void> {
  const run = await requireRun(db, evaluationId);
  const [criteria, statistics, values] = await Promise.all([
    criteriaOf(db, run),
    getStatistics(db, evaluationId),
    getTeamValues(db, evaluationId, batch, teamIds),
  ]);
  const scores: StoredScore[] = values.map((v) => ({
    evaluationId,
    teamId: v.teamId,
    institutionId: v.institutionId,
    score: scoreTeam(criteria, statistics, v.current),
    rank: null,
    percentile: null,
  }));
  await Promise.all([
    putScores(db, scores),
    putScoreTotals(
      db,
      evaluationId,
      batch,
      scores.map((s) => s.score),
    ),
  ]);
  await markBatchDone(db, evaluationId, 'scores', batch, teamIds.length);
}

const HISTOGRAM_BINS = 10;

/**
 * Phase 4: ranks every team from the batches' totals and completes the run with a summary.
 * The ranks are small items of their own (putRanks): the scorecards are neither read nor
 * written again.
 */
export async function runRanking(db: Db, evaluationId: string, completedAt: string): Promise<void> {
  const totals = await allScoreTotals(db, evaluationId);
  const ranking = rankTeams(totals);
  await putRanks(
    db,
    evaluationId,
    ranking.map((r) => ({ teamId: r.teamId, rank: r.rank, percentile: r.percentile })),
  );
  try {
    await updateRun(db, evaluationId, { status: 'completed', phase: 'done', completedAt, summary: summarise(totals) });
  } catch (error) {
    // a redriven ranking of a run that completed but did not become official yet: record it below
    if ((error as { code?: string }).code !== 'run-finished') throw error;
  }
  await recordRunCompleted(db, await requireRun(db, evaluationId), completedAt);
  count('RunCompleted');
}

function summarise(scores: readonly Pick<TeamScore, 'total' | 'eligibility'>[]): NonNullable<EvaluationRun['summary']> {
  const totals = scores.flatMap((s) => (s.total === null ? [] : [Number(s.total)]));
  const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const t of totals) histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor(t / (100 / HISTOGRAM_BINS)))]!++;
  // totals carry 2 decimals: sum them in hundredths so the mean is exact before its one rounding
  const hundredths = totals.reduce((sum, t) => sum + Math.round(t * 100), 0);
  return {
    teams: scores.length,
    scored: totals.length,
    mean: totals.length ? (Math.round(hundredths / totals.length) / 100).toFixed(2) : null,
    histogram,
    eligible: scores.filter((s) => s.eligibility === 'eligible').length,
    capped: scores.filter((s) => s.eligibility === 'capped').length,
    void: scores.filter((s) => s.eligibility === 'void').length,
  };
}

/** All phases in sequence, in this process: how `npm start` and the tests run an evaluation. */
export async function executeEvaluation(db: Db, evaluationId: string, now: () => Date, batchSize = DEFAULT_BATCH_SIZE): Promise<void> {
  const run = await requireRun(db, evaluationId);
  try {
    const batches = await teamsInBatches(db, run.districtId, batchSize);
    await updateRun(db, evaluationId, { status: 'running', phase: 'values', progress: { done: 0, total: run.progress.total } });
    await mapLimited(batches, IN_PROCESS_BATCHES, (batch, i) => runValuesBatch(db, evaluationId, i, batch));
    await updateRun(db, evaluationId, { phase: 'statistics' });
    await runStatistics(db, evaluationId);
    await mapLimited(batches, IN_PROCESS_BATCHES, (batch, i) =>
      runScoresBatch(
        db,
        evaluationId,
        i,
        batch.map((t) => t.teamId),
      ),
    );
    await updateRun(db, evaluationId, { phase: 'ranking' });
    await runRanking(db, evaluationId, now().toISOString());
  } catch (error) {
    await updateRun(db, evaluationId, { status: 'failed', error: error instanceof Error ? error.message : String(error) }).catch(() => {});
    count('RunFailed');
    throw error;
  }
}
