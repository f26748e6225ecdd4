/** Running an evaluation in this process, in the background after the 202: how `npm start` and the tests do it. */
import type { Db } from '../../data/db.ts';
import { executeEvaluation } from './phases.ts';

export function inProcessLauncher(db: Db, now: () => Date): (evaluationId: string) => Promise<void> {
  return async (evaluationId) => {
    setImmediate(() => {
      executeEvaluation(db, evaluationId, now).catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', message: 'evaluation failed', evaluationId, error: (error as Error).message }));
      });
    });
  };
}
