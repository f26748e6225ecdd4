/** Service-metric uploads against DynamoDB Local: validation as a whole, versions, idempotency, closed periods. */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { currentMetricsOfDistrict, institutionsWithUploads } from '#shared/data/metrics.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';

/** before 2026Q3's data deadline (10 October, issue 14); until then the tests ran on 22 November */
const NOW = new Date('2026-10-08T08:00:00Z');
const D = 'met-d';
const CODES = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);
let stack: TestStack;
let district: TestDistrict;
let admin: string;
/** one institution per scenario, so each test reads only its own versions */
const clerks: string[] = [];

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, D, { institutions: 8, teamsPerInstitution: 3 });
  admin = await stack.token('admin');
  for (const institutionId of district.institutionIds)
    clerks.push(await stack.token('clerk', { districtId: D, institutionId, sub: `clerk-of-${institutionId}` }));
});

function teamsOf(i: number): string[] {
  return district.teams.filter((t) => t.institutionId === district.institutionIds[i]).map((t) => t.teamId);
}

function csvLine(teamId: string, base: number, overrides: Record<string, string> = {}): string {
  return [teamId, ...CODES.map((c) => overrides[c] ?? String(c.endsWith('-done') ? base - 1 : base))].join(',');
}

function validCsv(i: number, base = 10): string {
  return [`teamId,${CODES.join(',')}`, ...teamsOf(i).map((t) => csvLine(t, base))].join('\r\n');
}

function put(i: number, body: string | object, options: { key?: string; token?: string; period?: string } = {}) {
  return stack.request('PUT', `/institutions/${district.institutionIds[i]}/metrics/${options.period ?? '2026Q3'}`, {
    token: options.token ?? clerks[i],
    body,
    // problems are in Chinese by default; these tests read the English texts
    headers: {
      'accept-language': 'en',
      ...(typeof body === 'string' ? { 'content-type': 'text/csv; charset=utf-8' } : {}),
      ...(options.key ? { 'idempotency-key': options.key } : {}),
    },
  });
}

async function versionsOf(i: number, period = '2026Q3'): Promise<number[]> {
  const response = await stack.request('GET', `/institutions/${district.institutionIds[i]}/metrics/${period}/versions`, { token: admin });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { version: number }[] }).items.map((v) => v.version);
}

