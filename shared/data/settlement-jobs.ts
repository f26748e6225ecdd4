/**
 * Settlement jobs repository: a settlement preview, creation or recompute computed off the
 * request path (shared/services/settlements-jobs.ts). The route checks what it can up front,
 * stores the job (queued) and answers 202; a runner computes it and writes the settlement through
 * the settlements repository's own conditional writes.
 *
 * Keys (built in ./keys.ts, `settlementJobKeys`):
 *   SETTLEMENT_JOB#{jobId} / SETTLEMENT_JOB     the job: kind, request, status, progress, result or problem
 *
 * Job ids: random (`sjob-…`), or, with an Idempotency-Key, derived from the district, the officer
 * and the key (`sjob-k…`), so that a repeated request finds the job the first one stored (the
 * put is conditional on `attribute_not_exists(pk)`); `requestHash` tells a repeat from a reuse
 * of the key for another request.
 *
 * TTL: `expiresAt` (epoch seconds) a week after the request; the settlement it wrote stays.
 * A job moves queued → running → done | failed, each step a conditional update, so a job started
 * twice (an asynchronous invocation delivered again) runs once; a run that died while running is
 * taken over by the next delivery (`restartStalledSettlementJob`). A create or recompute names
 * its settlement id and computation id from the start, so a run that takes over finds whether the
 * dead run's write happened.
 *
 * A preview's result (totals, histogram, institutions, best-paid teams) is kept gzip-compressed in
 * `resultGzip` (binary): a province has thousands of institutions, an item at most 400 KB.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainErrorKind } from '../domain/errors.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import { conditionalUpdate } from './conditional-update.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { settlementJobKeys } from './keys.ts';

export type SettlementJobKind = 'preview' | 'create' | 'recompute';
export type SettlementJobStatus = 'queued' | 'running' | 'done' | 'failed';
/** reading the facts (done/total: teams), computing (0/1), writing the lines (done/total: lines) */
export type SettlementJobPhase = 'queued' | 'facts' | 'compute' | 'lines' | 'done';

export interface SettlementJobProblem {
  kind: DomainErrorKind | 'internal';
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export interface SettlementJob {
  jobId: string;
  kind: SettlementJobKind;
  /** scope: only this district's finance officers (and administrators) see the job */
  districtId: string;
  /** the request as the route validated it (SettlementRequest or RecomputeRequest) */
  request: Record<string, unknown>;
  /** create: the id the settlement gets; recompute: the draft recomputed */
  settlementId: string | null;
  /** create, recompute: the computation id the lines get */
  computationId: string | null;
  /** recompute: the computation the officer read (the recompute refuses a draft changed meanwhile) */
  expectedComputationId: string | null;
  status: SettlementJobStatus;
  progress: { phase: SettlementJobPhase; done: number; total: number };
  problem: SettlementJobProblem | null;
  requestHash: string;
  createdBy: string;
  /** the officer's display name when they asked (./acting-person.ts): the audit entries the job writes carry it */
  createdByName?: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** TTL, epoch seconds */
  expiresAt: number;
}

interface StoredJob extends SettlementJob {
  resultGzip?: Uint8Array;
}

/** Stores a new job; an existing job under the same id (an idempotent repeat) is returned instead, with `created: false`. */
export async function createSettlementJob(db: Db, job: SettlementJob): Promise<{ job: SettlementJob; created: boolean }> {
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...settlementJobKeys.job(job.jobId), entity: 'settlement-job', ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { job, created: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const existing = await getSettlementJob(db, job.jobId);
    if (!existing) throw error;
    return { job: existing, created: false };
  }
}

export async function getSettlementJob(db: Db, jobId: string): Promise<SettlementJob | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: settlementJobKeys.job(jobId), ConsistentRead: true }));
  if (!result.Item) return null;
  const { resultGzip: _omitted, ...job } = entityOf<StoredJob>(result.Item);
  return job;
}

/** A done preview's result; null for any other job. */
export async function getSettlementJobResult<T>(db: Db, jobId: string): Promise<T | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: settlementJobKeys.job(jobId), ConsistentRead: true }));
  const gz = (result.Item as StoredJob | undefined)?.resultGzip;
  return gz ? (JSON.parse(gunzipSync(gz).toString('utf8')) as T) : null;
}

const NAMES = { '#status': 'status', '#progress': 'progress' };

/** queued → running; false when the job is not queued (already started, or gone). */
export function markSettlementJobRunning(db: Db, jobId: string, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: settlementJobKeys.job(jobId),
    UpdateExpression: 'SET #status = :running, startedAt = :at, updatedAt = :at',
    ConditionExpression: '#status = :queued',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at },
  });
}

/** running → running again, claimed by a new run: only when the last run recorded nothing since `staleBefore` (it died). */
export function restartStalledSettlementJob(db: Db, jobId: string, staleBefore: string, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: settlementJobKeys.job(jobId),
    UpdateExpression: 'SET startedAt = :at, updatedAt = :at',
    ConditionExpression: '#status = :running AND updatedAt < :staleBefore',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':running': 'running', ':staleBefore': staleBefore, ':at': at },
  });
}

/** Progress while running. */
export function updateSettlementJobProgress(db: Db, jobId: string, progress: SettlementJob['progress'], at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: settlementJobKeys.job(jobId),
    UpdateExpression: 'SET #progress = :progress, updatedAt = :at',
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: NAMES,
    ExpressionAttributeValues: { ':running': 'running', ':progress': progress, ':at': at },
  });
}

/** running → done; a preview keeps its result (compressed). */
export function markSettlementJobDone(db: Db, jobId: string, result: unknown, total: number, at: string): Promise<boolean> {
  const gz = result === undefined ? null : gzipSync(JSON.stringify(result));
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: settlementJobKeys.job(jobId),
    UpdateExpression: `SET #status = :done, #progress = :progress, finishedAt = :at, updatedAt = :at${gz ? ', resultGzip = :result' : ''}`,
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: NAMES,
    ExpressionAttributeValues: {
      ':done': 'done',
      ':running': 'running',
      ':progress': { phase: 'done', done: total, total },
      ':at': at,
      ...(gz ? { ':result': gz } : {}),
    },
  });
}

/** → failed with the problem, unless already done. */
export function markSettlementJobFailed(db: Db, jobId: string, problem: SettlementJobProblem, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: settlementJobKeys.job(jobId),
    UpdateExpression: 'SET #status = :failed, problem = :problem, finishedAt = :at, updatedAt = :at',
    ConditionExpression: 'attribute_exists(pk) AND #status <> :done',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':failed': 'failed', ':done': 'done', ':problem': { ...problem, message: problem.message.slice(0, 500) }, ':at': at },
  });
}
