/**
 * Evaluation runs repository. A run record EVALUATION#{id} / RUN carries status and progress
 * (gsi1 DISTRICT#{d}#EVALUATIONS lists a district's runs); phase 1 stores each batch's team values
 * under EVALUATION#{id}#VALUES / BATCH#{batch}#PART#{n} (a few items of up to ~200 KB per batch, not
 * one per team: only phases 2 and 3 read them, by batch or all at once), phase 2 the district statistics as EVALUATION#{id} /
 * STATISTIC#{code}, phase 3 each team's scorecard under EVALUATION#{id}#SCORES (and each batch's totals as
 * EVALUATION#{id} / TOTALS#{batch}), phase 4 each
 * team's rank and percentile under EVALUATION#{id}#RANKS (same sort keys as the scorecards; the
 * readers join them in, so ranking never rewrites a scorecard). Each phase writes whole items
 * keyed by team, so a redriven batch overwrites with identical content and nothing is counted
 * twice.
 */
import { GetCommand, PutCommand, QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DistrictStatistics, IndicatorStatistics, TeamScore, TeamValues } from '../domain/scoring/index.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import { batchPut } from './batch.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { evaluationKeys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryAll, queryPage } from './query.ts';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed';
export type RunPhase = 'values' | 'statistics' | 'scores' | 'ranking' | 'done';

export interface EvaluationRun {
  evaluationId: string;
  districtId: string;
  period: string;
  baselinePeriod: string | null;
  criteriaVersion: number;
  status: RunStatus;
  phase: RunPhase;
  progress: { done: number; total: number };
  startedBy: string;
  /** the starter's display name when started by a person (shared/data/acting-person.ts) */
  startedByName?: string;
  createdAt: string;
  /** `correction`: started by accepted appeals of a published period (shared/services/appeals.ts) */
  purpose?: 'regular' | 'correction';
  /** why this run was started: a rerun's reason replacing official results, or the appeals it corrects */
  reason?: string;
  appealIds?: string[];
  completedAt?: string;
  /** sha256 of the inputs: criteria document, period, and every team's facts */
  fingerprint?: string;
  /** which metric upload version of each institution the run read */
  metricVersions?: Record<string, number>;
  summary?: { teams: number; scored: number; mean: string | null; histogram: number[]; eligible: number; capped: number; void: number };
  error?: string;
}

export interface StoredScore {
  evaluationId: string;
  teamId: string;
  institutionId: string;
  score: TeamScore;
  rank: number | null;
  percentile: string | null;
}

export async function createRun(db: Db, run: EvaluationRun): Promise<EvaluationRun> {
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: {
        ...evaluationKeys.run(run.evaluationId),
        ...evaluationKeys.runListEntry(run.districtId, run.createdAt, run.evaluationId),
        entity: 'evaluation-run',
        ...run,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return run;
}

/** The run without its batch bookkeeping (valuesBatches, scoresBatches: see markBatchDone). */
function runOf(item: Record<string, unknown>): EvaluationRun {
  const { valuesBatches: _v, scoresBatches: _s, ...run } = entityOf<EvaluationRun & { valuesBatches?: unknown; scoresBatches?: unknown }>(item);
  return run;
}

export async function getRun(db: Db, evaluationId: string, consistent = false): Promise<EvaluationRun | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: evaluationKeys.run(evaluationId), ConsistentRead: consistent }));
  return result.Item ? runOf(result.Item) : null;
}

export async function requireRun(db: Db, evaluationId: string): Promise<EvaluationRun> {
  const run = await getRun(db, evaluationId);
  if (!run) throw notFound('evaluation', `Evaluation ${evaluationId}`);
  return run;
}

export function listRuns(db: Db, districtId: string, limit: number, cursor?: string): Promise<Page<EvaluationRun>> {
  return queryPage(db, { index: 'gsi1', partition: evaluationKeys.runsOfDistrict(districtId), limit, cursor, scanForward: false }, runOf);
}

/** Moves a run to a phase; only a run that is not finished may move (a finished run is immutable). */
export async function updateRun(
  db: Db,
  evaluationId: string,
  change: Partial<Pick<EvaluationRun, 'status' | 'phase' | 'progress' | 'fingerprint' | 'metricVersions' | 'summary' | 'completedAt' | 'error'>>,
): Promise<void> {
  const entries = Object.entries(change).filter(([, v]) => v !== undefined);
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':completed': 'completed' };
  entries.forEach(([k, v], i) => {
    names[`#k${i}`] = k;
    values[`:v${i}`] = v;
  });
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: evaluationKeys.run(evaluationId),
        UpdateExpression: `SET ${entries.map((_, i) => `#k${i} = :v${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND #status <> :completed',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw conflict('run-finished', `Evaluation ${evaluationId} is complete and immutable`);
    throw error;
  }
}

