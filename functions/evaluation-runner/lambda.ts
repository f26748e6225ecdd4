/** The Step Functions task handler of evaluation runs: one Lambda, the task named in the event. */
import { createDb } from '#shared/data/db.ts';
import { type EvaluationTask, runEvaluationTask } from '#shared/services/evaluation/tasks.ts';
import { taskEntry } from '../lambda-entry.ts';

const db = createDb({ tableName: process.env.TABLE_NAME ?? '' });

export const handler = taskEntry((event: EvaluationTask) => runEvaluationTask(db, event, () => new Date()));
