/**
 * Report jobs: a report too large for an API response (API Gateway HTTP API: 10 MB and 30 s; a
 * buffered Lambda response: 6 MB) is produced in the background into the report storage, and the
 * caller polls the job until it links the file.
 *
 *   POST /settlements/{id}/reports → requestReportJob: the job item (queued, TTL a day), then
 *        runner.start(jobId) → 202 with the job id (a runner that cannot start marks it failed → 503)
 *   runner → runReportJob: queued → running (conditional, so a second delivery runs once), the
 *        report written into storage with progress (rows written / total) every second, → done
 *        with its size, or → failed with a short reason (the file is abandoned)
 *   GET /report-jobs/{jobId} → reportJobView: status, progress and, when done, the download link
 *
 * The runner is an interface so that where the work runs is the deployment's choice:
 *
 * - In this process (`inProcessReportRunner`): `npm start` and the tests; the job runs after the
 *   202 is sent, like shared/services/evaluation/launch.ts runs evaluations.
 * - Deployed (`selfInvokeReportRunner`, ./runner-lambda.ts): a Lambda freezes once it has
 *   answered, so the reports function invokes itself asynchronously with `{ reportJobId }`, and
 *   its entry (functions/reports/lambda.ts) hands that event (`reportJobEventOf`) to
 *   `runReportJob` instead of the HTTP app, in an invocation of its own with the jobs' timeout.
 *
 * Asynchronous invocations may be delivered again (a retry after an error, or a duplicate), so
 * `runReportJob` is idempotent: a done or failed job is left as it is; a running job is left to
 * its run unless that run recorded nothing for TAKEOVER_AFTER_MS (it died), in which case the new
 * delivery produces the report again into the same storage key. A job that never started or
 * whose run died without a new delivery is reported failed by reportJobView after STALE_AFTER_MS.
 */
import type { Writable } from 'node:stream';
import { DomainError } from '../../domain/errors.ts';
import type { Db } from '../../data/db.ts';
import { newId } from '../../data/items.ts';
import {
  createReportJob,
  getReportJob,
  markReportJobDone,
  markReportJobFailed,
  markReportJobRunning,
  type ReportJob,
  restartStalledReportJob,
  updateReportJobProgress,
} from '../../data/report-jobs.ts';
import type { Settlement } from '../../data/settlements.ts';
import { contentDisposition } from './cells.ts';
import { contentTypeOf, linesOf, prepareReport, type ReportSpec, reportFileNames, writeReport } from './report.ts';
import { count, logger } from '../../observability/telemetry.ts';
import type { ReportJobRunner } from './job-event.ts';
import type { ReportStorage } from './storage.ts';

export { reportJobEventOf } from './job-event.ts';

/** Runs jobs in this process, after the current request has been answered. */
export function inProcessReportRunner(run: (jobId: string) => Promise<unknown>): ReportJobRunner {
  return {
    async start(jobId) {
      setImmediate(() => {
        run(jobId).catch((error: unknown) => {
          logger.error('report job failed', { jobId, error: (error as Error).message });
        });
      });
    },
  };
}

/** A job item lives a day; the file (bucket lifecycle) a week. */
export const JOB_TTL_SECONDS = 24 * 3600;
/** A queued or running job without progress for this long is reported as failed (its runner never started or died). */
export const STALE_AFTER_MS = 15 * 60 * 1000;
/**
 * A running job whose run recorded nothing for this long is taken over by a new delivery. A live
 * run records progress every second once rows flow (reading the header and the first pass over the
 * team lines takes seconds); Lambda retries a failed asynchronous invocation a minute later at the earliest.
 */
export const TAKEOVER_AFTER_MS = 30 * 1000;

const NOT_STARTED = 'The report could not be started; request it again shortly.';

export async function requestReportJob(
  db: Db,
  runner: ReportJobRunner,
  input: { settlement: Settlement; spec: ReportSpec; by: string; now: Date },
): Promise<ReportJob> {
  const { settlement, spec, now } = input;
  const jobId = newId('rpt');
  const names = reportFileNames(settlement, spec);
  const at = now.toISOString();
  const job: ReportJob = {
    jobId,
    settlementId: settlement.settlementId,
    districtId: settlement.districtId,
    format: spec.format,
    sheet: spec.format === 'csv' ? spec.sheet : null,
    lang: spec.lang,
    status: 'queued',
    progress: { rows: 0, total: linesOf(settlement, spec) },
    fileName: names.fileName,
    asciiFileName: names.asciiFileName,
    contentType: contentTypeOf(spec.format),
    storageKey: `reports/${settlement.districtId}/${settlement.settlementId}/${jobId}.${spec.format}`,
    bytes: null,
    error: null,
    createdBy: input.by,
    createdAt: at,
    updatedAt: at,
    expiresAt: Math.floor(now.getTime() / 1000) + JOB_TTL_SECONDS,
  };
  await createReportJob(db, job);
  try {
    await runner.start(jobId);
  } catch (error) {
    logger.error('report job not started', { jobId, errorName: (error as Error)?.name, error: (error as Error)?.message });
    count('ReportJobFailed');
    await markReportJobFailed(db, jobId, NOT_STARTED, now.toISOString());
    throw new DomainError('unavailable', 'report-job-not-started', NOT_STARTED, { jobId });
  }
  return job;
}