/**
 * Counts a finished batch into the run's progress once: a redriven batch that already counted
 * fails the condition and changes nothing.
 */
export async function markBatchDone(db: Db, evaluationId: string, phase: 'values' | 'scores', batch: number, teams: number): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: evaluationKeys.run(evaluationId),
        UpdateExpression: 'ADD #batches :batch, progress.done :n',
        ConditionExpression: 'NOT contains(#batches, :index)',
        ExpressionAttributeNames: { '#batches': `${phase}Batches` },
        ExpressionAttributeValues: { ':batch': new Set([String(batch)]), ':index': String(batch), ':n': teams },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** Phase 1 output of one team: its values, its values in the baseline period (for district baselines), and a digest of its facts. */
export interface StoredTeamValues {
  teamId: string;
  institutionId: string;
  inputDigest: string;
  current: TeamValues;
  baseline: TeamValues | null;
}

/** Serialised size of one part's values, far below DynamoDB's 400 KB item limit whatever the criteria. */
const VALUES_PART_CHARS = 200_000;

/**
 * Phase 1 output of one batch, in parts of at most ~200 KB. A redriven batch rewrites the same
 * parts with the same teams (should it need fewer parts, a leftover part repeats teams of the
 * batch, which the readers count once).
 */
export function putTeamValues(db: Db, evaluationId: string, batch: number, values: readonly StoredTeamValues[]): Promise<void> {
  const parts: StoredTeamValues[][] = [];
  let size = Number.POSITIVE_INFINITY;
  for (const v of values) {
    const chars = JSON.stringify(v).length;
    if (size + chars > VALUES_PART_CHARS) {
      parts.push([]);
      size = 0;
    }
    parts.at(-1)!.push(v);
    size += chars;
  }
  return batchPut(
    db,
    parts.map((teams, part) => ({ ...evaluationKeys.valuesPart(evaluationId, batch, part), entity: 'evaluation-values', batch, teams })),
  );
}

/** Every team's values of a run, each team once (the last part holding it, should batches have been cut again). */
export async function allTeamValues(db: Db, evaluationId: string, batch?: number): Promise<Map<string, StoredTeamValues>> {
  const byTeam = new Map<string, StoredTeamValues>();
  const sortKeyPrefix = batch === undefined ? undefined : { attribute: 'sk', prefix: evaluationKeys.valuesOfBatch(batch) };
  for await (const item of queryAll(db, { partition: evaluationKeys.valuesOf(evaluationId), sortKeyPrefix })) {
    for (const values of item.teams as StoredTeamValues[]) byTeam.set(values.teamId, values);
  }
  return byTeam;
}

/**
 * The stored values of the given teams of a batch, in the given order: one query of the batch's
 * parts, or of every part should the district's teams have been cut into batches differently since.
 */
export async function getTeamValues(db: Db, evaluationId: string, batch: number, teamIds: readonly string[]): Promise<StoredTeamValues[]> {
  let byTeam = await allTeamValues(db, evaluationId, batch);
  if (teamIds.some((teamId) => !byTeam.has(teamId))) byTeam = await allTeamValues(db, evaluationId);
  return teamIds.flatMap((teamId) => byTeam.get(teamId) ?? []);
}

export async function putStatistics(db: Db, evaluationId: string, statistics: DistrictStatistics): Promise<void> {
  await batchPut(
    db,
    Object.entries(statistics.indicators).map(([code, statistic]) => ({
      ...evaluationKeys.statistic(evaluationId, code),
      entity: 'evaluation-statistic',
      code,
      statistic,
    })),
  );
}

export async function getStatistics(db: Db, evaluationId: string): Promise<DistrictStatistics> {
  const indicators: Record<string, IndicatorStatistics> = {};
  for await (const item of queryAll(db, { partition: evaluationKeys.statisticsOf(evaluationId), sortKeyPrefix: { attribute: 'sk', prefix: 'STATISTIC#' } })) {
    indicators[item.code as string] = item.statistic as IndicatorStatistics;
  }
  return { indicators };
}

/** Phase 3 output: scorecards as scored, rank and percentile null (phase 4 stores those apart: putRanks). */
export function putScores(db: Db, scores: StoredScore[]): Promise<void> {
  return batchPut(
    db,
    scores.map((s) => ({ ...evaluationKeys.score(s.evaluationId, s.teamId), entity: 'evaluation-score', ...s })),
  );
}

/** Phase 4 output of one team (null rank and percentile for a team without a total). */
export interface StoredRank {
  teamId: string;
  rank: number | null;
  percentile: string | null;
}

export function putRanks(db: Db, evaluationId: string, ranks: readonly StoredRank[]): Promise<void> {
  return batchPut(
    db,
    ranks.map((r) => ({ ...evaluationKeys.rank(evaluationId, r.teamId), entity: 'evaluation-rank', teamId: r.teamId, rank: r.rank, percentile: r.percentile })),
  );
}

