/**
 * A settlement job as it runs deployed, against DynamoDB Local (issue 19): the route's service
 * stores the job and invokes the finance function asynchronously (a mocked Lambda client records
 * the invocation); the finance function's Lambda handler (functions/finance/lambda.ts, configured
 * from its environment as the stack configures it) is given that event and computes the job to
 * completion. Its lines equal, line for line, the computation made in this process. A second
 * delivery changes nothing; a run that died is taken over.
 *
 * Size: SETTLEMENT_JOB_TEAMS teams (1,000 by default, to keep `npm test` reasonable); the bench
 * section `settlement-jobs` settles 30,000 teams through the same handler.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getSettlementJob, type SettlementJob } from '#shared/data/settlement-jobs.ts';
import { allLines, getSettlement, listSettlements } from '#shared/data/settlements.ts';
import type { SettlementLine } from '#shared/domain/settlements/compute.ts';
import { selfInvokeSettlementRunner } from '#shared/services/settlements-job-runners.ts';
import { requestSettlementJob } from '#shared/services/settlements-jobs.ts';
import { previewSettlement } from '#shared/services/settlements-computing.ts';
import { SETTLEMENT_NOW, type SettlementDistrict, seedSettlementDistrict } from '../../bench/support/settlement-district.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const FUNCTION = 'Gatekeeper-test-finance';
const TEAMS = Number(process.env.SETTLEMENT_JOB_TEAMS ?? 1_000);
const D = 'lambda-jobs-d';
const lambda = mockClient(LambdaClient);
let stack: TestStack;
let district: SettlementDistrict;
let handler: Handler;
const context = { awsRequestId: 'job-invocation', getRemainingTimeInMillis: () => 900_000 };
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
}

const request = () => ({
  evaluationId: district.evaluationId,
  poolFen: TEAMS * 300_000,
  method: { kind: 'score-weighted' as const, sizeMeasure: 'weighted-residents' as const },
});

/** Requests a creation the way the deployed route does, and returns the event Lambda would deliver. */
async function startJob(): Promise<{ job: SettlementJob; event: unknown }> {
  lambda.reset();
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  const { job } = await requestSettlementJob(stack.deps, selfInvokeSettlementRunner({ functionName: FUNCTION }), {
    kind: 'create',
    districtId: D,
    by: 'finance-a',
    request: request(),
  });
  const calls = lambda.commandCalls(InvokeCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.args[0].input).toMatchObject({ FunctionName: FUNCTION, InvocationType: 'Event' });
  return { job, event: JSON.parse(new TextDecoder().decode(calls[0]!.args[0].input.Payload as Uint8Array)) };
}

async function linesOfKind(computationId: string, kind: SettlementLine['kind']): Promise<SettlementLine[]> {
  const lines: SettlementLine[] = [];
  for await (const line of allLines<SettlementLine>(stack.db, computationId, kind)) lines.push(line);
  return lines;
}

const order = (a: SettlementLine, b: SettlementLine) => {
  const key = (l: SettlementLine) => `${l.institutionId}#${'teamId' in l ? l.teamId : ''}#${'memberId' in l ? l.memberId : ''}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
};

beforeAll(async () => {
  stack = await createTestStack({ now: () => SETTLEMENT_NOW });
  district = await seedSettlementDistrict(stack.db, D, TEAMS);
  // what the stack sets (infra/gatekeeper-stack.ts), pointed at DynamoDB Local
  setEnv({
    TABLE_NAME: stack.db.tableName,
    JWKS_URL: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/pool/.well-known/jwks.json',
    AWS_REGION: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    REPORT_JOBS_FUNCTION: FUNCTION,
  });
  ({ handler } = (await import('../../functions/finance/lambda.ts')) as unknown as { handler: Handler });
}, 600_000);

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  lambda.restore();
});

describe('the finance function given a settlement job event', () => {
  it(`settles ${TEAMS} teams to completion, with exactly the lines of the in-process computation`, async () => {
    const { job, event } = await startJob();
    expect(event).toEqual({ settlementJobId: job.jobId });
    expect((await getSettlementJob(stack.db, job.jobId))!.status).toBe('queued');

    const started = performance.now();
    await handler(event, context);
    console.log(`${TEAMS} teams settled by the Lambda handler in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const done = (await getSettlementJob(stack.db, job.jobId))!;
    expect(done).toMatchObject({ status: 'done', problem: null, progress: { phase: 'done', done: TEAMS, total: TEAMS } });
    const settlement = (await getSettlement(stack.db, done.settlementId!))!;
    expect(settlement).toMatchObject({ status: 'draft', computationId: done.computationId, createdBy: 'finance-a', lineCounts: { team: TEAMS } });

    const expected = await previewSettlement(stack.deps, D, request());
    expect(settlement.fingerprint).toBe(expected.fingerprint);
    expect(settlement.totals).toEqual(expected.totals);
    expect((await linesOfKind(settlement.computationId, 'team')).sort(order)).toEqual([...expected.teamLines].sort(order));
    expect((await linesOfKind(settlement.computationId, 'member')).sort(order)).toEqual([...expected.memberLines].sort(order));
    expect((await linesOfKind(settlement.computationId, 'institution')).sort(order)).toEqual([...expected.institutionLines].sort(order));

    // delivered again (Lambda retries and may duplicate): nothing more is written
    await handler(event, context);
    expect((await listSettlements(stack.db, D, 100)).items.map((s) => s.settlementId)).toEqual([settlement.settlementId]);
    expect((await getSettlementJob(stack.db, job.jobId))!.finishedAt).toBe(done.finishedAt);
  }, 900_000);
});
