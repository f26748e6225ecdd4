/**
 * Resource limits, each refused cleanly and before any work or write:
 * - request body size: every route that takes a body answers 413 problem+json one byte over its
 *   limit (256 KB by default, 8 MB for metric uploads, smaller for the HTML forms), also when the
 *   body arrives as a stream without a Content-Length;
 * - page size: every list parameter `limit` in /openapi.json is refused one above its maximum (400
 *   naming query.limit) and accepted at it;
 * - upload rows: a metrics upload of more than MAX_UPLOAD_ROWS rows (JSON or CSV) is 413
 *   `too-many-rows`, stores nothing; exactly the limit passes the row check;
 * - XLSX zip bombs: a workbook of a few hundred KB that claims 100 MB once inflated is 413
 *   `upload-xlsx-too-large` on the clerk's upload page before exceljs reads it, storing nothing;
 * - request rate: not limited by the app; API Gateway's stage throttling does it when deployed
 *   (50 requests/s, burst 100 by default: infra/config.ts DEFAULT_THROTTLE, asserted in
 *   test/infra/gatekeeper-stack.test.ts "throttles and access-logs the default stage").
 */
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT_BYTES } from '#shared/http/api.ts';
import { MAX_UPLOAD_ROWS } from '#shared/schemas/metrics.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { METRICS_UPLOAD_LIMIT_BYTES } from '../../functions/institution-data/app.ts';
import { createTestDistrict, type TestDistrict, testIdentityNumber } from '../support/fixtures.ts';
import { countItems, type FuzzOperation, operationsOf } from '../support/fuzz-target.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { ATTACHMENT_FORM_LIMIT_BYTES } from '#shared/domain/appeal-attachments.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
const D = 'limits-d';
let stack: TestStack;
let district: TestDistrict;
let operations: FuzzOperation[];
let doc: { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { maximum?: number } }[] }>> };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, D, { institutions: 1, teamsPerInstitution: 2 });
  tokens.admin = await stack.token('admin');
  tokens.clerk = await stack.token('clerk', { districtId: D, institutionId: district.institutionIds[0]! });
  tokens.evaluator = await stack.token('evaluator', { districtId: D });
  tokens.finance = await stack.token('finance', { districtId: D });
  tokens.resident = await stack.token('resident', { identityNumber: testIdentityNumber('1970-01-01', 1) });
  doc = (await (await stack.request('GET', '/openapi.json')).json()) as typeof doc;
  operations = operationsOf(doc as never);
});

function tokenFor(op: FuzzOperation): string | undefined {
  const role = op.roles.includes('admin') ? 'admin' : op.roles.find((r) => r !== 'public');
  return role ? tokens[role] : undefined;
}

function pathOf(op: FuzzOperation): string {
  const ids: Record<string, string> = {
    districtId: D,
    institutionId: district.institutionIds[0]!,
    teamId: district.teams[0]!.teamId,
    period: '2026Q3',
    version: '1',
  };
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `unknown-${name.toLowerCase()}`);
}

function limitOf(op: FuzzOperation): number {
  if (op.path === '/institutions/{institutionId}/metrics/{period}' && op.method === 'PUT') return METRICS_UPLOAD_LIMIT_BYTES;
  // the clerk's upload form (multipart CSV or XLSX) takes as much as the API's upload
  if (op.path === '/clerk/metrics' && op.method === 'POST') return METRICS_UPLOAD_LIMIT_BYTES;
  // an appeal's attachment (a PDF or image up to 4 MiB) has its own limit
  if (op.path.endsWith('/appeals/{appealId}/attachments')) return ATTACHMENT_FORM_LIMIT_BYTES;
  if (op.path.startsWith('/finance/')) return 32 * 1024;
  if (op.path === '/s/{token}') return 16 * 1024;
  if (op.path === '/login') return 8 * 1024;
  return DEFAULT_BODY_LIMIT_BYTES;
}

