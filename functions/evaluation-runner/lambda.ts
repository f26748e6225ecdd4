/** The Step Functions task handler of evaluation runs: one Lambda, the task named in the event. */
import { createDb } from '#shared/data/db.ts';
import type { EvaluationTask } from '#shared/services/evaluation/tasks.ts';
import { taskEntry } from '../lambda-entry.ts';

const db = createDb({ tableName: process.env.TABLE_NAME ?? '' });

// the engine loads with the first task, not at cold start
export const handler = taskEntry(async (event: EvaluationTask) => {
  const { runEvaluationTask } = await import('#shared/services/evaluation/tasks.ts');
  return runEvaluationTask(db, event, () => new Date());
});