/** Test-only: how many stored metric rows belong to an institution (a Scan is fine outside request paths). */
async function storedRowCount(i: number): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.db.doc.send(
      new ScanCommand({
        TableName: stack.db.tableName,
        FilterExpression: 'entity = :e AND institutionId = :i',
        ExpressionAttributeValues: { ':e': 'metrics-rows', ':i': district.institutionIds[i] },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) count += item.rowCount as number;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

describe('the metric catalogue', () => {
  it('shows the default catalogue to district staff, and the registry-derived codes', async () => {
    const response = await stack.request('GET', `/districts/${D}/metric-definitions`, { token: clerks[0] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { definitions: { code: string }[]; derivedFromRegistry: string[]; version: number };
    expect(body.definitions.map((d) => d.code)).toEqual(CODES);
    expect(body.derivedFromRegistry).toContain('insured-contracts');
    const other = await stack.token('evaluator', { districtId: 'elsewhere' });
    expect((await stack.request('GET', `/districts/${D}/metric-definitions`, { token: other })).status).toBe(403);
  });
});

describe('uploading metrics', () => {
  it('stores a valid CSV as version 1 and reads it back; a JSON upload works the same', async () => {
    const response = await put(0, `\uFEFF${validCsv(0)}`);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      version: 1,
      rowCount: 3,
      uploadedBy: 'clerk-of-met-d-inst-1',
      format: 'csv',
      codes: CODES,
      period: '2026Q3',
    });

    const read = await stack.request('GET', `/institutions/${district.institutionIds[0]}/metrics/2026Q3`, { token: admin });
    expect(read.status).toBe(200);
    const body = (await read.json()) as {
      version: number;
      currentVersion: number;
      rows: { teamId: string; values: Record<string, number> }[];
      uploadId?: string;
    };
    expect(body).toMatchObject({ version: 1, currentVersion: 1, uploadedAt: NOW.toISOString() });
    expect(body).not.toHaveProperty('uploadId');
    expect(body.rows.map((r) => r.teamId)).toEqual(teamsOf(0));
    expect(body.rows[0]!.values).toMatchObject({ 'htn-followup-due': 10, 'htn-followup-done': 9 });

    const json = await put(1, { rows: teamsOf(1).map((teamId) => ({ teamId, values: Object.fromEntries(CODES.map((c) => [c, 4])) })) });
    expect(json.status).toBe(201);
    expect(await json.json()).toMatchObject({ version: 1, rowCount: 3, format: 'json' });
  });

  it('rejects an invalid CSV with every bad row listed by row and column, and stores nothing', async () => {
    const [t1, t2, t3] = teamsOf(2) as [string, string, string];
    const csv = [
      `teamId,${CODES.join(',')}`,
      csvLine(t1, 10, { 'htn-followup-done': '12' }), // row 2
      csvLine('team-of-someone-else', 10), // row 3
      csvLine(t2, 10, { 'maternal-visits': '"1,5"', 'newborn-visits': '2.5' }), // row 4: a thousands separator, a fraction
      csvLine(t1, 10), // row 5: twice
      csvLine(t3, 10, { 'referrals-up': '-3' }).split(',').slice(0, 10).join(','), // row 6: cells missing
    ].join('\n');
    const response = await put(2, csv);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as {
      code: string;
      problemCount: number;
      detail: string;
      errors: { field: string; row: number; column: string; message: string }[];
    };
    expect(problem.code).toBe('invalid-upload');
    expect(problem.errors.map((e) => e.field)).toEqual([
      'row 2, column htn-followup-done',
      'row 3, column teamId',
      'row 4, column maternal-visits',
      'row 4, column newborn-visits',
      'row 5, column teamId',
      `row 6, column ${CODES[9]}`,
    ]);
    expect(problem.errors[0]).toMatchObject({ row: 2, column: 'htn-followup-done', message: 'htn-followup-done (12) exceeds htn-followup-due (10)' });
    expect(problem.problemCount).toBe(6);
    expect(problem.detail).toContain('nothing was stored');

    expect(await versionsOf(2)).toEqual([]);
    expect(await storedRowCount(2)).toBe(0);
    expect((await stack.request('GET', `/institutions/${district.institutionIds[2]}/metrics/2026Q3`, { token: admin })).status).toBe(404);
  });

  it('refuses registry-derived figures and unknown codes with a clear message', async () => {
    const csv = `teamId,${CODES.join(',')},insured-contracts\n${csvLine(teamsOf(2)[0]!, 10)},40\n`;
    const response = await put(2, csv);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual([
      { field: 'row 1, column insured-contracts', row: 1, column: 'insured-contracts', message: expect.stringContaining('derived from the contract registry') },
    ]);

    const json = await put(2, { rows: [{ teamId: teamsOf(2)[0]!, values: { ...Object.fromEntries(CODES.map((c) => [c, 1])), renewals: 3 } }] });
    expect(json.status).toBe(422);
    expect(((await json.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['body.rows.0.values.renewals']);
  });

  it('answers 415 to other media types, 400 to a malformed period, 422 to a period not yet begun, and 404 to a foreign clerk', async () => {
    const xml = await stack.request('PUT', `/institutions/${district.institutionIds[0]}/metrics/2026Q3`, {
      token: clerks[0],
      body: '<rows/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    const gbk = await stack.request('PUT', `/institutions/${district.institutionIds[0]}/metrics/2026Q3`, {
      token: clerks[0],
      body: 'teamId',
      headers: { 'content-type': 'text/csv; charset=gbk' },
    });
    expect(gbk.status).toBe(415);
    expect((await put(0, validCsv(0), { period: '2026Q5' })).status).toBe(400);
    expect((await put(0, validCsv(0), { period: '2027Q1' })).status).toBe(422);
    expect((await put(0, validCsv(0), { token: clerks[1] })).status).toBe(404);
    const evaluator = await stack.token('evaluator', { districtId: D });
    expect((await put(0, validCsv(0), { token: evaluator })).status).toBe(403);
  });
});

describe('versions', () => {
  it('makes a later upload version 2 while version 1 stays readable', async () => {
    expect((await put(3, validCsv(3, 10))).status).toBe(201);
    const second = await put(
      3,
      [
        `teamId,${CODES.join(',')}`,
        ...teamsOf(3)
          .slice(0, 2)
          .map((t) => csvLine(t, 20)),
      ].join('\n'),
    );
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ version: 2, rowCount: 2 });

    const base = `/institutions/${district.institutionIds[3]}/metrics/2026Q3`;
    const current = (await (await stack.request('GET', base, { token: admin })).json()) as { version: number; rows: { values: Record<string, number> }[] };
    expect(current.version).toBe(2);
    expect(current.rows).toHaveLength(2);
    expect(current.rows[0]!.values['htn-followup-due']).toBe(20);
    const old = (await (await stack.request('GET', `${base}?version=1`, { token: clerks[3] })).json()) as {
      version: number;
      currentVersion: number;
      rows: unknown[];
    };
    expect(old).toMatchObject({ version: 1, currentVersion: 2 });
    expect(old.rows).toHaveLength(3);
    expect((await stack.request('GET', `${base}?version=3`, { token: admin })).status).toBe(404);
    expect(await versionsOf(3)).toEqual([2, 1]);

    // The evaluation engine's view follows the pointer: version 2's two teams, not version 1's third.
    const metrics = await currentMetricsOfDistrict(stack.db, D, '2026Q3');
    for (const teamId of teamsOf(3).slice(0, 2))
      expect(metrics.get(teamId)).toMatchObject({ version: 2, institutionId: district.institutionIds[3], values: { 'htn-followup-due': 20 } });
    expect(metrics.has(teamsOf(3)[2]!)).toBe(false);
    expect(await institutionsWithUploads(stack.db, D, '2026Q3')).toEqual(
      new Set([district.institutionIds[0], district.institutionIds[1], district.institutionIds[3]]),
    );
  });

  it('numbers concurrent uploads 1, 2, 3… without losing any', async () => {
    const responses = await Promise.all([10, 11, 12, 13].map((base) => put(4, validCsv(4, base))));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(await versionsOf(4)).toEqual([4, 3, 2, 1]);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result to a retry without writing twice, and refuses the key with another body', async () => {
    const first = await put(5, validCsv(5), { key: 'upload-5-a' });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const retry = await put(5, validCsv(5), { key: 'upload-5-a' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(firstBody);
    expect(await versionsOf(5)).toEqual([1]);
    expect(await storedRowCount(5)).toBe(3);

    const reused = await put(5, validCsv(5, 30), { key: 'upload-5-a' });
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
    expect(await versionsOf(5)).toEqual([1]);

    // A failed request stores no result: once fixed, the same key works.
    const bad = await put(5, `teamId,${CODES.join(',')}\nnobody,1\n`, { key: 'upload-5-b' });
    expect(bad.status).toBe(422);
    expect((await put(5, `teamId,${CODES.join(',')}\nnobody,1\n`, { key: 'upload-5-b' })).status).toBe(422);
  });

  it('writes once when concurrent retries carry one key', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => put(6, validCsv(6), { key: 'upload-6' })));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await versionsOf(6)).toEqual([1]);
    expect(await storedRowCount(6)).toBe(3);
  });
});

