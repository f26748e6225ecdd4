/**
 * Walks a period to `final` through the lifecycle's own conditional writes
 * (shared/data/period-status.ts): its run becomes official (evaluate), the results are
 * published with a review window that has already closed, and the period is finalised with no
 * appeal open. For tests that settle a run written directly with createRun (as a completed run
 * would be) rather than evaluated through the API; settling needs a final period (issue 14).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '#shared/data/db.ts';
import { metricKeys } from '#shared/data/keys.ts';
import { transitionPeriod } from '#shared/data/period-status.ts';
import { dataDeadlineAt } from '#shared/domain/period-lifecycle.ts';

export async function finalizePeriod(db: Db, districtId: string, period: string, evaluationId: string, at = '2026-10-20T00:00:00.000Z'): Promise<void> {
  const base = { districtId, period, by: 'test-evaluator', at, deadlineAt: dataDeadlineAt(period) };
  await transitionPeriod(db, {
    ...base,
    action: 'evaluate',
    evaluationId,
    set: { officialRunId: evaluationId },
    officialRun: { evaluationId, criteriaVersion: 1, startedBy: 'test-evaluator', completedAt: at },
  });
  await transitionPeriod(db, { ...base, action: 'publish', set: { publishedAt: at, reviewEndsAt: at, openAppeals: 0 } });
  await transitionPeriod(db, { ...base, action: 'finalize', by: 'review-window' });
}

/**
 * The record of a final period with its official run, written whole: for the unit tests' fake
 * table (test/support/fuzz-faults.ts), which stores puts but does not evaluate update expressions.
 */
export async function putFinalPeriodRecord(db: Db, districtId: string, period: string, evaluationId: string, at = '2026-10-20T00:00:00.000Z'): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: {
        ...metricKeys.periodStatus(districtId, period),
        entity: 'period-status',
        districtId,
        period,
        state: 'final',
        status: 'closed',
        deadlineAt: dataDeadlineAt(period),
        reviewEndsAt: at,
        publishedAt: at,
        officialRunId: evaluationId,
        officialRuns: [{ evaluationId, criteriaVersion: 1, startedBy: 'test-evaluator', completedAt: at }],
        openAppeals: 0,
        history: [],
      },
    }),
  );
}