/** Claims the job for this run: a queued job, or a running one whose run died. False: nothing to do. */
async function claim(db: Db, job: ReportJob, at: Date): Promise<boolean> {
  if (job.status === 'queued') return markReportJobRunning(db, job.jobId, at.toISOString());
  if (job.status !== 'running') return false;
  const claimed = await restartStalledReportJob(db, job.jobId, new Date(at.getTime() - TAKEOVER_AFTER_MS).toISOString(), at.toISOString());
  if (claimed) logger.warn('report job taken over from a run that stopped', { jobId: job.jobId, lastUpdate: job.updatedAt });
  return claimed;
}

function publicReason(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  return 'The report could not be produced; it has been logged. Request it again.';
}

/**
 * Produces a job's report into storage, once: a job that is done, failed, or running in a live run
 * is returned as it is (see the header). Never throws for a failed report: the job records it.
 */
export async function runReportJob(db: Db, storage: ReportStorage, jobId: string, now: () => Date = () => new Date()): Promise<ReportJob | null> {
  const job = await getReportJob(db, jobId);
  if (!job) return null;
  if (!(await claim(db, job, now()))) return getReportJob(db, jobId);
  const spec: ReportSpec = job.format === 'xlsx' ? { format: 'xlsx', lang: job.lang } : { format: 'csv', sheet: job.sheet ?? 'teams', lang: job.lang };
  try {
    const context = await prepareReport(db, job.settlementId, spec, now());
    const writer = storage.createWriter(job.storageKey, {
      contentType: job.contentType,
      contentDisposition: contentDisposition(job.fileName, job.asciiFileName),
    });
    let lastUpdate = Date.now();
    const result = await writeReport(context, spec, writer.stream as Writable, {
      every: 1000,
      onProgress: async (rows) => {
        if (Date.now() - lastUpdate < 1000) return;
        lastUpdate = Date.now();
        await updateReportJobProgress(db, jobId, rows, now().toISOString());
      },
    });
    const { bytes } = await writer.done;
    await markReportJobDone(db, jobId, { rows: result.rows, bytes }, now().toISOString());
  } catch (error) {
    logger.error('report job failed', { jobId, errorName: (error as Error)?.name, error: (error as Error)?.message });
    count('ReportJobFailed');
    await markReportJobFailed(db, jobId, publicReason(error), now().toISOString());
  }
  return getReportJob(db, jobId);
}

export interface ReportJobView {
  jobId: string;
  settlementId: string;
  format: ReportJob['format'];
  sheet: ReportJob['sheet'];
  lang: ReportJob['lang'];
  status: ReportJob['status'];
  progress: { rows: number; total: number; percent: number };
  fileName: string;
  bytes: number | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  /** when done: a presigned link (S3, valid for a few minutes) or the app's own download route */
  downloadUrl: string | null;
}

/** What a poll shows. `localDownload` is the app route that serves a locally stored file. */
export async function reportJobView(
  job: ReportJob,
  storage: ReportStorage,
  options: { linkTtlSeconds: number; localDownload: string; now: Date },
): Promise<ReportJobView> {
  const stale = (job.status === 'queued' || job.status === 'running') && options.now.getTime() - Date.parse(job.updatedAt) > STALE_AFTER_MS;
  const status = stale ? 'failed' : job.status;
  const total = Math.max(job.progress.total, job.progress.rows);
  let downloadUrl: string | null = null;
  if (status === 'done') {
    downloadUrl =
      (await storage.downloadUrl(
        job.storageKey,
        { contentType: job.contentType, contentDisposition: contentDisposition(job.fileName, job.asciiFileName) },
        options.linkTtlSeconds,
      )) ?? options.localDownload;
  }
  return {
    jobId: job.jobId,
    settlementId: job.settlementId,
    format: job.format,
    sheet: job.sheet,
    lang: job.lang,
    status,
    progress: {
      rows: job.progress.rows,
      total,
      percent: status === 'done' ? 100 : total === 0 ? 0 : Math.min(99, Math.floor((job.progress.rows * 100) / total)),
    },
    fileName: job.fileName,
    bytes: job.bytes,
    error: stale ? 'The report made no progress for 15 minutes; request it again.' : job.error,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt ?? null,
    downloadUrl,
  };
}
