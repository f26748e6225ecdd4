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

describe('routes built with the first request that needs them', () => {
  type Result = { statusCode: number; body: string; headers: Record<string, string> };
  const loads = { pages: 0, api: 0 };
  const lazyHandler = lambdaEntry([
    {
      prefixes: ['/pages'],
      load: async () => {
        loads.pages++;
        const pages = createApiApp();
        pages.get('/pages', (c) => c.html('<p>home</p>', 200));
        pages.get('/pages/:id', (c) => c.html(`<p>${c.req.param('id')}</p>`, 200));
        pages.get('/pages/broken/now', () => {
          throw new Error('boom');
        });
        return pages;
      },
    },
    {
      load: async () => {
        loads.api++;
        const api = createApiApp();
        api.get('/items', (c) => c.json({ items: [] }, 200));
        return api;
      },
    },
  ]);
  const call = async (path: string, requestId: string) => (await lazyHandler(event('GET', path) as never, context(requestId))) as Result;

  it('builds a group once, with the first request to it, and not the others', async () => {
    expect(loads).toEqual({ pages: 0, api: 0 });
    expect((await call('/items', 'p-1')).statusCode).toBe(200);
    expect(loads).toEqual({ pages: 0, api: 1 });
    const home = await call('/pages', 'p-2');
    const one = await call('/pages/one', 'p-3');
    expect((await call('/items', 'p-4')).statusCode).toBe(200);
    expect([home.statusCode, home.body, one.statusCode, one.body]).toEqual([200, '<p>home</p>', 200, '<p>one</p>']);
    expect(loads).toEqual({ pages: 1, api: 1 });
    // the root's security headers are on a group's answer as on any other
    expect(one.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('answers a path no route has, and a route that throws, as an eagerly built app does', async () => {
    const eager = lambdaEntry(createApiApp());
    for (const path of ['/pages/one/two', '/nothing-here']) {
      const lazy = await call(path, 'p-5');
      const expected = (await eager(event('GET', path) as never, context('p-6'))) as Result;
      expect(lazy.statusCode).toBe(404);
      expect([lazy.statusCode, lazy.headers['content-type'], JSON.parse(lazy.body)]).toEqual([
        expected.statusCode,
        expected.headers['content-type'],
        JSON.parse(expected.body),
      ]);
    }
    const broken = await call('/pages/broken/now', 'p-7');
    expect(broken.statusCode).toBe(500);
    expect(JSON.parse(broken.body)).toMatchObject({ title: 'Internal error' });
    expect(broken.headers['x-frame-options']).toBe('DENY');
  });

  it('tries the import again after it failed', async () => {
    let attempts = 0;
    const failing = lambdaEntry([
      {
        load: async () => {
          attempts++;
          if (attempts === 1) throw new Error('import failed');
          const app = createApiApp();
          app.get('/pages', (c) => c.text('ok', 200));
          return app;
        },
      },
    ]);
    const first = (await failing(event('GET', '/pages') as never, context('p-8'))) as Result;
    const second = (await failing(event('GET', '/pages') as never, context('p-9'))) as Result;
    expect([first.statusCode, second.statusCode, second.body, attempts]).toEqual([500, 200, 'ok', 2]);
  });
});
