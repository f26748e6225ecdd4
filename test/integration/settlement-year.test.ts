/**
 * The year view and the comparison on DynamoDB Local: three quarters settled and approved by a
 * second officer, the third corrected (only the correction counts), summed per institution and
 * team to the fen; a settlement compared with the previous quarter's and a correction with what
 * it corrects; scope (403 for another district's officer, 404 for its settlement).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstitutionLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { createFinanceDistrict, type FinanceDistrict, json, linesOf, type SettlementView, settle } from '../support/finance-fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'year-d';
const SOURCES = [
  { code: 'insurance-fund', name: '医保基金', incentiveShare: '0', subsidyShare: '1' },
  { code: 'public-health', name: '基本公共卫生经费', incentiveShare: '1', subsidyShare: '0' },
];
let stack: TestStack;
let district: FinanceDistrict;
const settled: Record<string, SettlementView> = {};
let original: SettlementView;

interface Amounts {
  incentiveFen: number;
  subsidyFen: number;
  totalFen: number;
}
interface YearView {
  settlements: { settlementId: string; period: string }[];
  totals: Amounts;
  institutions: (Amounts & { institutionId: string; byPeriod: Record<string, Amounts> })[];
  teams: (Amounts & { teamId: string })[];
  funding: (Amounts & { source: string })[];
}

const method = { kind: 'score-weighted', sizeMeasure: 'active-contracts' };

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createFinanceDistrict(stack, D, {
    contracts: [3, 1, 2, 2],
    periods: ['2026Q1', '2026Q2', '2026Q3'],
    scores: ['90.00', '70.00', '85.50', '60.00'],
  });
  settled['2026Q1'] = await settle(stack, D, { evaluationId: district.runs['2026Q1'], poolFen: 100_000, method });
  settled['2026Q2'] = await settle(stack, D, { evaluationId: district.runs['2026Q2'], poolFen: 200_001, method, fundingSources: SOURCES });
  original = await settle(stack, D, { evaluationId: district.runs['2026Q3'], poolFen: 300_000, method });
  settled['2026Q3'] = await settle(
    stack,
    D,
    { evaluationId: district.runs['2026Q3'], poolFen: 350_003, method, correctionOf: original.settlementId },
    'finance-c',
    'finance-a',
  );
  // a draft of another quarter never counts
  await settle(stack, D, { evaluationId: district.runs['2026Q1'], poolFen: 999_999, method }, 'finance-a', null);
}, 180_000);

describe('the year', () => {
  it('sums the in-force approved settlements per institution and team to the fen; a corrected settlement no longer counts', async () => {
    const token = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const year = await json<YearView>(await stack.request('GET', `/districts/${D}/settlements/year/2026`, { token }), 200);
    expect(year.settlements.map((s) => [s.period, s.settlementId])).toEqual(['2026Q1', '2026Q2', '2026Q3'].map((p) => [p, settled[p]!.settlementId]));
    // score-weighted pays the whole pool: 100,000 + 200,001 + 350,003 (not the corrected 300,000)
    expect(year.totals.incentiveFen).toBe(650_004);
    const subsidy = ['2026Q1', '2026Q2', '2026Q3'].reduce((s, p) => s + settled[p]!.totals.subsidyFen, 0);
    expect(subsidy).toBeGreaterThan(0);
    expect(year.totals.subsidyFen).toBe(subsidy);
    expect(year.totals.totalFen).toBe(650_004 + subsidy);

    // per institution and period: exactly the stored institution lines
    const expected = new Map<string, Amounts & { byPeriod: Record<string, Amounts> }>();
    for (const period of ['2026Q1', '2026Q2', '2026Q3']) {
      for (const line of await linesOf<InstitutionLine>(stack, settled[period]!.settlementId, 'institution', token)) {
        const entry = expected.get(line.institutionId) ?? { incentiveFen: 0, subsidyFen: 0, totalFen: 0, byPeriod: {} };
        entry.incentiveFen += line.incentiveFen;
        entry.subsidyFen += line.subsidyFen;
        entry.totalFen += line.incentiveFen + line.subsidyFen;
        entry.byPeriod[period] = { incentiveFen: line.incentiveFen, subsidyFen: line.subsidyFen, totalFen: line.incentiveFen + line.subsidyFen };
        expected.set(line.institutionId, entry);
      }
    }
    expect(
      Object.fromEntries(
        year.institutions.map(({ institutionId, incentiveFen, subsidyFen, totalFen, byPeriod }) => [
          institutionId,
          { incentiveFen, subsidyFen, totalFen, byPeriod },
        ]),
      ),
    ).toEqual(Object.fromEntries(expected));
    // per team: the team lines, and they add up to the same totals
    const teamExpected = new Map<string, number>();
    for (const period of ['2026Q1', '2026Q2', '2026Q3']) {
      for (const line of await linesOf<TeamLine>(stack, settled[period]!.settlementId, 'team', token))
        teamExpected.set(line.teamId, (teamExpected.get(line.teamId) ?? 0) + line.amount + line.subsidyFen);
    }
    expect(Object.fromEntries(year.teams.map((t) => [t.teamId, t.totalFen]))).toEqual(Object.fromEntries(teamExpected));
    expect(year.teams.reduce((s, t) => s + t.totalFen, 0)).toBe(year.totals.totalFen);
    // funding: only Q2 names sources; its incentives come from public health, its subsidy from the insurance fund
    expect(year.funding.map((f) => [f.source, f.incentiveFen, f.subsidyFen])).toEqual([
      ['insurance-fund', 0, settled['2026Q2']!.totals.subsidyFen],
      ['public-health', 200_001, 0],
    ]);
  });

  it('is empty for a year without approved settlements, refuses another district (403) and a malformed year (400)', async () => {
    const token = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const empty = await json<YearView>(await stack.request('GET', `/districts/${D}/settlements/year/2025`, { token }), 200);
    expect(empty.totals).toEqual({ incentiveFen: 0, subsidyFen: 0, totalFen: 0 });
    expect(
      (await stack.request('GET', `/districts/${D}/settlements/year/2026`, { token: await stack.token('finance', { districtId: 'elsewhere', sub: 'x' }) }))
        .status,
    ).toBe(403);
    expect((await stack.request('GET', `/districts/${D}/settlements/year/26`, { token })).status).toBe(400);
  });
});

describe('the comparison', () => {
  interface Comparison {
    previous: { settlementId: string; relation: string } | null;
    institutions: { institutionId: string; before: Amounts; after: Amounts; difference: Amounts }[];
    totals: { before: Amounts; after: Amounts; difference: Amounts };
  }

  it('compares a quarter with the previous quarter in force, per institution: before, after, difference', async () => {
    const token = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const comparison = await json<Comparison>(await stack.request('GET', `/settlements/${settled['2026Q2']!.settlementId}/comparison`, { token }), 200);
    expect(comparison.previous).toMatchObject({ settlementId: settled['2026Q1']!.settlementId, relation: 'previous-period' });
    const before = await linesOf<InstitutionLine>(stack, settled['2026Q1']!.settlementId, 'institution', token);
    const after = await linesOf<InstitutionLine>(stack, settled['2026Q2']!.settlementId, 'institution', token);
    for (const line of comparison.institutions) {
      const b = before.find((l) => l.institutionId === line.institutionId)!;
      const a = after.find((l) => l.institutionId === line.institutionId)!;
      expect(line.before.incentiveFen).toBe(b.incentiveFen);
      expect(line.after.incentiveFen).toBe(a.incentiveFen);
      expect(line.difference.totalFen).toBe(a.incentiveFen + a.subsidyFen - b.incentiveFen - b.subsidyFen);
    }
    expect(comparison.totals.difference.incentiveFen).toBe(200_001 - 100_000);
  });

  it('compares a correction with the settlement it corrects; the first quarter has nothing before it', async () => {
    const token = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const correction = await json<Comparison>(await stack.request('GET', `/settlements/${settled['2026Q3']!.settlementId}/comparison`, { token }), 200);
    expect(correction.previous).toMatchObject({ settlementId: original.settlementId, relation: 'corrected' });
    expect(correction.totals.difference.incentiveFen).toBe(50_003);
    expect(correction.totals.difference.subsidyFen).toBe(0);
    const first = await json<Comparison>(await stack.request('GET', `/settlements/${settled['2026Q1']!.settlementId}/comparison`, { token }), 200);
    expect(first.previous).toBeNull();
    expect(first.totals.before.totalFen).toBe(0);
    expect(first.totals.difference.totalFen).toBe(first.totals.after.totalFen);
    expect(
      (
        await stack.request('GET', `/settlements/${settled['2026Q1']!.settlementId}/comparison`, {
          token: await stack.token('finance', { districtId: 'elsewhere', sub: 'x' }),
        })
      ).status,
    ).toBe(404);
  });
});