describe('closed periods', () => {
  it('refuses uploads to a closed period until an administrator reopens it', async () => {
    const close = await stack.request('POST', `/districts/${D}/periods/2026Q3/close`, { token: admin });
    expect(close.status).toBe(200);
    expect(await close.json()).toMatchObject({ status: 'closed', history: [{ action: 'close', at: NOW.toISOString() }] });
    expect((await stack.request('POST', `/districts/${D}/periods/2026Q3/close`, { token: admin })).status).toBe(200);

    const refused = await put(7, validCsv(7));
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'period-closed' });
    expect(await versionsOf(7)).toEqual([]);
    expect(await storedRowCount(7)).toBe(0);
    // another period is not affected (2026Q4 is open), and one past its deadline refuses uploads too
    expect((await put(7, validCsv(7), { period: '2026Q4' })).status).toBe(201);
    const late = await put(7, validCsv(7), { period: '2026Q2' });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'period-closed', state: 'deadline-passed' });

    const finance = await stack.token('finance', { districtId: D });
    expect((await stack.request('POST', `/districts/${D}/periods/2026Q3/reopen`, { token: finance, body: { reason: 'late upload' } })).status).toBe(403);
    // a reopen needs a reason (issue 14)
    expect((await stack.request('POST', `/districts/${D}/periods/2026Q3/reopen`, { token: admin, body: {} })).status).toBe(400);
    const status = await stack.request('GET', `/districts/${D}/periods/2026Q3/status`, { token: clerks[7] });
    expect(await status.json()).toMatchObject({ status: 'closed' });

    const reopen = await stack.request('POST', `/districts/${D}/periods/2026Q3/reopen`, {
      token: admin,
      body: { reason: 'Institution 8 sent corrected figures' },
    });
    expect(reopen.status).toBe(200);
    expect(await reopen.json()).toMatchObject({
      status: 'open',
      state: 'open',
      history: [
        { action: 'close', from: 'open', to: 'deadline-passed' },
        { action: 'reopen', from: 'deadline-passed', to: 'open', reason: 'Institution 8 sent corrected figures' },
      ],
    });
    expect((await put(7, validCsv(7))).status).toBe(201);
    expect(await versionsOf(7)).toEqual([1]);
  });
});
