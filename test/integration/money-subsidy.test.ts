/**
 * Money rules on the subsidy (issue 13, rules 6 and 7) against DynamoDB Local, through the API,
 * reading the table back: rates over time paid day by day, and every subsidy contract-day paid
 * at most once (an annual settlement over an approved quarter; two overlapping settlements
 * approved at the same moment; a correction; a historical contract entered after an approval,
 * whose days inside the paid quarter are paid later, and only once).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysInclusive } from '#shared/domain/dates.ts';
import type { InstitutionLine } from '#shared/domain/settlements/compute.ts';
import { batchPut } from '#shared/data/batch.ts';
import { type Contract, contractImportItems } from '#shared/data/contracts.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { settlementKeys } from '#shared/data/keys.ts';
import type { PaidRange } from '#shared/domain/money/subsidy-days.ts';
import { createTestDistrict, type TestDistrict, testIdentityNumber } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const NOW = new Date('2027-01-10T08:00:00Z');
let now = NOW;
const CONTRACTS = 4;
let stack: TestStack;
let admin: string;
const officer = (name: string, districtId: string) => stack.token('finance', { districtId, sub: name });

/** A district with CONTRACTS insured residents contracted for all of 2026, and completed runs of its periods. */
async function districtWithRuns(districtId: string, periods: string[]): Promise<TestDistrict> {
  const district = await createTestDistrict(stack.db, districtId, { institutions: 1, teamsPerInstitution: 1 });
  const team = district.teams[0]!;
  const contracts: Contract[] = Array.from({ length: CONTRACTS }, (_, i) => ({
    contractId: `${districtId}-c-${i}`,
    teamId: team.teamId,
    institutionId: team.institutionId,
    districtId,
    residentRef: `${districtId}-ref-${i}`,
    identityMasked: '990108********001X',
    insured: true,
    keyPopulations: [],
    servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    status: 'active',
    renewals: 0,
    signedAt: '2026-01-01T00:00:00.000Z',
  }));
  await batchPut(stack.db, contracts.flatMap(contractImportItems));
  for (const period of periods) {
    const evaluationId = `${districtId}-eval-${period.toLowerCase()}`;
    await createRun(stack.db, {
      evaluationId,
      districtId,
      period,
      baselinePeriod: null,
      criteriaVersion: 1,
      status: 'completed',
      phase: 'done',
      progress: { done: 1, total: 1 },
      startedBy: 'evaluator-1',
      createdAt: NOW.toISOString(),
      completedAt: NOW.toISOString(),
      fingerprint: evaluationId.padEnd(64, '0'),
    });
    // settling needs the official run of a final period (issue 14)
    await finalizePeriod(stack.db, districtId, period, evaluationId);
    await putScores(stack.db, [
      {
        evaluationId,
        teamId: team.teamId,
        institutionId: team.institutionId,
        score: {
          teamId: team.teamId,
          status: 'scored',
          total: '80.00',
          indicators: [],
          domains: [],
          gates: [],
          eligibility: 'eligible',
          capPercent: 100,
        } as never,
        rank: 1,
        percentile: null,
      },
    ]);
  }
  return district;
}

interface View {
  settlementId: string;
  status: string;
  totals: { subsidyFen: number; contractDays: number };
}

async function create(districtId: string, period: string, token: string, extra: Record<string, unknown> = {}): Promise<View> {
  const response = await settlementCall(stack, 'POST', `/districts/${districtId}/settlements`, {
    token,
    body: {
      evaluationId: `${districtId}-eval-${period.toLowerCase()}`,
      poolFen: 100_000,
      method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
      ...extra,
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as View;
}

const approve = (settlementId: string, token: string) =>
  stack.request('POST', `/settlements/${settlementId}/approve`, { token, body: { comment: '补助天数已核对' } });

async function institutionLine(settlementId: string, token: string): Promise<InstitutionLine> {
  const response = await stack.request('GET', `/settlements/${settlementId}/lines?kind=institution`, { token });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: InstitutionLine[] }).items[0]!;
}

async function paidRanges(districtId: string): Promise<PaidRange[]> {
  const result = await stack.db.doc.send(new GetCommand({ TableName: stack.db.tableName, Key: settlementKeys.subsidyPaid(districtId), ConsistentRead: true }));
  return (result.Item?.ranges as PaidRange[] | undefined) ?? [];
}

/** round half up of n / d, for non-negative integers */
const roundHalfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

/** No two pieces share a day and a knowing instant: their date ranges or their windows (from, until] are disjoint. */
function noDayTwice(ranges: PaidRange[]): boolean {
  const windowsMeet = (a: PaidRange, b: PaidRange) => (a.from ?? '') < (b.until ?? '~') && (b.from ?? '') < (a.until ?? '~');
  return ranges.every((a, i) => ranges.every((b, j) => j <= i || a.end < b.start || b.end < a.start || !windowsMeet(a, b)));
}

/** How many pieces pay the day of a contract known since `since`, read independently of the code under test. */
function payers(ranges: PaidRange[], day: string, since: string): number {
  return ranges.filter((r) => r.start <= day && day <= r.end && (r.from === undefined || since > r.from) && (r.until === undefined || since <= r.until)).length;
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  admin = await stack.token('admin');
});

