/**
 * Section `settlement-jobs` (issue 19, item 1): district-wide work off the request path.
 *
 * Against the local server (every function app on @hono/node-server, DynamoDB Local in memory)
 * with a seeded district ready to settle:
 * - idle: p99 of interactive routes (GET /teams/{teamId}, GET /finance, the finance home page)
 *   under a small closed-loop load;
 * - loaded: the same load while eight settlement jobs stay in flight (each finished preview or
 *   creation is replaced by another until the measurement ends; the jobs run in the worker thread);
 *   target: p99 ≤ 2× the idle p99;
 * - province: a settlement of `provinceTeams` teams (30,000 in the full run) through the path a
 *   deployed job takes: the job stored as the route stores it, then the finance function's Lambda
 *   handler (functions/finance/lambda.ts, configured from its environment) given the event its
 *   self-invocation carries; the time from event to done.
 *
 * The load generator runs in the server's process (fetch), as in the survey section.
 */
import { serve } from '@hono/node-server';
import { getSettlementJob } from '#shared/data/settlement-jobs.ts';
import { getSettlement } from '#shared/data/settlements.ts';
import { settlementJobEventFor } from '#shared/services/settlements-job-event.ts';
import { requestSettlementJob } from '#shared/services/settlements-jobs.ts';
import { freePort } from '../local/dynamodb-local.ts';
import { startBenchDb } from './support/dynamo.ts';
import { closedLoop } from './support/load.ts';
import type { SectionResult } from './support/report.ts';
import { SETTLEMENT_NOW, seedSettlementDistrict } from './support/settlement-district.ts';
import { createBenchStack } from './support/stack.ts';
import { quantile, ratio } from './support/stats.ts';

export interface SettlementJobsOptions {
  /** teams of the district the interactive load and the jobs in flight use */
  teams: number;
  /** jobs kept in flight while loaded */
  inFlight: number;
  /** requests per phase (idle, loaded), and the closed loop's concurrency */
  requests: number;
  concurrency: number;
  /** the province-sized settlement through the Lambda handler */
  provinceTeams: number;
}

