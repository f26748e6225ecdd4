/**
 * The evaluation phases as Step Functions tasks: each task is small, idempotent and addressed
 * by run and batch number, so a failed execution can be redriven (some batches running twice)
 * without duplicating anything. The state machine (infra/) runs
 *   plan → Map(values) → statistics → Map(scores) → ranking, and fail on any error.
 */
import type { Db } from '../../data/db.ts';
import { requireRun, updateRun } from '../../data/evaluations.ts';
import { DEFAULT_BATCH_SIZE, runRanking, runScoresBatch, runStatistics, runValuesBatch, teamsInBatches } from './phases.ts';
import { count } from '../../observability/telemetry.ts';

export type EvaluationTask =
  | { task: 'plan'; evaluationId: string }
  | { task: 'values'; evaluationId: string; batch: number }
  | { task: 'statistics'; evaluationId: string }
  | { task: 'scores'; evaluationId: string; batch: number }
  | { task: 'ranking'; evaluationId: string }
  | { task: 'fail'; evaluationId: string; error?: string };

export interface PlanResult {
  evaluationId: string;
  /** Map items: one per batch */
  batches: { evaluationId: string; batch: number }[];
}

/** A redriven execution does not re-run `plan`: its first task puts a failed run back to running. */
async function resumeIfFailed(db: Db, evaluationId: string): Promise<void> {
  const run = await requireRun(db, evaluationId);
  if (run.status === 'failed') await updateRun(db, evaluationId, { status: 'running' });
}

async function batchTeams(db: Db, evaluationId: string, batch: number) {
  const run = await requireRun(db, evaluationId);
  const batches = await teamsInBatches(db, run.districtId, DEFAULT_BATCH_SIZE);
  const teams = batches[batch];
  if (!teams) throw new Error(`Evaluation ${evaluationId} has no batch ${batch}`);
  return teams;
}

export async function runEvaluationTask(db: Db, event: EvaluationTask, now: () => Date): Promise<PlanResult | { evaluationId: string }> {
  const { evaluationId } = event;
  if (event.task !== 'fail' && event.task !== 'plan') await resumeIfFailed(db, evaluationId);
  switch (event.task) {
    case 'plan': {
      const run = await requireRun(db, evaluationId);
      const batches = await teamsInBatches(db, run.districtId, DEFAULT_BATCH_SIZE);
      if (run.status === 'queued') await updateRun(db, evaluationId, { status: 'running', phase: 'values' });
      return { evaluationId, batches: batches.map((_, batch) => ({ evaluationId, batch })) };
    }
    case 'values':
      await runValuesBatch(db, evaluationId, event.batch, await batchTeams(db, evaluationId, event.batch));
      return { evaluationId };
    case 'statistics':
      await updateRun(db, evaluationId, { phase: 'statistics' });
      await runStatistics(db, evaluationId);
      return { evaluationId };
    case 'scores':
      await runScoresBatch(
        db,
        evaluationId,
        event.batch,
        (await batchTeams(db, evaluationId, event.batch)).map((t) => t.teamId),
      );
      return { evaluationId };
    case 'ranking':
      await updateRun(db, evaluationId, { phase: 'ranking' });
      await runRanking(db, evaluationId, now().toISOString());
      return { evaluationId };
    case 'fail':
      await updateRun(db, evaluationId, { status: 'failed', error: event.error ?? 'The state machine failed' });
      count('RunFailed');
      return { evaluationId };
  }
}
