/**
 * A report job as it runs deployed, against DynamoDB Local: the reports function's Lambda handler
 * (functions/reports/lambda.ts, configured from its environment like the stack configures it) is
 * given the event its own self-invocation carries, runs the job to completion into the report
 * storage (local files here) and records it done. A second delivery of the same event (Lambda
 * retries asynchronous invocations and may deliver one twice) does not redo the job; a job whose
 * run died while running is taken over, a live one is left alone.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { parse } from 'csv-parse/sync';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReportJob, getReportJob, type ReportJob } from '#shared/data/report-jobs.ts';
import type { Settlement } from '#shared/data/settlements.ts';
import { localReportStorage, requestReportJob, selfInvokeReportRunner } from '#shared/services/reports/index.ts';
import { seedSyntheticSettlement } from '../../bench/support/synthetic-settlement.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const FUNCTION = 'Gatekeeper-test-reports';
const lambda = mockClient(LambdaClient);
let stack: TestStack;
let settlement: Settlement;
let reportsDir: string;
let handler: Handler;
const context = { awsRequestId: 'job-invocation', getRemainingTimeInMillis: () => 900_000 };
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
}

/** Starts a job the way the deployed route does, and returns the event Lambda would deliver. */
async function startJob(spec: Parameters<typeof requestReportJob>[2]['spec']): Promise<{ job: ReportJob; event: unknown }> {
  lambda.reset();
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  const job = await requestReportJob(stack.db, selfInvokeReportRunner({ functionName: FUNCTION }), { settlement, spec, by: 'finance-a', now: new Date() });
  const calls = lambda.commandCalls(InvokeCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.args[0].input).toMatchObject({ FunctionName: FUNCTION, InvocationType: 'Event' });
  return { job, event: JSON.parse(new TextDecoder().decode(calls[0]!.args[0].input.Payload as Uint8Array)) };
}