const DISTRICT = 'bench-jobs';
const PROVINCE = 'bench-province';
const METHOD = { kind: 'score-weighted', sizeMeasure: 'weighted-residents' } as const;

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export async function runSettlementJobs(options: SettlementJobsOptions): Promise<SectionResult> {
  const started = performance.now();
  const bench = await startBenchDb('gatekeeper-bench-jobs');
  const stack = createBenchStack(bench.db, () => SETTLEMENT_NOW);
  const port = await freePort();
  const server = serve({ fetch: stack.app.fetch, port, hostname: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  try {
    const district = await seedSettlementDistrict(bench.db, DISTRICT, options.teams);
    const finance = await stack.auth.issue({ role: 'finance', districtId: DISTRICT, sub: 'bench-finance' });
    const admin = await stack.auth.issue({ role: 'admin', sub: 'bench-admin' });
    const body = (i: number) => JSON.stringify({ evaluationId: district.evaluationId, poolFen: options.teams * 300_000 + i, method: METHOD });

    const routes = [
      { name: 'GET /teams/{teamId}', send: (i: number) => get(`${base}/teams/${district.teamIds[i % district.teamIds.length]}`, admin) },
      { name: 'GET /finance', send: () => get(`${base}/finance?lang=en`, finance) },
    ];
    const measure = async () => {
      const latencies: Record<string, number[]> = Object.fromEntries(routes.map((r) => [r.name, []]));
      const result = await closedLoop(options.requests, options.concurrency, async (i) => {
        const route = routes[i % routes.length]!;
        const sent = performance.now();
        await route.send(i);
        latencies[route.name]!.push(performance.now() - sent);
      });
      if (result.errors > 0) throw new Error(`interactive requests failed: ${result.firstError}`);
      return latencies;
    };

    await measure(); // warm-up: JIT, connections, the pages' lazy imports
    const idle = await measure();

    // eight jobs in flight for the whole loaded measurement, half previews and half creations
    let stop = false;
    let jobsDone = 0;
    const jobMs: number[] = [];
    const keepOneInFlight = async (slot: number) => {
      for (let n = 0; !stop; n++) {
        const jobStarted = performance.now();
        const path = slot % 2 === 0 ? 'settlements/preview' : 'settlements';
        const response = await fetch(`${base}/districts/${DISTRICT}/${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${finance}`, 'content-type': 'application/json' },
          body: body(slot * 1000 + n),
        });
        if (response.status !== 202) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
        const { jobId } = (await response.json()) as { jobId: string };
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          const job = (await (await fetch(`${base}/settlement-jobs/${jobId}`, { headers: { authorization: `Bearer ${finance}` } })).json()) as {
            status: string;
            problem: unknown;
          };
          if (job.status === 'failed') throw new Error(`job ${jobId} failed: ${JSON.stringify(job.problem)}`);
          if (job.status === 'done') break;
        }
        jobMs.push(performance.now() - jobStarted);
        jobsDone++;
      }
    };
    const inFlight = Array.from({ length: options.inFlight }, (_, slot) => keepOneInFlight(slot));
    await new Promise((resolve) => setTimeout(resolve, 500)); // the jobs are running
    let loaded: Record<string, number[]>;
    try {
      loaded = await measure();
    } finally {
      stop = true;
    }
    await Promise.all(inFlight);

    const province = await provinceJob(bench, stack, options.provinceTeams);

    const figures: SectionResult['figures'] = [];
    for (const route of routes) {
      const idleP99 = quantile(idle[route.name]!, 0.99);
      const loadedP99 = quantile(loaded[route.name]!, 0.99);
      const times = ratio(loadedP99, idleP99);
      figures.push({
        measure: `${route.name} p99 with ${options.inFlight} settlement jobs in flight`,
        value: loadedP99,
        unit: 'ms',
        baseline: idleP99,
        ratio: idleP99 / loadedP99,
        target: '≤ 2× idle p99',
        met: times <= 2,
        note:
          `${times.toFixed(2)}× idle (idle p50 ${quantile(idle[route.name]!, 0.5).toFixed(1)} ms, ` +
          `loaded p50 ${quantile(loaded[route.name]!, 0.5).toFixed(1)} ms)`,
      });
    }
    figures.push({
      measure: `settlement job, ${options.teams} teams, ${options.inFlight} in flight (median)`,
      value: jobMs.length ? quantile(jobMs, 0.5) / 1000 : null,
      unit: 's',
      note: `${jobsDone} jobs finished during the loaded measurement`,
    });
    figures.push({
      measure: `province settlement job, ${options.provinceTeams} teams, through the Lambda handler`,
      value: province.ms / 1000,
      unit: 's',
      note: `${province.lines} lines written; seeding took ${(province.seedMs / 1000).toFixed(0)} s`,
    });
    return { section: 'settlement-jobs', status: 'ok', figures, durationMs: performance.now() - started };
  } finally {
    server.close();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    bench.stop();
  }
}

async function get(url: string, token: string): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
}

/** The deployed path: the job stored by the route's service, the event handed to the finance Lambda handler. */
async function provinceJob(
  bench: Awaited<ReturnType<typeof startBenchDb>>,
  stack: ReturnType<typeof createBenchStack>,
  teams: number,
): Promise<{ ms: number; lines: number; seedMs: number }> {
  const seeded = performance.now();
  const province = await seedSettlementDistrict(bench.db, PROVINCE, teams);
  const seedMs = performance.now() - seeded;
  const events: unknown[] = [];
  const { job } = await requestSettlementJob(
    stack.deps,
    { start: async (jobId) => void events.push(settlementJobEventFor(jobId)) },
    {
      kind: 'create',
      districtId: PROVINCE,
      by: 'bench-finance',
      request: { evaluationId: province.evaluationId, poolFen: teams * 300_000, method: METHOD },
    },
  );
  const saved = { ...process.env };
  Object.assign(process.env, {
    TABLE_NAME: bench.db.tableName,
    JWKS_URL: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/pool/.well-known/jwks.json',
    AWS_REGION: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: bench.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  try {
    const { handler } = (await import('../functions/finance/lambda.ts')) as unknown as { handler: Handler };
    const started = performance.now();
    await handler(events[0], { awsRequestId: 'bench-province-job', getRemainingTimeInMillis: () => 900_000 });
    const ms = performance.now() - started;
    const done = await getSettlementJob(bench.db, job.jobId);
    if (done?.status !== 'done') throw new Error(`province job ${job.jobId} is ${done?.status}: ${JSON.stringify(done?.problem)}`);
    const counts = (await getSettlement(bench.db, done.settlementId!))!.lineCounts;
    return { ms, lines: counts.team + counts.member + counts.institution, seedMs };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
