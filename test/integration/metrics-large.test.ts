/** A large institution's upload: 20,000 rows of CSV written in batches, all stored, in seconds. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { batchPut } from '#shared/data/batch.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS } from '#shared/data/districts.ts';
import { institutionItem } from '#shared/data/institutions.ts';
import { allMetricsRows, currentMetricsOfDistrict, getCurrentMetricsVersion } from '#shared/data/metrics.ts';
import { teamItem } from '#shared/data/teams.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/** uploads go to the running quarter: 2026Q3 is past its data deadline by now (issue 14) */
const NOW = new Date('2026-11-22T08:00:00Z');
const D = 'big-d';
const INSTITUTION = 'big-inst';
const ROWS = 20_000;
const CODES = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);
const teamId = (n: number) => `big-team-${String(n).padStart(5, '0')}`;
let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  await createDistrict(stack.db, { districtId: D, name: '大区', province: '测试省', settings: DEFAULT_DISTRICT_SETTINGS, createdAt: NOW.toISOString() });
  const createdAt = NOW.toISOString();
  // a team is in one index (gsi2, which the institution's team ids are read from)
  const teams = Array.from({ length: ROWS }, (_, n) =>
    teamItem({
      teamId: teamId(n),
      institutionId: INSTITUTION,
      districtId: D,
      name: `团队 ${n}`,
      members: [], // not needed here, and nested attributes are what DynamoDB Local is slow to write
      capacity: 2000,
      activeContracts: 0,
      createdAt,
    }),
  );
  await batchPut(
    stack.db,
    [
      institutionItem({
        institutionId: INSTITUTION,
        districtId: D,
        name: '大型中心',
        ownership: 'government',
        level: 'community-health-centre',
        servicePackages: [],
        createdAt,
      }),
      ...teams,
    ],
    16,
  );
}, 120_000);

describe('a large upload', () => {
  it(`stores ${ROWS.toLocaleString('en')} rows of CSV in batches`, async () => {
    const lines = [`teamId,${CODES.join(',')}`];
    for (let n = 0; n < ROWS; n++) lines.push([teamId(n), ...CODES.map((c) => String(c.endsWith('-done') ? n % 50 : (n % 50) + 3))].join(','));
    const csv = `${lines.join('\r\n')}\r\n`;
    const clerk = await stack.token('clerk', { districtId: D, institutionId: INSTITUTION });

    // how long this takes is measured by `npm run bench`, not asserted here
    const response = await stack.request('PUT', `/institutions/${INSTITUTION}/metrics/2026Q4`, {
      token: clerk,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ version: 1, rowCount: ROWS });

    const pointer = await getCurrentMetricsVersion(stack.db, D, INSTITUTION, '2026Q4');
    let stored = 0;
    for await (const row of allMetricsRows(stack.db, pointer!.uploadId)) {
      expect(row.values['htn-followup-done']).toBe(Number(row.teamId.slice(-5)) % 50);
      stored++;
    }
    expect(stored).toBe(ROWS);
    const current = await currentMetricsOfDistrict(stack.db, D, '2026Q4');
    expect(current.size).toBe(ROWS);
    expect(current.get(teamId(12_345))).toEqual({
      institutionId: INSTITUTION,
      version: 1,
      values: expect.objectContaining({ 'htn-followup-due': 48, 'htn-followup-done': 45 }),
    });

    const page = await stack.request('GET', `/institutions/${INSTITUTION}/metrics/2026Q4?limit=1000`, { token: clerk });
    const body = (await page.json()) as { rows: unknown[]; nextCursor: string | null; rowCount: number };
    expect(body.rows).toHaveLength(1000);
    expect(body.rowCount).toBe(ROWS);
    expect(body.nextCursor).not.toBeNull();
  }, 60_000);
});
