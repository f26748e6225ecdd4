/** Capitation: the openIMIS example, exact fen, team splits, and the settlement computation with method kind `capitation`. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCapitation, type CapitationInstitution } from '#shared/domain/money/capitation.ts';
import { parsePeriod } from '#shared/domain/periods.ts';
import { computeSettlement, type SettlementFacts } from '#shared/domain/settlements/compute.ts';
import { DEFAULT_RESIDENT_WEIGHTS, DEFAULT_ROLE_SHARES } from '#shared/domain/settlements/parameters.ts';
import { normaliseMethod } from '#shared/services/settlements.ts';
import { formFrom, requestFromForm } from '../../functions/finance/pages/settlement-form.ts';

const team = (teamId: string, insured: number, active = insured, keyPopulation = 0) => ({
  teamId,
  activeContracts: active,
  insuredContracts: insured,
  keyPopulationContracts: keyPopulation,
});

describe('capitation', () => {
  it('reproduces the openIMIS example: 3,000 of 10,000 people and 400 of 1,000 insured, weights 40/60, 50 % of a 10,000 pool → 1,800', () => {
    const institutions: CapitationInstitution[] = [
      { institutionId: 'facility-a', catchmentPopulation: 3000, teams: [team('a-1', 400)] },
      { institutionId: 'facility-b', catchmentPopulation: 7000, teams: [team('b-1', 600)] },
    ];
    const result = allocateCapitation(
      1_000_000,
      { poolSharePercent: '50', weights: { catchmentPopulation: '40', insuredContracts: '60', keyPopulationContracts: '0' } },
      institutions,
    );
    // 5,000 yuan × (0.4 × 3,000/10,000 + 0.6 × 400/1,000) = 5,000 × 0.36 = 1,800 yuan
    expect(result.institutions.map((i) => [i.institutionId, i.amountFen])).toEqual([
      ['facility-a', 180_000],
      ['facility-b', 320_000],
    ]);
    expect(result.capitationPoolFen).toBe(500_000);
    expect(result.paidFen).toBe(500_000);
    expect(result.unallocatedFen).toBe(500_000);
  });

  it('rounds to the fen by the largest remainder and splits each institution over its teams by the same weights', () => {
    const institutions: CapitationInstitution[] = [
      { institutionId: 'i-1', catchmentPopulation: 1, teams: [team('t-1', 1, 2), team('t-2', 0, 1)] },
      { institutionId: 'i-2', catchmentPopulation: 1, teams: [team('t-3', 1)] },
      { institutionId: 'i-3', catchmentPopulation: 1, teams: [team('t-4', 1)] },
    ];
    // 100 fen, weights 1/1: every institution 1/3 of catchment and 1/3 of insured → 33.33…; the tie gives the extra fen to i-1 (ids ascending)
    const result = allocateCapitation(
      100,
      { poolSharePercent: '100', weights: { catchmentPopulation: '1', insuredContracts: '1', keyPopulationContracts: '0' } },
      institutions,
    );
    expect(result.institutions.map((i) => i.amountFen)).toEqual([34, 33, 33]);
    // i-1's 34 fen: t-1 has 2 of 3 active (catchment stands for active contracts) and 1 of 1 insured → (2/3 + 1)/2 = 5/6 → 28.33; t-2 1/6 → 5.67 → 6
    expect(result.teams.map((t) => [t.teamId, t.amountFen])).toEqual([
      ['t-1', 28],
      ['t-2', 6],
      ['t-3', 33],
      ['t-4', 33],
    ]);
  });

  it('leaves the part of a measure nobody has unallocated, and splits evenly inside an institution without contracts', () => {
    const institutions: CapitationInstitution[] = [{ institutionId: 'i-1', catchmentPopulation: 500, teams: [team('t-1', 0), team('t-2', 0)] }];
    const result = allocateCapitation(
      1001,
      { poolSharePercent: '100', weights: { catchmentPopulation: '1', insuredContracts: '0', keyPopulationContracts: '1' } },
      institutions,
    );
    expect(result.institutions[0]!.amountFen).toBe(500); // half the weight is on key populations, which nobody has
    expect(result.teams.map((t) => t.amountFen)).toEqual([250, 250]);
    expect(result.unallocatedFen).toBe(501);
  });

  it('never pays more than the pool and always adds up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.array(fc.tuple(fc.nat(2000), fc.nat(2000), fc.nat(2000)), { minLength: 1, maxLength: 4 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.tuple(fc.nat(100), fc.nat(100), fc.integer({ min: 1, max: 100 })),
        (pool, percent, rows, [wc, wi, wk]) => {
          const institutions = rows.map(([catchment, teams], i) => ({
            institutionId: `i-${i}`,
            catchmentPopulation: catchment,
            teams: teams.map(([active, insured, key], j) => team(`t-${i}-${j}`, Math.min(insured, active), active, Math.min(key, active))),
          }));
          const result = allocateCapitation(
            pool,
            {
              poolSharePercent: String(percent),
              weights: { catchmentPopulation: String(wc), insuredContracts: String(wi), keyPopulationContracts: String(wk) },
            },
            institutions,
          );
          expect(result.teams.reduce((s, t) => s + t.amountFen, 0)).toBe(result.paidFen);
          expect(result.institutions.reduce((s, i) => s + i.amountFen, 0)).toBe(result.paidFen);
          expect(result.paidFen).toBeLessThanOrEqual(result.capitationPoolFen);
          expect(result.paidFen + result.unallocatedFen).toBe(pool);
        },
      ),
    );
  });
});

describe('a settlement with method kind capitation', () => {
  const facts = (catchment: number): SettlementFacts => ({
    evaluation: { evaluationId: 'eval-1', districtId: 'd', period: '2026Q3', fingerprint: null },
    period: parsePeriod('2026Q3')!,
    teams: [
      {
        teamId: 'a-1',
        institutionId: 'facility-a',
        name: 'A',
        members: [{ memberId: 'a-gp', name: '王', role: 'general-practitioner', joinedOn: '2025-01-01' }],
      },
      {
        teamId: 'b-1',
        institutionId: 'facility-b',
        name: 'B',
        members: [{ memberId: 'b-gp', name: '李', role: 'general-practitioner', joinedOn: '2025-01-01' }],
      },
    ],
    scores: [],
    contracts: [
      ...Array.from({ length: 4 }, (_, i) => ({
        contractId: `ca-${i}`,
        teamId: 'a-1',
        institutionId: 'facility-a',
        insured: true,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        status: 'active' as const,
        keyPopulations: [],
      })),
      ...Array.from({ length: 6 }, (_, i) => ({
        contractId: `cb-${i}`,
        teamId: 'b-1',
        institutionId: 'facility-b',
        insured: true,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        status: 'active' as const,
        keyPopulations: [],
      })),
    ],
    institutions: [
      { institutionId: 'facility-a', name: 'A', ownership: 'government', servicePackages: [], catchmentPopulation: catchment },
      { institutionId: 'facility-b', name: 'B', ownership: 'government', servicePackages: [], catchmentPopulation: 10_000 - catchment },
    ],
  });
  const parameters = {
    evaluationId: 'eval-1',
    period: '2026Q3',
    poolFen: 1_000_000,
    method: normaliseMethod({ kind: 'capitation', poolSharePercent: 50, weights: { catchmentPopulation: 40, insuredContracts: 60 } }),
    roleShares: DEFAULT_ROLE_SHARES,
    residentWeights: DEFAULT_RESIDENT_WEIGHTS,
    subsidyPerResidentYearFen: 0,
  };

  it('pays every team by capitation (scored or not) and covers the catchment population in the fingerprint', () => {
    const a = computeSettlement(facts(3000), parameters);
    // facility A: 5,000 × (0.4 × 0.3 + 0.6 × 4/10) = 5,000 × 0.36 = 1,800 yuan
    expect(a.teamLines.map((l) => [l.teamId, l.amount])).toEqual([
      ['a-1', 180_000],
      ['b-1', 320_000],
    ]);
    expect(a.totals.paidFen).toBe(500_000);
    expect(a.totals.unallocatedFen).toBe(500_000);
    expect(a.teamLines[0]!.text.zh).toContain('按人头分配');
    expect(computeSettlement(facts(3000), parameters).fingerprint).toBe(a.fingerprint);
    expect(computeSettlement(facts(3001), parameters).fingerprint).not.toBe(a.fingerprint);
  });
});

describe('the new-settlement form', () => {
  const defaults = { roleShares: DEFAULT_ROLE_SHARES, keyPopulationWeight: '2' };

  it('turns capitation fields and funding-source lines into the request', () => {
    const form = formFrom(
      {
        evaluationId: 'eval-1',
        pool: '10,000',
        method: 'capitation',
        capShare: '50',
        capWeights: '40，60,0',
        funding: 'insurance-fund=医保基金:0:70\npublic-health=基本公共卫生经费:100:30',
      },
      defaults,
    );
    const { request, errors } = requestFromForm(form);
    expect(errors).toEqual({});
    expect(request).toMatchObject({
      poolFen: 1_000_000,
      method: { kind: 'capitation', poolSharePercent: '50', weights: { catchmentPopulation: '40', insuredContracts: '60', keyPopulationContracts: '0' } },
      fundingSources: [
        { code: 'insurance-fund', name: '医保基金', incentiveShare: '0', subsidyShare: '70' },
        { code: 'public-health', name: '基本公共卫生经费', incentiveShare: '100', subsidyShare: '30' },
      ],
    });
  });

  it('names the field to correct', () => {
    expect(requestFromForm(formFrom({ evaluationId: 'e', pool: '1', method: 'capitation', capWeights: '40,60' }, defaults)).errors).toEqual({
      capWeights: 'capitation',
    });
    expect(requestFromForm(formFrom({ evaluationId: 'e', pool: '1', funding: 'Bad Code=x:1:1' }, defaults)).errors).toEqual({ funding: 'funding' });
  });
});
