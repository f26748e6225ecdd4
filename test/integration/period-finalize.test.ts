/**
 * The daily job finalises due periods (issue 14): against DynamoDB Local, a published period
 * stays published while its window is open or an appeal is undecided, and becomes final once
 * both are over; several firings at once write the transition once, and a firing the next day
 * changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { finalizeDuePeriods } from '#shared/services/periods.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { type PublishedPeriod, publishedPeriod } from '../support/published-period.ts';

const D = 'finalize-d';
const PERIOD = '2026Q3';
let now = new Date('2026-10-05T08:00:00+08:00');
let stack: TestStack;
let p: PublishedPeriod;
const setNow = (iso: string) => {
  now = new Date(iso);
};
const ours = (outcomes: Awaited<ReturnType<typeof finalizeDuePeriods>>) => outcomes.filter((o) => o.districtId === D);

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  p = await publishedPeriod(stack, setNow, { districtId: D, period: PERIOD, before: '2026-10-05T08:00:00+08:00', after: '2026-10-12T09:00:00+08:00' });
});

describe('the daily finalisation', () => {
  let appealId: string;

  it('leaves a period published while its review window is open', async () => {
    const team = p.district.teams[0]!;
    const filed = await stack.request('POST', `/districts/${D}/periods/${PERIOD}/appeals`, {
      token: p.clerks[0],
      body: { teamId: team.teamId, indicator: 'home-visits', metric: 'home-visits-80plus', claimedValue: 9, reason: '漏记' },
    });
    expect(filed.status).toBe(201);
    appealId = ((await filed.json()) as { appealId: string }).appealId;
    setNow('2026-10-18T09:00:00+08:00');
    expect(ours(await finalizeDuePeriods(stack.deps))).toEqual([]);
    expect((await getPeriodStatus(stack.db, D, PERIOD)).state).toBe('published');
  });

  it('leaves it published after the window while an appeal is undecided', async () => {
    setNow('2026-10-20T02:00:00+08:00');
    expect(ours(await finalizeDuePeriods(stack.deps))).toEqual([{ districtId: D, period: PERIOD, result: 'appeals-open', openAppeals: 1 }]);
    const record = await getPeriodStatus(stack.db, D, PERIOD);
    expect(record.state).toBe('published');
    expect(record.history.some((h) => h.action === 'finalize')).toBe(false);
  });

  it('writes final once when several firings run at once after the last appeal is decided, and nothing on later days', async () => {
    const rejected = await stack.request('POST', `/appeals/${appealId}/decision`, {
      token: p.evaluator,
      body: { decision: 'reject', reason: '与原始记录一致' },
    });
    expect(rejected.status).toBe(200);
    setNow('2026-10-21T02:00:00+08:00');
    const firings = await Promise.all([0, 1, 2, 3].map(() => finalizeDuePeriods(stack.deps)));
    // each firing finds it due (and reports it final, written by itself or another) or already final (nothing to report)
    for (const outcomes of firings) expect([[], [{ districtId: D, period: PERIOD, result: 'final', openAppeals: 0 }]]).toContainEqual(ours(outcomes));
    expect(firings.some((outcomes) => ours(outcomes).length === 1)).toBe(true);
    const record = await getPeriodStatus(stack.db, D, PERIOD);
    expect(record.state).toBe('final');
    expect(record.history.filter((h) => h.action === 'finalize')).toEqual([
      expect.objectContaining({ from: 'published', to: 'final', by: 'review-window', at: '2026-10-20T18:00:00.000Z' }),
    ]);
    setNow('2026-10-22T02:00:00+08:00');
    expect(ours(await finalizeDuePeriods(stack.deps))).toEqual([]);
    expect((await getPeriodStatus(stack.db, D, PERIOD)).history).toHaveLength(record.history.length);
    // final: finance may settle now
    const finance = await stack.token('finance', { districtId: D });
    const settlement = await stack.request('POST', `/districts/${D}/settlements`, {
      token: finance,
      body: { evaluationId: record.officialRunId, poolFen: 100_000, method: { kind: 'value-per-point', fenPerPoint: 100 } },
    });
    expect([201, 202]).toContain(settlement.status);
  });
});
