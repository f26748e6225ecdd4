/**
 * The deployed report job runner (shared/services/reports/runner-lambda.ts), against a mocked
 * Lambda client: one asynchronous self-invocation per job carrying the job event, and a job whose
 * invocation fails is marked failed with a 503 problem instead of waiting queued for the stale rule.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, type InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '#shared/data/db.ts';
import type { Settlement } from '#shared/data/settlements.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { toProblem } from '#shared/http/on-error.ts';
import { reportJobEventOf, reportOptionsFromEnv, requestReportJob, selfInvokeReportRunner } from '#shared/services/reports/index.ts';

const lambda = mockClient(LambdaClient);
const docMock = mockClient(DynamoDBDocumentClient);
const db: Db = { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), tableName: 't' };
const FUNCTION = 'Gatekeeper-dev-reports';
const NOW = new Date('2026-11-22T08:00:00Z');

// only what requesting a job reads from the settlement header
const settlement = {
  settlementId: 'stl-1',
  districtId: 'haidian',
  status: 'approved',
  lineCounts: { team: 50_000, member: 200_000, institution: 5_000 },
} as Settlement;

function payloadOf(input: InvokeCommandInput): unknown {
  const payload = input.Payload;
  return JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload as Uint8Array));
}

beforeEach(() => {
  lambda.reset();
  docMock.reset();
});

describe('the self-invoking report job runner', () => {
  it('sends exactly one asynchronous Invoke of the function itself, carrying the job event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await selfInvokeReportRunner({ functionName: FUNCTION }).start('rpt-abc123');
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: FUNCTION, InvocationType: 'Event' });
    expect(payloadOf(input)).toEqual({ reportJobId: 'rpt-abc123' });
    // the function's entry recognises what the runner sends
    expect(reportJobEventOf(payloadOf(input))).toEqual({ reportJobId: 'rpt-abc123' });
  });

  it('fails when Lambda does not accept the invocation as asynchronous', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    await expect(selfInvokeReportRunner({ functionName: FUNCTION }).start('rpt-abc123')).rejects.toThrow(/status 200/);
  });

  it('is the runner when the stack names the function (REPORT_JOBS_FUNCTION), and absent locally', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const deployed = reportOptionsFromEnv({ REPORTS_BUCKET: 'reports-bucket', REPORT_JOBS_FUNCTION: FUNCTION });
    await deployed.runner!.start('rpt-env1');
    expect(lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName)).toEqual([FUNCTION]);
    expect(reportOptionsFromEnv({ REPORTS_DIR: '/tmp/x' }).runner).toBeUndefined();
  });

  it("invokes the running function's own name (AWS_LAMBDA_FUNCTION_NAME) when the stack says self", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const deployed = reportOptionsFromEnv({
      REPORTS_BUCKET: 'reports-bucket',
      REPORT_JOBS_FUNCTION: 'self',
      AWS_LAMBDA_FUNCTION_NAME: 'Gatekeeper-prod-ReportsFunction812A2D20-AbC123',
    });
    await deployed.runner!.start('rpt-env2');
    expect(lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName)).toEqual(['Gatekeeper-prod-ReportsFunction812A2D20-AbC123']);
  });
});

describe('a job whose invocation fails', () => {
  it('is marked failed and answered with a 503 problem, not left queued', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    docMock.on(PutCommand).resolves({});
    docMock.on(UpdateCommand).resolves({});
    const runner = selfInvokeReportRunner({ functionName: FUNCTION });
    const request = requestReportJob(db, runner, { settlement, spec: { format: 'xlsx', lang: 'zh' }, by: 'finance-a', now: NOW });
    const error = await request.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'report-job-not-started' });
    expect(toProblem(error).status).toBe(503);

    const [put] = docMock.commandCalls(PutCommand);
    const jobId = (put!.args[0].input.Item as { jobId: string }).jobId;
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(payloadOf(lambda.commandCalls(InvokeCommand)[0]!.args[0].input)).toEqual({ reportJobId: jobId });
    const updates = docMock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.Key).toEqual({ pk: `REPORT_JOB#${jobId}`, sk: 'REPORT_JOB' });
    expect(updates[0]!.ExpressionAttributeValues).toMatchObject({ ':failed': 'failed', ':error': expect.stringContaining('could not be started') });
  });
});