describe('rule 6: the subsidy rate over time, paid day by day', () => {
  it('is set only by an administrator, and a quarter pays each day at the rate in force', async () => {
    await districtWithRuns('sr-d', ['2026Q3']);
    const finance = await officer('sr-a', 'sr-d');
    expect((await stack.request('POST', '/districts/sr-d/subsidy-rates', { token: finance, body: { from: '2026-08-01', perYearFen: 24_000 } })).status).toBe(
      403,
    );
    const set = await stack.request('POST', '/districts/sr-d/subsidy-rates', { token: admin, body: { from: '2026-08-01', perYearFen: 24_000 } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { settings: { subsidyRates: unknown } }).settings.subsidyRates).toEqual([
      { from: '1900-01-01', perYearFen: 12_000 },
      { from: '2026-08-01', perYearFen: 24_000 },
    ]);

    const s = await create('sr-d', '2026Q3', finance);
    // July at 120 yuan a year, August and September at 240 yuan, over 365 days
    const july = daysInclusive('2026-07-01', '2026-07-31');
    const augSep = daysInclusive('2026-08-01', '2026-09-30');
    const expected = roundHalfUp(CONTRACTS * (12_000 * july + 24_000 * augSep), 365);
    expect(s.totals.subsidyFen).toBe(expected);
    expect(s.totals.subsidyFen).not.toBe(roundHalfUp(CONTRACTS * 12_000 * 92, 365));
    expect((await institutionLine(s.settlementId, finance)).subsidyFen).toBe(expected);
  });
});

