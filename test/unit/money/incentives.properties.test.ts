import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateIncentives,
  compareCodePoints,
  type IncentiveOptions,
  type IncentiveResult,
  type TeamIncentiveInput,
} from '../../../shared/domain/money/index.ts';
import { byId, poolArb, scoreArb, shuffle, teamsArb } from './arbitraries.ts';

/** generous: hundreds of runs over up to 500 lines, on a busy machine */
const PROPERTY_TIMEOUT = 60_000;

const capArb = fc.option(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.bigInt({ min: 0n, max: 10n ** 11n }).map(Number)), { nil: undefined });
const floorArb = fc.option(scoreArb, { nil: undefined });

const optionsArb: fc.Arbitrary<IncentiveOptions> = fc.oneof(
  fc.record({
    method: fc.constant('score-weighted' as const),
    pool: poolArb,
    sizeMeasure: fc.constantFrom('active-contracts' as const, 'weighted-residents' as const),
    scoreFloor: floorArb,
    teamCapFen: capArb,
  }),
  fc.record({
    method: fc.constant('value-per-point' as const),
    pool: poolArb,
    fenPerPoint: fc.integer({ min: 0, max: 100_000 }),
    sizeMeasure: fc.constantFrom('none' as const, 'active-contracts' as const, 'weighted-residents' as const),
    scoreFloor: floorArb,
    teamCapFen: capArb,
  }),
  fc.record({
    method: fc.constant('grade-tiers' as const),
    pool: poolArb,
    tiers: fc.uniqueArray(fc.record({ minScore: scoreArb, amountFen: fc.integer({ min: 0, max: 10_000_000 }) }), {
      maxLength: 6,
      selector: (tier) => tier.minScore,
    }),
    scoreFloor: floorArb,
    teamCapFen: capArb,
  }),
);

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
const sum = (result: IncentiveResult) => result.lines.reduce((acc, line) => acc + line.amount, 0);

/** exact fraction "n/d" or "n" → [n, d] */
const fraction = (text: string): [bigint, bigint] => {
  const [n = '0', d = '1'] = text.split('/');
  return [BigInt(n), BigInt(d)];
};

function checkInvariants(teams: readonly TeamIncentiveInput[], options: IncentiveOptions, result: IncentiveResult): void {
  expect(sum(result)).toBe(result.paid);
  expect(result.paid + result.unallocated).toBe(options.pool);
  expect(result.lines.map((line) => line.teamId)).toEqual(teams.map((team) => team.teamId));
  for (const line of result.lines) {
    const ex = line.explanation;
    expect(line.amount).toBeGreaterThanOrEqual(0);
    expect(ex.amount).toBe(line.amount);
    if (options.teamCapFen !== undefined) expect(line.amount).toBeLessThanOrEqual(options.teamCapFen);
    if (ex.gate.eligibility === 'void' || ex.belowFloor) expect(line.amount).toBe(0);
    if (ex.gate.limitFen !== null) expect(line.amount).toBeLessThanOrEqual(ex.gate.limitFen);
    expect(line.text.en).toMatch(/paid ¥[\d,]+\.\d\d\.$/);
    expect(line.text.zh).toMatch(/实发 [\d,]+\.\d\d 元。$/);
    if (options.method !== 'score-weighted') {
      // paid as earned (within a fen) unless scaled down, and never above the entitlement's ceiling
      const [n, d] = fraction(ex.entitledFen!);
      expect(BigInt(line.amount) * d < n + d).toBe(true);
      if (!result.scaledDown) expect(BigInt(line.amount) * d > n - d).toBe(true);
    }
  }
  if (options.method === 'score-weighted') {
    expect(result.scaledDown).toBe(false);
    // money stays unallocated only when every team with a share was held by a cap or gate
    if (result.unallocated > 0) {
      for (const line of result.lines) {
        if (line.explanation.rawShare !== '0') expect(line.explanation.capApplied || line.explanation.gate.effect === 'capped').toBe(true);
      }
    }
  } else if (result.scaledDown) {
    expect(result.paid).toBe(options.pool);
  } else {
    // Σ entitlements, kept reduced so the numbers stay small
    let owed: [bigint, bigint] = [0n, 1n];
    for (const line of result.lines) {
      const [n, d] = fraction(line.explanation.entitledFen!);
      const numerator = owed[0] * d + n * owed[1];
      const denominator = owed[1] * d;
      const divisor = gcd(numerator, denominator);
      owed = [numerator / divisor, denominator / divisor];
    }
    expect(BigInt(result.paid)).toBe(owed[0] / owed[1]);
  }
}

describe('incentive allocation properties', () => {
  it(
    'conserves the pool, never goes negative and respects floors, gates and caps',
    () => {
      fc.assert(
        fc.property(teamsArb(500), optionsArb, (teams, options) => {
          checkInvariants(teams, options, allocateIncentives(teams, options));
        }),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'is deterministic and independent of the order of the teams',
    () => {
      fc.assert(
        fc.property(teamsArb(500), optionsArb, fc.nat(), (teams, options, seed) => {
          const first = allocateIncentives(teams, options);
          expect(JSON.stringify(allocateIncentives(teams, options))).toBe(JSON.stringify(first));
          const lines = byId(first.lines, (line) => line.teamId);
          const shuffled = allocateIncentives(shuffle(teams, seed), options);
          expect(shuffled.paid).toBe(first.paid);
          for (const line of shuffled.lines) expect(line).toEqual(lines.get(line.teamId));
        }),
        { numRuns: 60 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'splits a few fen across many teams exactly',
    () => {
      fc.assert(
        fc.property(teamsArb(500), fc.integer({ min: 0, max: 12 }), (teams, pool) => {
          const eligible = teams.map((team) => ({ ...team, eligibility: 'eligible' as const, score: '50.00', activeContracts: 1 }));
          const result = allocateIncentives(eligible, { method: 'score-weighted', pool, sizeMeasure: 'active-contracts' });
          expect(result.paid).toBe(pool);
          // equal weights: everyone gets ⌊pool/n⌋ and the first (pool mod n) ids in code-point order one more
          expect(result.lines.filter((line) => line.amount > 0).length).toBe(Math.min(pool, teams.length));
          const ids = teams.map((team) => team.teamId).sort(compareCodePoints);
          const extra = new Set(ids.slice(0, pool % teams.length));
          for (const line of result.lines) expect(line.amount).toBe(Math.floor(pool / teams.length) + (extra.has(line.teamId) ? 1 : 0));
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
