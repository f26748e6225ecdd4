/**
 * Settlement jobs: previews, creations and recomputes are computed off the request path (a
 * province's settlement reads 30,000 teams and their contracts and writes 100,000+ lines; one
 * district's takes seconds of CPU that would stall every other request of the process).
 *
 *   POST …/settlements/preview, POST …/settlements, POST /settlements/{id}/recompute
 *        → requestSettlementJob: the checks that can be made up front (evaluation completed, period
 *          ended and final, official run, correction of the district's approved settlement of the
 *          period, a draft to recompute), the job item (queued), runner.start(jobId) → 202 + Location
 *          (a runner that cannot start marks it failed → 503 `settlement-job-not-started`)
 *   runner → runSettlementJob: queued → running (conditional: a second delivery runs once), the
 *          computation with progress (teams read, lines written), the settlement written through
 *          the settlements service's conditional writes (./settlements.ts) → done, or → failed
 *          with the problem (its code and details, shown in zh / en like any other)
 *   GET /settlement-jobs/{jobId} → settlementJobView: status, progress and, when done, the
 *          settlement (create, recompute) or the preview
 *
 * Runners (./settlements-job-runners.ts, ./settlements-job-local.ts): deployed, the finance
 * function invokes itself asynchronously with `{ settlementJobId }` (functions/finance/lambda.ts);
 * locally and in the tests a worker thread runs the jobs, so the CPU-bound computation never
 * blocks the event loop that answers other requests.
 *
 * Every rule the settlement's writes enforce still holds: the job calls createSettlement and
 * recomputeSettlement, whose header writes are conditional (a draft changed since the officer read
 * it is refused, `recomputed`); the four-eyes approval, paid days and period-settled are checked
 * when approving, as before. A create or recompute job names its settlement and computation ids
 * when stored, so a run that takes over from a dead one finds out whether that run's write happened.
 *
 * Idempotency: with an Idempotency-Key, the job id is derived from the district, the officer, the
 * kind and the key; a repeat finds the stored job and gets it back (202, same job), a different
 * request under the same key is refused (409 `idempotency-key-reused`).
 */
import { createHash } from 'node:crypto';
import { conflict, DomainError } from '../domain/errors.ts';
import type { SettlementComputation, TeamLine } from '../domain/settlements/compute.ts';
import { actingNameOf } from '../data/acting-person.ts';
import { newId } from '../data/items.ts';
import {
  createSettlementJob,
  getSettlementJob,
  markSettlementJobFailed,
  type SettlementJob,
  type SettlementJobKind,
  type SettlementJobProblem,
} from '../data/settlement-jobs.ts';
import type { Settlement } from '../data/settlements.ts';
import type { Deps } from '../deps.ts';
import { count, logger } from '../observability/telemetry.ts';
import type { SettlementJobRunner } from './settlements-job-event.ts';
import { checkRecompute, checkSettlementRequest, type RecomputeRequest, type SettlementRequest } from './settlements.ts';

/** A job item lives a week; the settlement it wrote stays. */
const JOB_TTL_SECONDS = 7 * 24 * 3600;
/** A queued or running job without progress for this long is reported failed (its runner never started or died). */
const STALE_AFTER_MS = 15 * 60 * 1000;

const NOT_STARTED = 'The settlement job could not be started; try again shortly.';

/** What a preview shows: totals, histogram, per institution, the best-paid teams. */
export function previewView(computation: SettlementComputation) {
  return {
    parameters: computation.parameters,
    fingerprint: computation.fingerprint,
    totals: computation.totals,
    histogram: computation.histogram,
    institutions: computation.institutionLines.map((i) => ({
      institutionId: i.institutionId,
      name: i.name,
      incentiveFen: i.incentiveFen,
      subsidyFen: i.subsidyFen,
    })),
    topTeams: [...computation.teamLines].sort((a, b) => b.amount - a.amount || (a.teamId < b.teamId ? -1 : 1)).slice(0, 10) as TeamLine[],
  };
}

export type SettlementPreview = ReturnType<typeof previewView>;

export type SettlementJobInput =
  | { kind: 'preview' | 'create'; districtId: string; by: string; request: SettlementRequest; idempotencyKey?: string }
  | { kind: 'recompute'; settlement: Settlement; by: string; request: RecomputeRequest; idempotencyKey?: string };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function jobIdFor(kind: SettlementJobKind, districtId: string, by: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return newId('sjob');
  return `sjob-k${sha256(`${districtId}\n${by}\n${kind}\n${idempotencyKey}`).slice(0, 40)}`;
}

