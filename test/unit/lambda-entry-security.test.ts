/**
 * What a deployed function answers and logs (functions/lambda-entry.ts), for #16: every response
 * (a route, an error, an unknown route) carries the security headers, and the log line of an
 * invitation link names the route, never the path with its token.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaEntry } from '../../functions/lambda-entry.ts';
import { createRegistryApp } from '../../functions/registry/app.ts';
import { createResidentApp } from '../../functions/resident/app.tsx';
import type { Deps } from '#shared/deps.ts';
import { residentKeyer } from '#shared/security/resident-key.ts';
import { fakeTable, faultDb } from '../support/fuzz-faults.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const deps: Deps = {
  db: faultDb(),
  verifyToken: async () => null,
  residentKeyer: async () => residentKeyer(Buffer.alloc(32, 1)),
  now: () => new Date('2026-11-22T08:00:00Z'),
  launchEvaluation: async () => undefined,
};
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 29_000 } as unknown as Context;

function event(method: string, routeKey: string, path: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.cn' },
    requestContext: { http: { method, path, sourceIp: '127.0.0.1' }, requestId: 'r', stage: '$default', domainName: 'api.example.cn' },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

let logs: string[];
beforeEach(() => {
  docMock.reset();
  fakeTable(docMock);
  logs = [];
  // Powertools' Logger writes to stdout; anything else through console
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
    logs.push(String(chunk));
    return true;
  }) as typeof process.stdout.write);
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

describe('a deployed function', () => {
  it('puts the security headers on a route, an error and an unknown route', async () => {
    const handler = lambdaEntry(createRegistryApp(deps)) as (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyResultV2>;
    const answers = [
      await handler(event('GET', 'GET /health', '/health'), context),
      await handler(event('GET', 'GET /districts', '/districts'), context),
      await handler(event('GET', '$default', '/no-such-route'), context),
    ] as { statusCode: number; headers: Record<string, string> }[];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404]);
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy']).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')* ?(;|$)/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('strict-origin');
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('logs the route of an invitation link, not its path', async () => {
    const token = 'Zq3f8Kx1Lm9Pw2Rt5Vb7Nc4Hd6Jg0Sa1';
    const handler = lambdaEntry(createResidentApp(deps)) as (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyResultV2>;
    const answer = (await handler(event('GET', 'GET /s/{token}', `/s/${token}`), context)) as { statusCode: number };
    expect(answer.statusCode).toBe(404);
    expect(logs.some((line) => line.includes('GET /s/{token}'))).toBe(true);
    expect(logs.join('\n')).not.toContain(token);
  });
});
