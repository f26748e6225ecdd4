/**
 * Capitation through the API on DynamoDB Local: the registry keeps an institution's catchment
 * population, and a settlement with method kind `capitation` pays the openIMIS example's figures
 * to the fen from registry facts (catchment population and insured contracts signed through the API).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '#shared/data/evaluations.ts';
import { createTeam } from '#shared/data/teams.ts';
import type { InstitutionLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { createTestDistrict, testIdentityNumbers } from '../support/fixtures.ts';
import { json, linesOf, type SettlementView, settle } from '../support/finance-fixtures.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const D = 'cap-d';
let stack: TestStack;
let institutionIds: string[];

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  await createTestDistrict(stack.db, D, { institutions: 0 });
  const admin = await stack.token('admin');
  institutionIds = [];
  // facility A: 3,000 of 10,000 people, 4 of 10 insured contracts (plus one uninsured); facility B: 7,000 people, 6 insured
  for (const [name, catchmentPopulation] of [
    ['甲社区卫生服务中心', 3000],
    ['乙社区卫生服务中心', 7000],
  ] as const) {
    const created = await json<{ institutionId: string; catchmentPopulation: number }>(
      await stack.request('POST', `/districts/${D}/institutions`, {
        token: admin,
        body: {
          name,
          ownership: 'government',
          level: 'community-health-centre',
          catchmentPopulation,
          servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
        },
      }),
      201,
    );
    expect(created.catchmentPopulation).toBe(catchmentPopulation);
    institutionIds.push(created.institutionId);
  }
  const teams = [];
  for (const [i, institutionId] of institutionIds.entries()) {
    teams.push(
      await createTeam(stack.db, {
        teamId: `${D}-team-${i + 1}`,
        institutionId,
        districtId: D,
        name: `团队 ${i + 1}`,
        members: [{ memberId: `${D}-gp-${i}`, name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' }],
        capacity: 2000,
        activeContracts: 0,
        createdAt: '2026-01-01T00:00:00.000Z',
      }),
    );
  }
  const ids = testIdentityNumbers(11, 7000);
  const plan: [number, boolean][] = [
    ...Array.from({ length: 4 }, () => [0, true] as [number, boolean]),
    [0, false],
    ...Array.from({ length: 6 }, () => [1, true] as [number, boolean]),
  ];
  for (const [k, [t, insured]] of plan.entries()) {
    await json(
      await stack.request('POST', '/contracts', {
        token: admin,
        body: { teamId: teams[t]!.teamId, identityNumber: ids[k], insured, startDate: '2026-01-01', correction: { reason: 'history entered for the test' } },
      }),
      201,
    );
  }
  await createRun(stack.db, {
    evaluationId: 'eval-cap',
    districtId: D,
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: 0, total: 0 },
    startedBy: 'evaluator',
    createdAt: '2026-10-05T00:00:00.000Z',
    fingerprint: 'c'.repeat(64),
  });
  // settling needs the official run of a final period (issue 14)
  await finalizePeriod(stack.db, D, '2026Q3', 'eval-cap');
}, 120_000);

describe('capitation settlements', () => {
  it('split 50 % of a 10,000-yuan pool 40/60 by catchment population and insured contracts: 1,800 and 3,200 yuan', async () => {
    const settlement: SettlementView = await settle(
      stack,
      D,
      {
        evaluationId: 'eval-cap',
        poolFen: 1_000_000,
        method: { kind: 'capitation', poolSharePercent: '50', weights: { catchmentPopulation: 40, insuredContracts: 60 } },
      },
      'finance-a',
      null,
    );
    expect(settlement.parameters.method).toEqual({
      kind: 'capitation',
      poolSharePercent: '50',
      weights: { catchmentPopulation: '40', insuredContracts: '60', keyPopulationContracts: '0' },
    });
    expect(settlement.totals).toMatchObject({ poolFen: 1_000_000, paidFen: 500_000 });
    const token = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const institutions = await linesOf<InstitutionLine>(stack, settlement.settlementId, 'institution', token);
    // institution ids are random: compare by id, not by order
    expect(Object.fromEntries(institutions.map((l) => [l.institutionId, l.incentiveFen]))).toEqual({
      [institutionIds[0]!]: 180_000,
      [institutionIds[1]!]: 320_000,
    });
    const teams = await linesOf<TeamLine>(stack, settlement.settlementId, 'team', token);
    expect(Object.fromEntries(teams.map((l) => [l.institutionId, l.amount]))).toEqual({ [institutionIds[0]!]: 180_000, [institutionIds[1]!]: 320_000 });
    expect(teams[0]!.text.en).toContain('capitation');
  });

  it('refuses weights that are all zero (400) and a share above 100 % (400)', async () => {
    const token = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const zero = await settlementCall(stack, 'POST', `/districts/${D}/settlements/preview`, {
      token,
      body: { evaluationId: 'eval-cap', poolFen: 1000, method: { kind: 'capitation', weights: { catchmentPopulation: 0 } } },
    });
    expect((await json<{ code: string }>(zero, 400)).code).toBe('capitation-no-measure');
    const above = await settlementCall(stack, 'POST', `/districts/${D}/settlements/preview`, {
      token,
      body: { evaluationId: 'eval-cap', poolFen: 1000, method: { kind: 'capitation', poolSharePercent: '100.5', weights: { insuredContracts: 1 } } },
    });
    expect(above.status).toBe(400);
  });
});