/** What ranking and the run summary read of a scorecard. */
export type ScoreTotal = Pick<TeamScore, 'teamId' | 'total' | 'eligibility' | 'capPercent'>;

/**
 * Phase 3 output of one batch beside its scorecards: the teams' totals in one small item, so
 * that phase 4 reads 1 item per batch instead of every (large) scorecard. A redriven batch
 * rewrites the same item.
 */
export function putScoreTotals(db: Db, evaluationId: string, batch: number, totals: readonly ScoreTotal[]): Promise<void> {
  const compact = totals.map((t) => ({ teamId: t.teamId, total: t.total, eligibility: t.eligibility, capPercent: t.capPercent }));
  return batchPut(db, [{ ...evaluationKeys.scoreTotals(evaluationId, batch), entity: 'evaluation-score-totals', batch, totals: compact }]);
}

/** Every team's total, once each (a team in two batch items, should the batches have been cut again after the district's teams changed, counts once). */
export async function allScoreTotals(db: Db, evaluationId: string): Promise<ScoreTotal[]> {
  const byTeam = new Map<string, ScoreTotal>();
  for await (const item of queryAll(db, { partition: evaluationKeys.statisticsOf(evaluationId), sortKeyPrefix: { attribute: 'sk', prefix: 'TOTALS#' } })) {
    for (const total of item.totals as ScoreTotal[]) byTeam.set(total.teamId, total);
  }
  return [...byTeam.values()];
}

type RankFields = Pick<StoredRank, 'rank' | 'percentile'>;

/** A stored scorecard with its team's rank joined in; without a rank item (a run ranked before those existed, or not yet ranked) it keeps its own fields. */
function scoreWithRank(item: Record<string, unknown>, rank: RankFields | undefined): StoredScore {
  const score = entityOf<StoredScore>(item);
  return rank ? { ...score, rank: rank.rank, percentile: rank.percentile } : score;
}

function rankFieldsOf(item: Record<string, unknown>): RankFields {
  return { rank: item.rank as number | null, percentile: item.percentile as string | null };
}

/** The rank items of the teams whose sort keys lie from `first` to `last`, by team. */
async function ranksBetween(db: Db, evaluationId: string, range?: { first: string; last: string }): Promise<Map<string, RankFields>> {
  const pk = evaluationKeys.ranksOf(evaluationId).pk;
  const query: QueryInput = range
    ? { KeyConditionExpression: 'pk = :p AND sk BETWEEN :first AND :last', ExpressionAttributeValues: { ':p': pk, ':first': range.first, ':last': range.last } }
    : { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': pk } };
  const ranks = new Map<string, RankFields>();
  for await (const item of queryItems(db, query)) ranks.set(item.teamId as string, rankFieldsOf(item));
  return ranks;
}

export async function getScore(db: Db, evaluationId: string, teamId: string): Promise<StoredScore | null> {
  const [score, rank] = await Promise.all([
    db.doc.send(new GetCommand({ TableName: db.tableName, Key: evaluationKeys.score(evaluationId, teamId) })),
    db.doc.send(new GetCommand({ TableName: db.tableName, Key: evaluationKeys.rank(evaluationId, teamId) })),
  ]);
  return score.Item ? scoreWithRank(score.Item, rank.Item ? rankFieldsOf(rank.Item) : undefined) : null;
}

/** A page of scorecards, and the rank items of the same teams with one more query (their sort keys are the page's). */
export async function listScores(db: Db, evaluationId: string, limit: number, cursor?: string): Promise<Page<StoredScore>> {
  const page = await queryPage(db, { partition: { pk: evaluationKeys.scoresOf(evaluationId).pk }, limit, cursor }, (raw) => raw);
  const first = page.items[0];
  const last = page.items.at(-1);
  const ranks = first && last ? await ranksBetween(db, evaluationId, { first: first.sk as string, last: last.sk as string }) : new Map<string, RankFields>();
  return { items: page.items.map((item) => scoreWithRank(item, ranks.get(item.teamId as string))), nextCursor: page.nextCursor };
}

/** Every team's scorecard of a run with its rank, page by page (settlements and reports read this). */
export async function* allScores(db: Db, evaluationId: string): AsyncGenerator<StoredScore> {
  const ranks = await ranksBetween(db, evaluationId);
  for await (const item of queryAll(db, { partition: evaluationKeys.scoresOf(evaluationId) })) yield scoreWithRank(item, ranks.get(item.teamId as string));
}

type QueryInput = Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>;

/** Every item a query of the table answers, page by page. */
async function* queryItems(db: Db, query: QueryInput): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new QueryCommand({ TableName: db.tableName, ...query, ExclusiveStartKey: start }));
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