describe('request body size', () => {
  it('answers 413 problem+json one byte over the limit on every route that takes a body, writing nothing', async () => {
    const before = await countItems(stack.db);
    const writers = operations.filter((op) => op.method !== 'GET');
    expect(writers.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const op of writers) {
      const limit = limitOf(op);
      const json = op.bodyTypes.includes('application/json') || op.bodyTypes.length === 0;
      const body = json ? `{"filler":"${'x'.repeat(limit - 12)}"}` : 'x'.repeat(limit + 1);
      expect(body.length).toBe(limit + 1);
      const token = tokenFor(op);
      const response = await stack.app.request(pathOf(op), {
        method: op.method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': json ? 'application/json' : 'text/csv' },
        body,
      });
      const type = response.headers.get('content-type') ?? '';
      const ok = response.status === 413 && (type === 'application/problem+json' || (op.html && type.startsWith('text/html')));
      if (!ok) wrong.push(`${op.method} ${op.path}: ${response.status} ${type}`);
      else if (type === 'application/problem+json')
        expect(await response.json()).toMatchObject({ status: 413, type: 'https://gatekeeper.example/problems/payload-too-large' });
    }
    expect(wrong).toEqual([]);
    expect(await countItems(stack.db)).toBe(before);
  });

  it('counts a streamed body without Content-Length, and names the limit', async () => {
    const chunk = new TextEncoder().encode(`{"a":"${'x'.repeat(64 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await stack.app.request('/districts', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json', 'accept-language': 'en' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ detail: `The limit is ${DEFAULT_BODY_LIMIT_BYTES} bytes` });
  });

  it('accepts a body just under the limit (then judges its content)', async () => {
    const response = await stack.request('POST', '/districts', {
      token: tokens.admin,
      body: `{"districtId":"x","filler":"${'x'.repeat(DEFAULT_BODY_LIMIT_BYTES - 100)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
  });
});

describe('page size', () => {
  it('refuses limit one above each list maximum (400 query.limit) and accepts the maximum', async () => {
    const lists = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, op]) => {
        const limit = op.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
        return limit?.schema?.maximum ? [{ path, method: method.toUpperCase(), maximum: limit.schema.maximum }] : [];
      }),
    );
    expect(lists.length).toBeGreaterThan(8);
    expect(lists.filter((l) => l.maximum === 100).length).toBeGreaterThan(5);
    const wrong: string[] = [];
    for (const list of lists) {
      const op = operations.find((o) => o.path === list.path && o.method === list.method)!;
      const extra = list.path === '/teams/{teamId}/survey-results' ? '&period=2026Q3' : list.path.endsWith('/lines') ? '&kind=team' : '';
      for (const [limit, refused] of [
        [list.maximum + 1, true],
        [1000 * list.maximum, true],
        [0, true],
        [list.maximum, false],
      ] as const) {
        const response = await stack.request('GET', `${pathOf(op)}?limit=${limit}${extra}`, { token: tokenFor(op) });
        const body = response.status === 400 ? ((await response.json()) as { errors?: { field: string }[] }) : null;
        const limitRefused = body?.errors?.some((e) => e.field === 'query.limit') ?? false;
        if (limitRefused !== refused || response.status >= 500) wrong.push(`${list.path}?limit=${limit}: ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

const put = (body: string, type: string) =>
  Promise.resolve(
    stack.app.request(`/institutions/${district.institutionIds[0]}/metrics/2026Q4`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.clerk}`, 'content-type': type, 'accept-language': 'en' },
      body,
    }),
  );

describe('upload rows', () => {
  const codes = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);
  const csv = (rows: number) => {
    const line = codes.map(() => '1').join(',');
    return `teamId,${codes.join(',')}\n${Array.from({ length: rows }, (_, i) => `t${i},${line}`).join('\n')}\n`;
  };

  it(`refuses ${MAX_UPLOAD_ROWS + 1} rows of CSV or JSON with 413 too-many-rows, and stores nothing`, async () => {
    const before = await countItems(stack.db);
    const fromCsv = await put(csv(MAX_UPLOAD_ROWS + 1), 'text/csv');
    expect(fromCsv.status).toBe(413);
    // the detail is the catalogue's text, naming the limit
    expect(await fromCsv.json()).toMatchObject({
      code: 'too-many-rows',
      limit: MAX_UPLOAD_ROWS,
      detail: expect.stringContaining(`at most ${MAX_UPLOAD_ROWS} rows`),
    });

    const fromJson = await put(
      JSON.stringify({ rows: Array.from({ length: MAX_UPLOAD_ROWS + 1 }, (_, i) => ({ teamId: `t${i}`, values: {} })) }),
      'application/json',
    );
    expect(fromJson.status).toBe(413);
    expect(fromJson.headers.get('content-type')).toBe('application/problem+json');
    expect(await fromJson.json()).toMatchObject({ code: 'too-many-rows', limit: MAX_UPLOAD_ROWS });
    expect(await countItems(stack.db)).toBe(before);
  });

  it(`checks an upload of exactly ${MAX_UPLOAD_ROWS} rows (422: teams of no institution), lists at most 1,000 problems, /health still answering`, async () => {
    const { result: response, health } = await whileHealthPolled(() => put(csv(MAX_UPLOAD_ROWS), 'text/csv'));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { code: string; problemCount: number; errors: unknown[] };
    expect(body.code).toBe('invalid-upload');
    expect(body.problemCount).toBe(MAX_UPLOAD_ROWS);
    expect(body.errors).toHaveLength(1000);
    expect(health.statuses.every((s) => s === 200)).toBe(true);
    expect(health.statuses.length).toBeGreaterThan(1);
    expect(health.slowestMs).toBeLessThan(5_000);
  });
});

