/**
 * The worker thread of the local settlement job runner (./settlements-job-local.ts): receives
 * { jobId, now, db } and runs the job with a DynamoDB client of its own. Only the database and the
 * clock are real here: a settlement job needs nothing else of Deps.
 */
import { parentPort } from 'node:worker_threads';
import { createDb, type Db } from '../data/db.ts';
import type { Deps } from '../deps.ts';
import { logger } from '../observability/telemetry.ts';
import type { WorkerJobMessage } from './settlements-job-local.ts';
import { runSettlementJob } from './settlements-job-run.ts';

const dbs = new Map<string, Db>();
// One job at a time: on a small machine eight jobs at once would also crowd DynamoDB Local and the
// answers to interactive requests; the others wait queued, with their progress page saying so.
let queue: Promise<unknown> = Promise.resolve();
const REAL_CLOCK_SLACK_MS = 5_000;

function notHere(): never {
  throw new Error('not available to a settlement job');
}

parentPort?.on('message', (message: WorkerJobMessage) => {
  const key = JSON.stringify(message.db);
  let db = dbs.get(key);
  if (!db) {
    db = createDb(message.db);
    dbs.set(key, db);
  }
  // the process's clock is the real one (npm start): keep it running; a test's fixed clock: keep the time it gave
  const at = Date.parse(message.now);
  const now = Math.abs(at - Date.now()) < REAL_CLOCK_SLACK_MS ? () => new Date() : () => new Date(at);
  const deps: Deps = { db, now, verifyToken: notHere, residentKeyer: notHere, launchEvaluation: notHere };
  queue = queue
    .then(() => runSettlementJob(deps, message.jobId))
    .catch((error: unknown) => logger.error('settlement job failed', { jobId: message.jobId, error: (error as Error).message }));
});
