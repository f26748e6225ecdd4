/**
 * Evaluation runs repository. A run record EVALUATION#{id} / RUN carries status and progress
 * (gsi1 DISTRICT#{d}#EVALUATIONS lists a district's runs); phase 1 stores each team's values
 * under EVALUATION#{id}#VALUES, phase 2 the district statistics as EVALUATION#{id} /
 * STATISTIC#{code}, phase 3 each team's scorecard under EVALUATION#{id}#SCORES. Each phase
 * writes whole items keyed by team, so a redriven batch overwrites with identical content and
 * nothing is counted twice.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DistrictStatistics, IndicatorStatistics, TeamScore, TeamValues } from '../domain/scoring/index.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import { batchGet, batchPut } from './batch.ts';
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
  createdAt: string;
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
      Item: { ...evaluationKeys.run(run.evaluationId), ...evaluationKeys.runListEntry(run.districtId, run.createdAt, run.evaluationId), entity: 'evaluation-run', ...run },
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

export function putTeamValues(db: Db, evaluationId: string, values: StoredTeamValues[]): Promise<void> {
  return batchPut(
    db,
    values.map((v) => ({ ...evaluationKeys.values(evaluationId, v.teamId), entity: 'evaluation-values', ...v })),
  );
}

export async function* allTeamValues(db: Db, evaluationId: string): AsyncGenerator<StoredTeamValues> {
  for await (const item of queryAll(db, { partition: evaluationKeys.valuesOf(evaluationId) })) yield entityOf<StoredTeamValues>(item);
}

/** The stored values of the given teams (BatchGetItem, 100 keys a call, unprocessed keys asked again), in the given order. */
export async function getTeamValues(db: Db, evaluationId: string, teamIds: readonly string[]): Promise<StoredTeamValues[]> {
  const byTeam = new Map<string, StoredTeamValues>();
  for (const item of await batchGet(db, teamIds.map((teamId) => evaluationKeys.values(evaluationId, teamId)), 1)) {
    const values = entityOf<StoredTeamValues>(item);
    byTeam.set(values.teamId, values);
  }
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

export function putScores(db: Db, scores: StoredScore[]): Promise<void> {
  return batchPut(
    db,
    scores.map((s) => ({ ...evaluationKeys.score(s.evaluationId, s.teamId), entity: 'evaluation-score', ...s })),
  );
}

export async function getScore(db: Db, evaluationId: string, teamId: string): Promise<StoredScore | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: evaluationKeys.score(evaluationId, teamId) }));
  return result.Item ? entityOf<StoredScore>(result.Item) : null;
}

export function listScores(db: Db, evaluationId: string, limit: number, cursor?: string): Promise<Page<StoredScore>> {
  return queryPage(db, { partition: { pk: evaluationKeys.scoresOf(evaluationId).pk }, limit, cursor }, entityOf<StoredScore>);
}

/** Every team's scorecard of a run, page by page (settlements and reports read this). */
export async function* allScores(db: Db, evaluationId: string): AsyncGenerator<StoredScore> {
  for await (const item of queryAll(db, { partition: evaluationKeys.scoresOf(evaluationId) })) yield entityOf<StoredScore>(item);
}
