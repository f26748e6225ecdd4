/**
 * The worker thread of the local settlement job runner (./settlements-job-local.ts): receives
 * { jobId, now, db } and runs the job with a DynamoDB client of its own. Only the database and the
 * clock are real here: a settlement job needs nothing else of Deps.
 */
import { Agent } from 'node:http';
import { setPriority } from 'node:os';
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
/** the nice value of the worker's thread: the lowest CPU priority */
const JOB_THREAD_NICE = 19;
/**
 * DynamoDB Local requests a job keeps in flight: its reads and writes (16 contract queries, 8 line
 * batches at once by default) would otherwise queue the requests' reads behind them in DynamoDB Local,
 * which shares the machine and is not lowered in priority.
 */
const JOB_DB_CONNECTIONS = 2;

/**
 * The jobs yield the CPU to the requests: on Linux a thread's nice value is its own (setpriority for
 * pid 0 names the calling thread), so this thread runs at the lowest priority and the server's thread
 * keeps its own. Elsewhere the call would lower the whole process, so it is not made there.
 */
function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, JOB_THREAD_NICE);
  } catch (error) {
    logger.warn('settlement job worker keeps normal priority', { error: (error as Error).message });
  }
}
lowerThisThreadsPriority();

function notHere(): never {
  throw new Error('not available to a settlement job');
}

parentPort?.on('message', (message: WorkerJobMessage) => {
  const key = JSON.stringify(message.db);
  let db = dbs.get(key);
  if (!db) {
    db = createDb(message.db, { localAgent: new Agent({ keepAlive: true, maxSockets: JOB_DB_CONNECTIONS }) });
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
