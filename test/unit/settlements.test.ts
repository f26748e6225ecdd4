/** The pure settlement computation: exact sums, determinism, size measures, corrections, and the page form. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '#shared/domain/periods.ts';
import {
  computeSettlement,
  factsDigest,
  type FactContract,
  type FactScore,
  type FactTeam,
  payoutHistogram,
  type PreviousSettlement,
  type SettlementFacts,
} from '#shared/domain/settlements/compute.ts';
import { canonicalDecimal, DEFAULT_RESIDENT_WEIGHTS, DEFAULT_ROLE_SHARES, type SettlementParameters } from '#shared/domain/settlements/parameters.ts';
import { normaliseMethod } from '#shared/services/settlements.ts';
import { formFrom, requestFromForm } from '../../functions/finance/pages/settlement-form.ts';

const PERIOD = parsePeriod('2026Q3')!;

function team(i: number, institution = `inst-${(i % 3) + 1}`): FactTeam {
  return {
    teamId: `team-${String(i).padStart(2, '0')}`,
    institutionId: institution,
    name: `团队 ${i}`,
    members: [
      { memberId: `m-${i}-gp`, name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
      { memberId: `m-${i}-nurse`, name: '李护士', role: 'community-nurse', joinedOn: '2025-01-01', ...(i === 0 ? { leftOn: '2026-08-15' } : {}) },
      { memberId: `m-${i}-ph`, name: '周药师', role: 'pharmacist', joinedOn: '2026-09-01' },
    ],
  };
}

function facts(teamCount = 8, overrides: Partial<SettlementFacts> = {}): SettlementFacts {
  const teams = Array.from({ length: teamCount }, (_, i) => team(i));
  const scores: FactScore[] = teams.slice(0, teamCount - 1).map((t, i) => ({
    teamId: t.teamId,
    institutionId: t.institutionId,
    total: i === 3 ? null : (60 + ((i * 7) % 40)).toFixed(2),
    eligibility: i === 1 ? 'void' : i === 2 ? 'capped' : 'eligible',
    capPercent: i === 1 ? 0 : i === 2 ? 50 : 100,
    gates: [],
  }));
  const contracts: FactContract[] = teams.flatMap((t, i) =>
    Array.from({ length: 3 + i }, (_, c) => ({
      contractId: `c-${i}-${c}`,
      teamId: t.teamId,
      institutionId: t.institutionId,
      insured: c % 4 !== 3,
      startDate: c % 2 === 0 ? '2026-01-10' : '2026-08-20',
      endDate: c === 1 ? '2026-09-05' : '2027-01-09',
      status: c === 1 ? ('cancelled' as const) : ('active' as const),
      keyPopulations: c % 3 === 0 ? ['hypertension'] : c % 3 === 1 ? ['elderly-65', 'diabetes'] : [],
    })),
  );
  return {
    evaluation: { evaluationId: 'eval-1', districtId: 'd', period: '2026Q3', fingerprint: 'f'.repeat(64) },
    period: PERIOD,
    teams,
    scores,
    contracts,
    institutions: [
      { institutionId: 'inst-1', name: '一中心', ownership: 'government', servicePackages: [{ code: 'chronic', name: '慢病包', feeFen: 10_000 }] },
      { institutionId: 'inst-2', name: '二中心', ownership: 'government', servicePackages: [] },
      { institutionId: 'inst-3', name: '康安中心', ownership: 'social', servicePackages: [{ code: 'chronic', name: '慢病包', feeFen: 30_000 }] },
    ],
    ...overrides,
  };
}

function parameters(overrides: Partial<SettlementParameters> = {}): SettlementParameters {
  return {
    evaluationId: 'eval-1',
    period: '2026Q3',
    poolFen: 1_000_003,
    method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
    roleShares: DEFAULT_ROLE_SHARES,
    residentWeights: DEFAULT_RESIDENT_WEIGHTS,
    subsidyPerResidentYearFen: 12_000,
    ...overrides,
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('computeSettlement', () => {
  it('adds up exactly: teams to the pool, members to each team, teams and institutions to the subsidy', () => {
    const result = computeSettlement(facts(), parameters());
    expect(sum(result.teamLines.map((l) => l.amount))).toBe(result.totals.paidFen);
    expect(result.totals.paidFen + result.totals.unallocatedFen).toBe(1_000_003);
    expect(result.totals.paidFen).toBe(1_000_003);
    expect(sum(result.memberLines.map((l) => l.amount)) + result.totals.memberUnallocatedFen).toBe(result.totals.paidFen);
    expect(sum(result.teamLines.map((l) => l.subsidyFen))).toBe(result.totals.subsidyFen);
    expect(sum(result.institutionLines.map((l) => l.subsidyFen))).toBe(result.totals.subsidyFen);
    expect(sum(result.institutionLines.map((l) => l.incentiveFen))).toBe(result.totals.paidFen);
  });

  it('holds the sums for any pool and method', () => {
    const methodArb = fc.oneof(
      fc.record({ kind: fc.constant('score-weighted' as const), sizeMeasure: fc.constantFrom('active-contracts' as const, 'weighted-residents' as const) }),
      fc.record({
        kind: fc.constant('value-per-point' as const),
        fenPerPoint: fc.integer({ min: 0, max: 100_000 }),
        sizeMeasure: fc.constantFrom('none' as const, 'active-contracts' as const),
      }),
      fc.record({
        kind: fc.constant('grade-tiers' as const),
        tiers: fc.uniqueArray(fc.record({ minScore: fc.integer({ min: 0, max: 100 }).map(String), amountFen: fc.integer({ min: 0, max: 1_000_000 }) }), {
          minLength: 1,
          maxLength: 4,
          selector: (tier) => tier.minScore,
        }),
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), methodArb, fc.option(fc.integer({ min: 1, max: 500_000 }), { nil: undefined }), (pool, method, cap) => {
        const result = computeSettlement(facts(), parameters({ poolFen: pool, method: { ...method, ...(cap ? { teamCapFen: cap } : {}) } }));
        expect(sum(result.teamLines.map((l) => l.amount))).toBe(result.totals.paidFen);
        expect(result.totals.paidFen + result.totals.unallocatedFen).toBe(pool);
        expect(sum(result.memberLines.map((l) => l.amount)) + result.totals.memberUnallocatedFen).toBe(result.totals.paidFen);
        if (cap) for (const line of result.teamLines) expect(line.amount).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same lines and fingerprint for the same inputs in any order, and another fingerprint for other inputs', () => {
    const a = computeSettlement(facts(), parameters());
    const shuffled = facts();
    const b = computeSettlement(
      { ...shuffled, teams: [...shuffled.teams].reverse(), scores: [...shuffled.scores].reverse(), contracts: [...shuffled.contracts].reverse() },
      parameters(),
    );
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(computeSettlement(facts(), parameters({ poolFen: 1_000_004 })).fingerprint).not.toBe(a.fingerprint);
    const moved = facts();
    const contracts = moved.contracts.map((c, i) => (i === 0 ? { ...c, insured: !c.insured } : c));
    expect(factsDigest({ ...moved, contracts })).not.toBe(factsDigest(moved));
    expect(computeSettlement({ ...moved, contracts }, parameters()).fingerprint).not.toBe(a.fingerprint);
  });

  it('pays nothing to unscored teams and explains why; voids and caps follow the gates', () => {
    const result = computeSettlement(facts(), parameters());
    const [, voided, capped, insufficient] = result.teamLines.filter((l) => l.institutionId).sort((x, y) => (x.teamId < y.teamId ? -1 : 1));
    expect(voided!.amount).toBe(0);
    expect(capped!.explanation?.gate.effect).toBe('capped');
    expect(insufficient!.amount).toBe(0);
    expect(insufficient!.text.en).toContain('not scored');
    const notEvaluated = result.teamLines.find((l) => l.teamId === 'team-07')!;
    expect(notEvaluated.scored).toBe(false);
    expect(notEvaluated.text.zh).toContain('未纳入评价');
    expect(notEvaluated.subsidyFen).toBeGreaterThan(0);
  });

  it('weighs key-population residents in the weighted-residents measure', () => {
    const result = computeSettlement(
      facts(),
      parameters({
        method: { kind: 'score-weighted', sizeMeasure: 'weighted-residents' },
        residentWeights: { keyPopulation: '2', byPopulation: { 'elderly-65': '3' } },
      }),
    );
    // team-00: contracts 0 (hypertension, in force at the end), 1 (cancelled), 2 (no tag) → 2 + 1
    expect(result.teamLines.find((l) => l.teamId === 'team-00')!.weightedResidents).toBe('3.00');
    // team-04: contracts 0 hypertension 2, 2 none 1, 3 hypertension 2, 4 elderly-65 (3) + diabetes → 3, 5 none 1, 6 hypertension 2 (1 is cancelled)
    expect(result.teamLines.find((l) => l.teamId === 'team-04')!.weightedResidents).toBe('11.00');
    expect(result.teamLines.find((l) => l.teamId === 'team-04')!.activeContracts).toBe(6);
  });

  it('pro-rates members by days present and lets roles without a share take "other"', () => {
    const result = computeSettlement(facts(), parameters());
    const team0 = result.memberLines.filter((m) => m.teamId === 'team-00');
    expect(team0.map((m) => [m.memberId, m.daysPresent])).toEqual([
      ['m-0-gp', 92],
      ['m-0-nurse', 46],
      ['m-0-ph', 30],
    ]);
    expect(team0[2]!.stints[0]!.shareSource).toBe('other');
  });

  it('states the fee statement per institution by ownership', () => {
    const result = computeSettlement(facts(), parameters());
    expect(result.institutionLines.find((l) => l.institutionId === 'inst-1')!.feeStatement![0]!.maxCollectFromSubsidisedResidentFen).toBe(0);
    expect(result.institutionLines.find((l) => l.institutionId === 'inst-3')!.feeStatement![0]!.maxCollectFromSubsidisedResidentFen).toBe(18_000);
  });

  it('shows a correction’s difference per team and institution', () => {
    const original = computeSettlement(facts(), parameters());
    const previous: PreviousSettlement = {
      settlementId: 'stl-original',
      fingerprint: original.fingerprint,
      teams: new Map(
        original.teamLines.map((l) => [l.teamId, { institutionId: l.institutionId, teamName: l.teamName, amount: l.amount, subsidyFen: l.subsidyFen }]),
      ),
      institutions: new Map(original.institutionLines.map((l) => [l.institutionId, { name: l.name, incentiveFen: l.incentiveFen, subsidyFen: l.subsidyFen }])),
      paidFen: original.totals.paidFen,
      subsidyFen: original.totals.subsidyFen,
    };
    const correction = computeSettlement(facts(), parameters({ poolFen: 1_200_003 }), previous);
    expect(correction.totals.paidDifference).toBe(200_000);
    expect(sum(correction.teamLines.map((l) => l.difference!))).toBe(200_000);
    for (const line of correction.teamLines) expect(line.difference).toBe(line.amount - line.previousAmount!);
    expect(correction.institutionLines.every((l) => l.subsidyDifference === 0)).toBe(true);
    expect(correction.fingerprint).not.toBe(computeSettlement(facts(), parameters({ poolFen: 1_200_003 })).fingerprint);
  });
});

describe('helpers', () => {
  it('canonicalises decimals so equal parameters fingerprint equally', () => {
    expect([canonicalDecimal('40.50'), canonicalDecimal('040'), canonicalDecimal(7), canonicalDecimal('0.0'), canonicalDecimal('60.00')]).toEqual([
      '40.5',
      '40',
      '7',
      '0',
      '60',
    ]);
    expect(normaliseMethod({ kind: 'value-per-point', fenPerPoint: 100, scoreFloor: 60 })).toEqual({
      kind: 'value-per-point',
      fenPerPoint: 100,
      sizeMeasure: 'none',
      scoreFloor: '60',
    });
  });

  it('bins payouts in nice yuan widths with zeros apart', () => {
    const histogram = payoutHistogram([0, 0, 150, 1_000_000, 450_000, 999_999]);
    expect(histogram.binWidthFen).toBe(100_000);
    expect(histogram.zeroCount).toBe(2);
    expect(sum(histogram.counts)).toBe(4);
    expect(histogram.counts[9]).toBe(2);
    expect(histogram.counts[0]).toBe(1);
  });
});

describe('the new-settlement form', () => {
  const defaults = { roleShares: { 'general-practitioner': '40', 'community-nurse': '30', other: '10' }, keyPopulationWeight: '2' };

  it('turns yuan and tiers into a request in fen', () => {
    const form = formFrom(
      { evaluationId: 'eval-1', pool: '1,536,000', method: 'grade-tiers', tiers: '90=5000\n80＝3,000.50\n', teamCap: '8000', 'share.other': '5' },
      defaults,
    );
    const { request, errors } = requestFromForm(form);
    expect(errors).toEqual({});
    expect(request).toEqual({
      evaluationId: 'eval-1',
      poolFen: 153_600_000,
      method: {
        kind: 'grade-tiers',
        tiers: [
          { minScore: '90', amountFen: 500_000 },
          { minScore: '80', amountFen: 300_050 },
        ],
        teamCapFen: 800_000,
      },
      roleShares: { 'general-practitioner': '40', 'community-nurse': '30', other: '5' },
      residentWeights: { keyPopulation: '2' },
    });
  });

  it('names each field to correct', () => {
    const { request, errors } = requestFromForm(formFrom({ pool: '1.234', method: 'value-per-point', scoreFloor: '101', 'share.other': '-1' }, defaults));
    expect(request).toBeNull();
    expect(errors).toEqual({ evaluationId: 'required', pool: 'yuan', scoreFloor: 'score', perPoint: 'required', 'share.other': 'decimal' });
  });
});