async function fileOf(job: ReportJob): Promise<Buffer | null> {
  const file = await localReportStorage(reportsDir).openReader(job.storageKey);
  if (!file) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A draft's CSV (the seeded settlement is a draft): its first line is the DRAFT mark (issue 17), then the header and the lines. */
function draftCsv(bytes: Buffer, lang: 'zh' | 'en', columns = false): string[][] | Record<string, string>[] {
  const records = parse(bytes, { bom: true, relax_column_count: true }) as string[][];
  expect(records[0]).toEqual(
    lang === 'zh'
      ? ['草稿', '草稿：尚未批准，不得据此付款', settlement.settlementId]
      : ['DRAFT', 'DRAFT: not approved; do not pay from it', settlement.settlementId],
  );
  return parse(bytes, { bom: true, from_line: 2, columns });
}

/** Σ of a yuan column read back from the CSV, in fen. */
function fenSum(values: string[]): number {
  return values.reduce((sum, text) => {
    const [yuan, fen = ''] = text.split('.');
    return sum + Number(yuan) * 100 + Number(fen.padEnd(2, '0'));
  }, 0);
}

beforeAll(async () => {
  stack = await createTestStack();
  settlement = await seedSyntheticSettlement(stack.db, { teams: 120 }, 'stl-lambda-job');
  reportsDir = await mkdtemp(join(tmpdir(), 'gk-report-lambda-'));
  // what the stack sets (infra/gatekeeper-stack.ts), pointed at DynamoDB Local and a local directory instead of S3
  setEnv({
    TABLE_NAME: stack.db.tableName,
    JWKS_URL: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/pool/.well-known/jwks.json',
    AWS_REGION: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    REPORTS_DIR: reportsDir,
    REPORT_JOBS_FUNCTION: FUNCTION,
  });
  ({ handler } = (await import('../../functions/reports/lambda.ts')) as unknown as { handler: Handler });
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  lambda.restore();
  await rm(reportsDir, { recursive: true, force: true });
});

describe('the reports function given a report job event', () => {
  it('runs the job to completion: done, with the file written and its totals to the fen', async () => {
    const { job, event } = await startJob({ format: 'csv', sheet: 'teams', lang: 'en' });
    expect(event).toEqual({ reportJobId: job.jobId });
    expect((await getReportJob(stack.db, job.jobId))!.status).toBe('queued');

    await handler(event, context);

    const done = (await getReportJob(stack.db, job.jobId))!;
    expect(done).toMatchObject({ status: 'done', progress: { rows: settlement.lineCounts.team, total: settlement.lineCounts.team }, error: null });
    const file = (await fileOf(done))!;
    expect(done.bytes).toBe(file.length);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = draftCsv(file, 'en', true) as Record<string, string>[];
    expect(rows).toHaveLength(settlement.lineCounts.team);
    const incentive = Object.keys(rows[0]!).find((name) => /incentive/i.test(name))!;
    expect(fenSum(rows.map((row) => row[incentive]!))).toBe(settlement.totals.paidFen);
  });

  it('does not redo a finished job when the same event is delivered again', async () => {
    const { job, event } = await startJob({ format: 'xlsx', lang: 'zh' });
    await handler(event, context);
    const done = (await getReportJob(stack.db, job.jobId))!;
    expect(done.status).toBe('done');
    for (const name of await readdir(reportsDir)) await rm(join(reportsDir, name));

    await handler(event, context);

    expect(await getReportJob(stack.db, job.jobId)).toEqual(done);
    expect(await readdir(reportsDir)).toEqual([]);
  });

  it('leaves a failed job failed', async () => {
    const { job } = await startJob({ format: 'csv', sheet: 'members', lang: 'zh' });
    const failed: ReportJob = {
      ...job,
      jobId: `${job.jobId}f`,
      status: 'failed',
      error: 'The report could not be produced',
      storageKey: `${job.storageKey}.failed`,
    };
    await createReportJob(stack.db, failed);
    await handler({ reportJobId: failed.jobId }, context);
    expect(await getReportJob(stack.db, failed.jobId)).toMatchObject({ status: 'failed', error: failed.error, bytes: null });
    expect(await fileOf(failed)).toBeNull();
  });

  it('takes over a running job whose run stopped, into the same file; leaves a live run alone', async () => {
    const { job } = await startJob({ format: 'csv', sheet: 'institutions', lang: 'zh' });
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const stalled: ReportJob = {
      ...job,
      jobId: `${job.jobId}s`,
      status: 'running',
      progress: { rows: 3, total: job.progress.total },
      updatedAt: minutesAgo(2),
      startedAt: minutesAgo(3),
    };
    const live: ReportJob = { ...stalled, jobId: `${job.jobId}l`, storageKey: `${job.storageKey}.live`, updatedAt: minutesAgo(0) };
    await createReportJob(stack.db, stalled);
    await createReportJob(stack.db, live);

    await handler({ reportJobId: stalled.jobId }, context);
    await handler({ reportJobId: live.jobId }, context);

    const takenOver = (await getReportJob(stack.db, stalled.jobId))!;
    expect(takenOver).toMatchObject({ status: 'done', progress: { rows: settlement.lineCounts.institution } });
    expect(takenOver.startedAt! > stalled.startedAt!).toBe(true);
    const rows = draftCsv((await fileOf(takenOver))!, 'zh') as string[][];
    expect(rows).toHaveLength(1 + settlement.lineCounts.institution);
    expect(await getReportJob(stack.db, live.jobId)).toEqual(live);
    expect(await fileOf(live)).toBeNull();
  });

  it('still answers API Gateway requests through the app', async () => {
    const event = {
      version: '2.0',
      routeKey: 'GET /report-jobs/{jobId}',
      rawPath: '/report-jobs/rpt-x',
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path: '/report-jobs/rpt-x', sourceIp: '127.0.0.1' }, requestId: 'r', stage: '$default' },
      isBase64Encoded: false,
    };
    expect(await handler(event, context)).toMatchObject({ statusCode: 401 });
  });
});
