/**
 * The local settlement job runner (`npm start`, the tests): one worker thread per process runs the
 * jobs (./settlements-job-worker.ts) with its own DynamoDB client, so the computation — seconds of
 * CPU for a large district — never blocks the event loop that answers the other requests. The worker
 * runs one job at a time; the others stay queued (deployed, each job is its own invocation). It yields
 * to the requests: its thread runs at the lowest CPU priority and its client keeps at most two requests
 * in flight to DynamoDB Local (issue 19: interactive p99 with eight jobs in flight ≤ 2× idle).
 *
 * The worker is told the time the request saw (`deps.now()`): a process on the real clock keeps
 * it; a test's clock that is far from it (a fixed date) is kept fixed at that time for the job. A Db
 * without settings (not made by createDb) runs the job in this process instead.
 */
import { Worker } from 'node:worker_threads';
import type { Deps } from '../deps.ts';
import { logger } from '../observability/telemetry.ts';
import type { SettlementJobRunner } from './settlements-job-event.ts';
import { runSettlementJob } from './settlements-job-run.ts';

export interface WorkerJobMessage {
  jobId: string;
  /** deps.now() when the job started, ISO */
  now: string;
  db: { tableName: string; endpoint?: string; region?: string };
}

const workers = new Map<string, Worker>();

function workerFor(key: string): Worker {
  let worker = workers.get(key);
  if (worker) return worker;
  // the worker is TypeScript, like the rest of the local stack: tsx loads it, as it loads `npm start`
  worker = new Worker(new URL('./settlements-job-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  worker.unref();
  const started = worker;
  worker.on('error', (error) => {
    logger.error('settlement job worker failed', { error: error.message });
    if (workers.get(key) === started) workers.delete(key);
  });
  worker.on('exit', () => {
    if (workers.get(key) === started) workers.delete(key);
  });
  workers.set(key, worker);
  return worker;
}

/** Runs jobs on this thread after the current request has been answered: for a Db a worker cannot rebuild (a mocked client). */
export function inProcessSettlementRunner(deps: Deps): SettlementJobRunner {
  return {
    async start(jobId) {
      setImmediate(() => {
        runSettlementJob(deps, jobId).catch((error: unknown) => logger.error('settlement job failed', { jobId, error: (error as Error).message }));
      });
    },
  };
}

export function workerSettlementRunner(deps: Deps): SettlementJobRunner {
  const settings = deps.db.settings;
  const here = inProcessSettlementRunner(deps);
  return {
    async start(jobId) {
      if (!settings) return here.start(jobId);
      const message: WorkerJobMessage = { jobId, now: deps.now().toISOString(), db: { ...settings } };
      workerFor(JSON.stringify(settings)).postMessage(message);
    },
  };
}
