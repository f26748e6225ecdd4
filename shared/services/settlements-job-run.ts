/**
 * Running a settlement job (the other half of ./settlements-jobs.ts, loaded only where jobs run: the
 * finance function's job invocations, the local worker thread): claim it once, compute with
 * progress, write the settlement through ./settlements-computing.ts, record done or the problem.
 */
import { conflict, DomainError } from '../domain/errors.ts';
import { actingAs } from '../data/acting-person.ts';
import { isRetryExhausted } from '../data/aws-errors.ts';
import {
  getSettlementJob,
  markSettlementJobDone,
  markSettlementJobFailed,
  markSettlementJobRunning,
  restartStalledSettlementJob,
  type SettlementJob,
  type SettlementJobProblem,
  updateSettlementJobProgress,
} from '../data/settlement-jobs.ts';
import { getSettlement } from '../data/settlements.ts';
import type { Deps } from '../deps.ts';
import { count, logger } from '../observability/telemetry.ts';
import type { RecomputeRequest, SettlementRequest } from './settlements.ts';
import { type ComputationProgress, createSettlement, previewSettlement, recomputeSettlement } from './settlements-computing.ts';
import { previewView } from './settlements-jobs.ts';

/**
 * A running job whose run recorded nothing for this long is taken over by a new delivery (Lambda retries a failed invocation a minute later at the earliest).
 */
const TAKEOVER_AFTER_MS = 60 * 1000;
/** progress is written at most this often */
const PROGRESS_EVERY_MS = 500;

/** Claims the job for this run: a queued job, or a running one whose run died. False: nothing to do. */
async function claim(deps: Deps, job: SettlementJob): Promise<boolean> {
  const at = deps.now();
  if (job.status === 'queued') return markSettlementJobRunning(deps.db, job.jobId, at.toISOString());
  if (job.status !== 'running') return false;
  const staleBefore = new Date(at.getTime() - TAKEOVER_AFTER_MS).toISOString();
  const claimed = await restartStalledSettlementJob(deps.db, job.jobId, staleBefore, at.toISOString());
  if (claimed) logger.warn('settlement job taken over from a run that stopped', { jobId: job.jobId, lastUpdate: job.updatedAt });
  return claimed;
}

/** Writes progress at most every PROGRESS_EVERY_MS, one write at a time, never failing the job. */
function progressWriter(deps: Deps, jobId: string): ComputationProgress & { flush(): Promise<void> } {
  let latest: SettlementJob['progress'] | null = null;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const record = (progress: SettlementJob['progress'], force = false) => {
    latest = progress;
    const now = Date.now();
    if (!force && now - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = now;
    writing = writing.then(async () => {
      const next = latest;
      if (!next) return;
      latest = null;
      await updateSettlementJobProgress(deps.db, jobId, next, deps.now().toISOString()).catch((error: unknown) => {
        logger.warn('settlement job progress not recorded', { jobId, error: (error as Error).message });
      });
    });
  };
  return {
    facts: (done, total) => record({ phase: 'facts', done, total }, done === 0),
    computing: () => record({ phase: 'compute', done: 0, total: 1 }, true),
    lines: (done, total) => record({ phase: 'lines', done, total }, done === 0),
    flush: () => writing,
  };
}

function problemOf(error: unknown): SettlementJobProblem {
  if (error instanceof DomainError) return { kind: error.kind, code: error.code, message: error.message, details: error.details };
  // what a request would have answered (shared/http/problem.ts `unavailable`)
  if (isRetryExhausted(error)) return { kind: 'unavailable', code: 'unavailable', message: 'The database is busy; retry shortly', details: {} };
  return { kind: 'internal', code: 'settlement-job-failed', message: 'The settlement could not be computed; it has been logged. Try again.', details: {} };
}

async function work(deps: Deps, job: SettlementJob, progress: ComputationProgress): Promise<{ result?: unknown; total: number }> {
  if (job.kind === 'preview') {
    const computation = await previewSettlement(deps, job.districtId, job.request as unknown as SettlementRequest, progress);
    return { result: previewView(computation), total: computation.teamLines.length };
  }
  const settlementId = job.settlementId!;
  const computationId = job.computationId!;
  const stored = await getSettlement(deps.db, settlementId);
  // a run taken over: the dead run's write may have happened
  if (stored?.computationId === computationId) return { total: stored.lineCounts.team };
  if (job.kind === 'create') {
    if (stored) throw conflict('settlement-job-conflict', `Settlement ${settlementId} exists with other lines`);
    const request = job.request as unknown as SettlementRequest;
    const created = await createSettlement(deps, { districtId: job.districtId, by: job.createdBy, request, settlementId, computationId, progress });
    return { total: created.lineCounts.team };
  }
  if (!stored || stored.districtId !== job.districtId) throw conflict('not-draft', `Settlement ${settlementId} is gone`);
  if (stored.computationId !== job.expectedComputationId) {
    if (stored.status !== 'draft') throw conflict('not-draft', `Settlement ${settlementId} is ${stored.status}; an approved settlement never changes`);
    throw conflict('recomputed', `Settlement ${settlementId} changed after the recompute was requested; reload and try again`);
  }
  const request = job.request as unknown as RecomputeRequest;
  const recomputed = await recomputeSettlement(deps, { settlement: stored, by: job.createdBy, request, computationId, progress });
  return { total: recomputed.lineCounts.team };
}

/**
 * Computes a job once: a job that is done, failed, or running in a live run is returned as it is.
 * Never throws for a failed computation: the job records the problem.
 */
export async function runSettlementJob(deps: Deps, jobId: string): Promise<SettlementJob | null> {
  const job = await getSettlementJob(deps.db, jobId);
  if (!job) return null;
  if (!(await claim(deps, job))) return getSettlementJob(deps.db, jobId);
  const progress = progressWriter(deps, jobId);
  const started = Date.now();
  try {
    // the entries the settlement's writes add to the audit log name the officer who asked for the job
    const officer = { subject: job.createdBy, name: job.createdByName ?? job.createdBy };
    const { result, total } = await actingAs(officer, () => work(deps, job, progress));
    await progress.flush();
    await markSettlementJobDone(deps.db, jobId, result, total, deps.now().toISOString());
    logger.debug('settlement job done', { jobId, kind: job.kind, ms: Date.now() - started });
  } catch (error) {
    await progress.flush();
    const problem = problemOf(error);
    if (problem.kind === 'internal') logger.error('settlement job failed', { jobId, errorName: (error as Error)?.name, error: (error as Error)?.message });
    count('SettlementJobFailed');
    await markSettlementJobFailed(deps.db, jobId, problem, deps.now().toISOString());
  }
  return getSettlementJob(deps.db, jobId);
}
