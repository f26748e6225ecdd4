/**
 * Report jobs repository: a settlement report (XLSX or one CSV sheet) produced in the background
 * because it is too large to stream in an API response (shared/services/reports/jobs.ts).
 *
 * Keys (built in ./keys.ts, `reportKeys`):
 *   REPORT_JOB#{jobId} / REPORT_JOB     the job: what to produce, status, progress, where the file is
 *
 * TTL: `expiresAt` (epoch seconds) a day after the request; the file itself expires with the
 * reports bucket's lifecycle rule (or the local directory's sweep). A job moves
 * queued → running → done | failed, each step a conditional update, so a job that is started
 * twice (an asynchronous invocation delivered again) runs once; a run that died while running is
 * taken over by the next delivery (`restartStalledReportJob`).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CsvSheet, ReportFormat, ReportLang } from '../domain/reports.ts';
import { conditionalUpdate } from './conditional-update.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { reportKeys } from './keys.ts';

export type ReportJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ReportJob {
  jobId: string;
  settlementId: string;
  /** scope: only this district's finance officers (and administrators) see the job */
  districtId: string;
  format: ReportFormat;
  /** csv only */
  sheet: CsvSheet | null;
  lang: ReportLang;
  status: ReportJobStatus;
  /** rows written so far and the rows to write (the settlement's line counts) */
  progress: { rows: number; total: number };
  /** the download's file name (may hold Chinese) and its ASCII fallback */
  fileName: string;
  asciiFileName: string;
  contentType: string;
  /** the object key in the report storage */
  storageKey: string;
  bytes: number | null;
  /** a short, user-facing reason when failed */
  error: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** TTL, epoch seconds */
  expiresAt: number;
}

export async function createReportJob(db: Db, job: ReportJob): Promise<ReportJob> {
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: { ...reportKeys.job(job.jobId), entity: 'report-job', ...job },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return job;
}

export async function getReportJob(db: Db, jobId: string): Promise<ReportJob | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: reportKeys.job(jobId), ConsistentRead: true }));
  return result.Item ? entityOf<ReportJob>(result.Item) : null;
}

/** queued → running; false when the job is not queued (already started, or gone). */
export function markReportJobRunning(db: Db, jobId: string, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: reportKeys.job(jobId),
    UpdateExpression: 'SET #status = :running, startedAt = :at, updatedAt = :at',
    ConditionExpression: '#status = :queued',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at },
  });
}

/**
 * running → running again, claimed by a new run: only when the last run recorded nothing since
 * `staleBefore` (it died), so a duplicate delivery while a run is alive does not start a second one.
 */
export function restartStalledReportJob(db: Db, jobId: string, staleBefore: string, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: reportKeys.job(jobId),
    UpdateExpression: 'SET startedAt = :at, updatedAt = :at, progress.#rows = :zero',
    ConditionExpression: '#status = :running AND updatedAt < :staleBefore',
    ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows' },
    ExpressionAttributeValues: { ':running': 'running', ':staleBefore': staleBefore, ':at': at, ':zero': 0 },
  });
}

/** Rows written so far, while running. */
export function updateReportJobProgress(db: Db, jobId: string, rows: number, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: reportKeys.job(jobId),
    UpdateExpression: 'SET progress.#rows = :rows, updatedAt = :at',
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows' },
    ExpressionAttributeValues: { ':running': 'running', ':rows': rows, ':at': at },
  });
}

/** running → done, with the final row count and the file's size. */
export function markReportJobDone(db: Db, jobId: string, result: { rows: number; bytes: number }, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: reportKeys.job(jobId),
    UpdateExpression: 'SET #status = :done, progress.#rows = :rows, progress.#total = :rows, bytes = :bytes, finishedAt = :at, updatedAt = :at',
    ConditionExpression: '#status = :running',
    ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows', '#total': 'total' },
    ExpressionAttributeValues: { ':done': 'done', ':running': 'running', ':rows': result.rows, ':bytes': result.bytes, ':at': at },
  });
}

/** → failed with a user-facing reason, unless already done. */
export function markReportJobFailed(db: Db, jobId: string, error: string, at: string): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: reportKeys.job(jobId),
    UpdateExpression: 'SET #status = :failed, #error = :error, finishedAt = :at, updatedAt = :at',
    ConditionExpression: 'attribute_exists(pk) AND #status <> :done',
    ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
    ExpressionAttributeValues: { ':failed': 'failed', ':done': 'done', ':error': error.slice(0, 300), ':at': at },
  });
}
