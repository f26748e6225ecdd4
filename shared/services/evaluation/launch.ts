/** Running an evaluation in this process, in the background after the 202: how `npm start` and the tests do it. */
import type { Db } from '../../data/db.ts';
import { logger } from '../../observability/telemetry.ts';
import { executeEvaluation } from './phases.ts';

/**
 * Like a Step Functions execution named after its run, a run launched twice runs once (a period
 * close may start its own queued run again: shared/services/evaluation/period-close.ts).
 */
export function inProcessLauncher(db: Db, now: () => Date): (evaluationId: string) => Promise<void> {
  const launched = new Set<string>();
  return async (evaluationId) => {
    if (launched.has(evaluationId)) return;
    launched.add(evaluationId);
    setImmediate(() => {
      executeEvaluation(db, evaluationId, now).catch((error: unknown) => {
        logger.error('evaluation failed', { evaluationId, error: (error as Error).message });
      });
    });
  };
}
