/**
 * A settlement at district scale on DynamoDB Local: the demo district (512 teams, 51
 * institutions, thousands of contracts), every team scored, settled with the demo seed; the
 * lines add up, stream page by page in institution order, and the settlement page renders.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import type { Settlement } from '#shared/data/settlements.ts';
import type { MemberLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { seedDemoDistrict } from '../../local/seed/demo-district.ts';
import { DEMO_POOL_PER_TEAM_FEN, seedDemoSettlement } from '../../local/seed/demo-settlement.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';

let stack: TestStack;
let settlement: Settlement;
let createMs: number;
let teamCount: number;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  const demo = await seedDemoDistrict(stack.db, stack.keyer, { today: '2026-11-22' });
  teamCount = demo.teams.length;
  await createRun(stack.db, {
    evaluationId: 'eval-demo',
    districtId: demo.district.districtId,
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: teamCount, total: teamCount },
    startedBy: 'evaluator',
    createdAt: '2026-10-05T00:00:00.000Z',
    fingerprint: 'd'.repeat(64),
  });
  await finalizePeriod(stack.db, demo.district.districtId, '2026Q3', 'eval-demo');
  await putScores(
    stack.db,
    demo.teams.map((team, i) => {
      const eligibility = i % 37 === 0 ? 'void' : i % 23 === 0 ? 'capped' : 'eligible';
      return {
        evaluationId: 'eval-demo',
        teamId: team.teamId,
        institutionId: team.institutionId,
        score: {
          teamId: team.teamId,
          status: 'scored',
          total: (50 + ((i * 37) % 5000) / 100).toFixed(2),
          indicators: [],
          domains: [],
          gates: [],
          eligibility,
          capPercent: eligibility === 'void' ? 0 : eligibility === 'capped' ? 60 : 100,
        } as TeamScore,
        rank: null,
        percentile: null,
      };
    }),
  );
  const started = Date.now();
  settlement = await seedDemoSettlement(stack.deps, { districtId: demo.district.districtId, evaluationId: 'eval-demo', createdBy: 'finance-seed' });
  createMs = Date.now() - started;
}, 120_000);

describe('a district-scale settlement', () => {
  it('is created as a draft in seconds, with the pool at 3,000 yuan per team', async () => {
    expect(settlement.status).toBe('draft');
    expect(settlement.totals.poolFen).toBe(teamCount * DEMO_POOL_PER_TEAM_FEN);
    expect(settlement.lineCounts.team).toBe(teamCount);
    expect(settlement.lineCounts.institution).toBe(51);
    expect(createMs).toBeLessThan(30_000);
    // seeding again returns the same draft
    expect((await seedDemoSettlement(stack.deps, { districtId: settlement.districtId, evaluationId: 'eval-demo', createdBy: 'x' })).settlementId).toBe(
      settlement.settlementId,
    );
  });

  it('streams lines page by page, in institution then team order, adding up exactly', async () => {
    const token = await stack.token('finance', { districtId: settlement.districtId, sub: 'finance-reader' });
    const read = async <T>(kind: string): Promise<T[]> => {
      const all: T[] = [];
      let cursor: string | null = null;
      do {
        const response = await stack.request(
          'GET',
          `/settlements/${settlement.settlementId}/lines?kind=${kind}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
          { token },
        );
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: T[]; nextCursor: string | null };
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    };
    const teamLines = await read<TeamLine>('team');
    const memberLines = await read<MemberLine>('member');
    expect(teamLines).toHaveLength(teamCount);
    const keys = teamLines.map((l) => `${l.institutionId}#${l.teamId}`);
    expect(keys).toEqual([...keys].sort());
    const paid = teamLines.reduce((s, l) => s + l.amount, 0);
    expect(paid).toBe(settlement.totals.paidFen);
    expect(paid + settlement.totals.unallocatedFen).toBe(settlement.totals.poolFen);
    expect(memberLines.reduce((s, l) => s + l.amount, 0) + settlement.totals.memberUnallocatedFen).toBe(paid);
    expect(teamLines.reduce((s, l) => s + l.subsidyFen, 0)).toBe(settlement.totals.subsidyFen);
    expect(Math.max(...teamLines.map((l) => l.amount))).toBeLessThanOrEqual(1_000_000);
  });

  it('renders its page', async () => {
    const token = await stack.token('finance', { districtId: settlement.districtId, sub: 'finance-reader' });
    const started = Date.now();
    const response = await stack.request('GET', `/finance/settlements/${settlement.settlementId}`, { token });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<svg');
    expect(html).toContain('签约补助结算单');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