/** Checks what can be checked now, stores the job and starts it. `created: false`: an idempotent repeat, the stored job. */
export async function requestSettlementJob(
  deps: Deps,
  runner: SettlementJobRunner,
  input: SettlementJobInput,
): Promise<{ job: SettlementJob; created: boolean }> {
  const districtId = input.kind === 'recompute' ? input.settlement.districtId : input.districtId;
  const settlementId = input.kind === 'recompute' ? input.settlement.settlementId : null;
  const jobId = jobIdFor(input.kind, districtId, input.by, input.idempotencyKey);
  const requestHash = sha256(JSON.stringify({ kind: input.kind, settlementId, request: input.request }));
  const refuseReuse = (existing: SettlementJob) => {
    if (existing.requestHash !== requestHash) {
      throw conflict('idempotency-key-reused', 'This Idempotency-Key was already used with a different request body; use a new key for a new request');
    }
    return { job: existing, created: false };
  };
  if (input.idempotencyKey) {
    const existing = await getSettlementJob(deps.db, jobId);
    if (existing) return refuseReuse(existing);
  }
  if (input.kind === 'recompute') await checkRecompute(deps, input.settlement);
  else await checkSettlementRequest(deps, districtId, input.request, input.kind);
  const now = deps.now();
  const at = now.toISOString();
  const officerName = actingNameOf(input.by);
  const stored = await createSettlementJob(deps.db, {
    jobId,
    kind: input.kind,
    districtId,
    request: input.request as unknown as Record<string, unknown>,
    settlementId: input.kind === 'create' ? newId('stl') : settlementId,
    computationId: input.kind === 'preview' ? null : newId('calc'),
    expectedComputationId: input.kind === 'recompute' ? input.settlement.computationId : null,
    status: 'queued',
    progress: { phase: 'queued', done: 0, total: 0 },
    problem: null,
    requestHash,
    createdBy: input.by,
    ...(officerName ? { createdByName: officerName } : {}),
    createdAt: at,
    updatedAt: at,
    expiresAt: Math.floor(now.getTime() / 1000) + JOB_TTL_SECONDS,
  });
  if (!stored.created) return refuseReuse(stored.job);
  try {
    await runner.start(jobId);
  } catch (error) {
    logger.error('settlement job not started', { jobId, errorName: (error as Error)?.name, error: (error as Error)?.message });
    count('SettlementJobFailed');
    await markSettlementJobFailed(deps.db, jobId, { kind: 'unavailable', code: 'settlement-job-not-started', message: NOT_STARTED, details: {} }, at);
    throw new DomainError('unavailable', 'settlement-job-not-started', NOT_STARTED, { jobId });
  }
  return stored;
}

const STATUS_OF_KIND: Record<SettlementJobProblem['kind'], number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  unavailable: 503,
  internal: 500,
};

/** Overall percent: reading the facts is most of a preview; a creation also writes its lines. */
function percentOf(job: SettlementJob, status: SettlementJob['status']): number {
  if (status === 'done') return 100;
  const { phase, done, total } = job.progress;
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const [factsEnd, computeEnd] = job.kind === 'preview' ? [85, 99] : [55, 65];
  if (phase === 'facts') return Math.floor(share * factsEnd);
  if (phase === 'compute') return factsEnd;
  if (phase === 'lines') return Math.min(99, Math.floor(computeEnd + share * (99 - computeEnd)));
  return 0;
}

export interface SettlementJobView {
  jobId: string;
  kind: SettlementJob['kind'];
  districtId: string;
  status: SettlementJob['status'];
  progress: { phase: SettlementJob['progress']['phase']; done: number; total: number; percent: number };
  /** create (once done) and recompute: the settlement */
  settlementId: string | null;
  problem: { status: number; code: string; detail: string; details: Record<string, unknown> } | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

/** What a poll shows; a job that made no progress for STALE_AFTER_MS is reported failed. */
export function settlementJobView(job: SettlementJob, now: Date): SettlementJobView {
  const stale = (job.status === 'queued' || job.status === 'running') && now.getTime() - Date.parse(job.updatedAt) > STALE_AFTER_MS;
  const status = stale ? 'failed' : job.status;
  const problem: SettlementJobProblem | null = stale
    ? { kind: 'unavailable', code: 'settlement-job-stalled', message: 'The settlement job made no progress for 15 minutes; request it again.', details: {} }
    : job.problem;
  return {
    jobId: job.jobId,
    kind: job.kind,
    districtId: job.districtId,
    status,
    progress: { phase: status === 'done' ? 'done' : job.progress.phase, done: job.progress.done, total: job.progress.total, percent: percentOf(job, status) },
    settlementId: job.kind === 'create' && status !== 'done' ? null : job.settlementId,
    problem: problem ? { status: STATUS_OF_KIND[problem.kind], code: problem.code, detail: problem.message, details: problem.details } : null,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt ?? null,
  };
}
