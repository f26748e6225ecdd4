/**
 * The Lambda entry (functions/lambda-entry.ts) with Powertools: every log line of an invocation,
 * the access line and an error line alike, is JSON carrying the invocation's request id, and the
 * metrics the invocation recorded leave as one CloudWatch EMF line at its end (none when it
 * recorded nothing).
 */
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaEntry, taskEntry } from '../../functions/lambda-entry.ts';
import { createApiApp } from '#shared/http/api.ts';
import { count } from '#shared/observability/telemetry.ts';

const context = (requestId: string) =>
  ({
    awsRequestId: requestId,
    functionName: 'Gatekeeper-test-surveys',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:Gatekeeper-test-surveys',
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 29_000,
  }) as unknown as Context;

const event = (method: string, path: string) => ({
  version: '2.0',
  routeKey: `${method} ${path}`,
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'api.example', 'accept-language': 'en' },
  isBase64Encoded: false,
  requestContext: { http: { method, path, sourceIp: '127.0.0.1', protocol: 'HTTP/1.1', userAgent: 'test' }, requestId: 'api-1', stage: '$default' },
});

let lines: Record<string, unknown>[];

beforeEach(() => {
  lines = [];
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'Gatekeeper-test-surveys');
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const app = createApiApp();
app.post('/surveys', (c) => {
  count('SurveySubmitted');
  return c.json({ ok: true }, 201);
});
app.get('/broken', () => {
  throw new Error('boom');
});
const handler = lambdaEntry(app);

describe('the Lambda entry', () => {
  it('logs the request as JSON with its request id and sends the recorded metric as EMF', async () => {
    const result = (await handler(event('POST', '/surveys') as never, context('req-1'))) as { statusCode: number };
    expect(result.statusCode).toBe(201);
    const access = lines.find((l) => l.message === 'request');
    expect(access).toMatchObject({ level: 'INFO', function_request_id: 'req-1', method: 'POST', route: 'POST /surveys', status: 201 });
    const emf = lines.find((l) => '_aws' in l);
    expect(emf).toMatchObject({ SurveySubmitted: 1, service: 'gatekeeper' });
    expect((emf!._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]!.Namespace).toBe('Gatekeeper');
  });

  it('puts the request id on an error line too, and sends no metrics line when none was recorded', async () => {
    const result = (await handler(event('GET', '/broken') as never, context('req-2'))) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toMatchObject({ title: 'Internal error' });
    expect(lines.find((l) => l.message === 'unhandled error')).toMatchObject({ level: 'ERROR', function_request_id: 'req-2', errorName: 'Error' });
    expect(lines.every((l) => l.function_request_id === 'req-2')).toBe(true);
    expect(lines.some((l) => '_aws' in l)).toBe(false);
  });

  it('does the same for a task Lambda', async () => {
    const task = taskEntry(async (input: { n: number }) => {
      count('RunCompleted');
      return input.n + 1;
    });
    expect(await task({ n: 1 }, context('req-3'))).toBe(2);
    expect(lines.find((l) => '_aws' in l)).toMatchObject({ RunCompleted: 1 });
  });
});