describe('rule 7: every subsidy day at most once', () => {
  it('an annual settlement after an approved quarter pays only the other days, and says so per institution', async () => {
    await districtWithRuns('sd-d', ['2026Q3', '2026']);
    const [a, b] = await Promise.all([officer('sd-a', 'sd-d'), officer('sd-b', 'sd-d')]);
    const quarter = await create('sd-d', '2026Q3', a);
    expect(quarter.totals.contractDays).toBe(CONTRACTS * 92);
    expect((await approve(quarter.settlementId, b)).status).toBe(200);
    const asOf = NOW.toISOString();
    expect(await paidRanges('sd-d')).toEqual([{ start: '2026-07-01', end: '2026-09-30', settlementId: quarter.settlementId, period: '2026Q3', until: asOf }]);

    const annual = await create('sd-d', '2026', a);
    expect(annual.totals.contractDays).toBe(CONTRACTS * (365 - 92));
    expect(annual.totals.subsidyFen).toBe(roundHalfUp(CONTRACTS * 12_000 * (365 - 92), 365));
    const line = await institutionLine(annual.settlementId, a);
    expect(line.alreadyPaid).toEqual([{ settlementId: quarter.settlementId, period: '2026Q3', contractDays: CONTRACTS * 92 }]);
    expect((await approve(annual.settlementId, b)).status).toBe(200);

    const ranges = await paidRanges('sd-d');
    expect(ranges).toEqual([
      { start: '2026-07-01', end: '2026-09-30', settlementId: quarter.settlementId, period: '2026Q3', until: asOf },
      { start: '2026-01-01', end: '2026-06-30', settlementId: annual.settlementId, period: '2026', until: asOf },
      { start: '2026-10-01', end: '2026-12-31', settlementId: annual.settlementId, period: '2026', until: asOf },
    ]);
    expect(noDayTwice(ranges)).toBe(true);
    // together the two pay the year exactly once
    const page = await stack.request('GET', `/finance/settlements/${annual.settlementId}?lang=zh`, { token: a });
    expect(await page.text()).toContain('已在 2026年第三季度 的结算中支付');
  });

  it('two overlapping settlements approved at the same moment: one wins, the other must recompute and then pays only the rest', async () => {
    await districtWithRuns('sc-d', ['2026Q4', '2026']);
    const [a, b, c] = await Promise.all([officer('sc-a', 'sc-d'), officer('sc-b', 'sc-d'), officer('sc-c', 'sc-d')]);
    const quarter = await create('sc-d', '2026Q4', a);
    const annual = await create('sc-d', '2026', a);
    const [q, y] = await Promise.all([approve(quarter.settlementId, b), approve(annual.settlementId, c)]);
    expect([q.status, y.status].sort()).toEqual([200, 409]);
    const loser = q.status === 409 ? quarter : annual;
    const loserResponse = q.status === 409 ? q : y;
    expect(((await loserResponse.json()) as { code: string }).code).toBe('subsidy-days-changed');
    expect(noDayTwice(await paidRanges('sc-d'))).toBe(true);

    // the loser recomputes (by an officer who then no longer approves it) and pays only the days left
    expect((await settlementCall(stack, 'POST', `/settlements/${loser.settlementId}/recompute`, { token: a, body: {} })).status).toBe(200);
    expect((await approve(loser.settlementId, b)).status).toBe(200);
    const ranges = await paidRanges('sc-d');
    expect(noDayTwice(ranges)).toBe(true);
    const days = ranges.reduce((n, r) => n + daysInclusive(r.start, r.end), 0);
    expect(days).toBe(365);
    // every contract-day of the year paid by exactly one of the two
    const [qStored, yStored] = await Promise.all([quarter, annual].map((s) => stack.request('GET', `/settlements/${s.settlementId}`, { token: a })));
    const totals = await Promise.all([qStored!, yStored!].map(async (r) => ((await r.json()) as View).totals.contractDays));
    expect(totals[0]! + totals[1]!).toBe(CONTRACTS * 365);
  });

  it('a correction replaces the days of the settlement it corrects instead of adding to them', async () => {
    await districtWithRuns('sx-d', ['2026Q2']);
    const [a, b] = await Promise.all([officer('sx-a', 'sx-d'), officer('sx-b', 'sx-d')]);
    const first = await create('sx-d', '2026Q2', a);
    expect((await approve(first.settlementId, b)).status).toBe(200);
    const correction = await create('sx-d', '2026Q2', a, { correctionOf: first.settlementId, poolFen: 200_000 });
    // its own days are not "already paid" for the correction: it restates them
    expect(correction.totals.contractDays).toBe(first.totals.contractDays);
    expect((await approve(correction.settlementId, b)).status).toBe(200);
    expect(await paidRanges('sx-d')).toEqual([
      { start: '2026-04-01', end: '2026-06-30', settlementId: correction.settlementId, period: '2026Q2', until: NOW.toISOString() },
    ]);
  });

  it('pays later the quarter days of a historical contract entered after the quarter was approved, and never pays a contract-day twice', async () => {
    const district = await districtWithRuns('sl-d', ['2026Q3', '2026']);
    const [a, b] = await Promise.all([officer('sl-a', 'sl-d'), officer('sl-b', 'sl-d')]);
    const at = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);
    now = at(0);
    const quarter = await create('sl-d', '2026Q3', a);
    expect((await approve(quarter.settlementId, b)).status).toBe(200);

    // an hour later an administrator enters a paper contract of 1 March 2026 (a correction): its July–September were never paid
    now = at(1);
    const late = await stack.request('POST', '/contracts', {
      token: admin,
      body: {
        teamId: district.teams[0]!.teamId,
        identityNumber: testIdentityNumber('1958-08-08', 8001),
        insured: true,
        startDate: '2026-03-01',
        correction: { reason: '纸质合同补录' },
      },
    });
    expect(late.status, await late.clone().text()).toBe(201);
    const lateSince = now.toISOString();

    // the annual settlement pays the other days of the year for everyone, and all 306 days of 2026 of the late contract
    now = at(2);
    const annual = await create('sl-d', '2026', a);
    const lateDays = daysInclusive('2026-03-01', '2026-12-31');
    expect(annual.totals.contractDays).toBe(CONTRACTS * (365 - 92) + lateDays);
    expect((await institutionLine(annual.settlementId, a)).alreadyPaid).toEqual([
      { settlementId: quarter.settlementId, period: '2026Q3', contractDays: CONTRACTS * 92 },
    ]);
    expect((await approve(annual.settlementId, b)).status).toBe(200);

    // a correction of the quarter restates the days the quarter paid, not the late contract's, which the annual one paid
    now = at(3);
    const correction = await create('sl-d', '2026Q3', a, { correctionOf: quarter.settlementId });
    expect(correction.totals.contractDays).toBe(CONTRACTS * 92);
    expect((await institutionLine(correction.settlementId, a)).alreadyPaid).toEqual([{ settlementId: annual.settlementId, period: '2026', contractDays: 92 }]);
    expect((await approve(correction.settlementId, b)).status).toBe(200);

    // read back: every contract-day of 2026 is paid by exactly one piece in force
    const ranges = await paidRanges('sl-d');
    expect(noDayTwice(ranges)).toBe(true);
    expect(ranges.some((r) => r.settlementId === quarter.settlementId)).toBe(false);
    for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
      expect(payers(ranges, day, '2026-01-01T00:00:00.000Z'), `a contract signed in January, on ${day}`).toBe(1);
      if (day >= '2026-03-01') expect(payers(ranges, day, lateSince), `the late contract, on ${day}`).toBe(1);
    }
    // a correction of the annual settlement restates exactly the contract-days it paid
    now = at(4);
    const again = await create('sl-d', '2026', a, { correctionOf: annual.settlementId });
    expect(again.totals.contractDays).toBe(CONTRACTS * (365 - 92) + lateDays);
    now = NOW;
  });
});