/**
 * Runs `work` while GET /health is requested over and over (one at a time, from the same
 * process, as a load balancer would): every answer's status and the slowest one. The parse of a
 * large upload gives the event loop back between chunks, so the health check is never held up
 * for the length of an upload (#16: a 7.8 MB upload once blocked it for 6.3 s).
 */
async function whileHealthPolled<T>(work: () => Promise<T>): Promise<{ result: T; health: { statuses: number[]; slowestMs: number } }> {
  let done = false;
  const statuses: number[] = [];
  let slowestMs = 0;
  const poll = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await stack.app.request('/health');
      slowestMs = Math.max(slowestMs, performance.now() - started);
      statuses.push(response.status);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  try {
    return { result: await work(), health: { statuses, slowestMs } };
  } finally {
    done = true;
    await poll;
  }
}

describe('upload bombs', () => {
  it('answers a 7.8 MB CSV whose header repeats one column with a 4xx at once, naming one problem, while /health keeps answering', async () => {
    const bomb = `teamId,${'htn-followup-due,'.repeat(460_000)}\nt1,1\n`;
    expect(bomb.length).toBeGreaterThan(7_800_000);
    expect(bomb.length).toBeLessThan(METRICS_UPLOAD_LIMIT_BYTES);
    const before = await countItems(stack.db);
    const started = performance.now();
    const { result: response, health } = await whileHealthPolled(() => put(bomb, 'text/csv'));
    const elapsedMs = performance.now() - started;
    expect(response.status).toBe(422);
    const body = (await response.json()) as { code: string; problemCount: number; errors: { row: number; message: string }[] };
    expect(body).toMatchObject({ code: 'invalid-upload', problemCount: 1, errors: [{ row: 1, message: expect.stringContaining('a line holds at most') }] });
    expect(elapsedMs).toBeLessThan(5_000);
    expect(health.statuses.length).toBeGreaterThan(0);
    expect(health.statuses.every((s) => s === 200)).toBe(true);
    expect(health.slowestMs).toBeLessThan(5_000);
    expect(await countItems(stack.db)).toBe(before);
  });

  it('answers a header of more columns than allowed, or of empty and repeated names, with one bounded report', async () => {
    const codes = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);
    const wide = await put(`teamId,${Array.from({ length: 500 }, (_, i) => `c${i}`).join(',')}\nt1,1\n`, 'text/csv');
    expect(wide.status).toBe(422);
    expect(await wide.json()).toMatchObject({ problemCount: 1, errors: [{ row: 1, message: expect.stringContaining('at most 200') }] });

    // every cell of 60,000 rows wrong: the report lists 1,000 and counts all
    const junk = `teamId,${codes.join(',')}\n${Array.from({ length: 60_000 }, (_, i) => `t${i},${codes.map(() => 'x').join(',')}`).join('\n')}\n`;
    const { result: response, health } = await whileHealthPolled(() => put(junk, 'text/csv'));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { problemCount: number; errors: unknown[] };
    expect(body.problemCount).toBe(60_000 * (codes.length + 1));
    expect(body.errors).toHaveLength(1000);
    expect(health.statuses.every((s) => s === 200)).toBe(true);
  });

  it('refuses a JSON upload whose rows carry more metric codes than a header may', async () => {
    const values = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`c${i}`, 1]));
    const response = await put(JSON.stringify({ rows: [{ teamId: 't1', values }] }), 'application/json');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'body.rows.0.values' }] });
  });

  it('refuses an XLSX zip bomb on the clerk upload page with 413 before exceljs reads it, storing nothing', async () => {
    // one deflated entry of 100 MB of zeros in a hand-made zip: local header, data, central directory, end record
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const data = deflateRawSync(new Uint8Array(100 * 1024 * 1024));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(100 * 1024 * 1024, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(100 * 1024 * 1024, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + name.length, 12);
    end.writeUInt32LE(30 + name.length + data.length, 16);
    const bomb = Buffer.concat([local, name, data, central, name, end]);
    expect(bomb.length).toBeLessThan(METRICS_UPLOAD_LIMIT_BYTES);
    const form = new FormData();
    form.append('file', new File([new Uint8Array(bomb)], 'bomb.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
    const before = await countItems(stack.db);
    const response = await stack.app.request('/clerk/metrics?period=2026Q4&lang=en', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.clerk}` },
      body: form,
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('The Excel file is too large once unpacked');
    expect(await countItems(stack.db)).toBe(before);
  });
});
