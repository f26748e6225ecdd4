/**
 * The money helpers take shortcuts for the common inputs (safe integers, short decimal texts,
 * ascending ids); each must give exactly what the general rule gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcdBig as gcd } from '#shared/domain/exact/integers.ts';
import { formatFraction, parseDecimal } from '#shared/domain/money/exact-decimal.ts';
import { formatYuan, formatYuanOfBigInt, groupThousands } from '#shared/domain/money/fen.ts';
import { lazyLine } from '#shared/domain/money/lazy-line.ts';
import type { IncentiveExplanation, ScoreWeightedOptions, TeamIncentiveInput } from '#shared/domain/money/incentive-types.ts';
import { largestRemaindersOf } from '#shared/domain/money/largest-remainder.ts';
import { assertUniqueIds, compareCodePoints } from '#shared/domain/money/line-ids.ts';
import { allocateScoreWeighted, allocateScoreWeightedExact } from '#shared/domain/money/score-weighted.ts';
import { allocateScoreWeightedSafe } from '#shared/domain/money/fast/score-weighted-safe.ts';

const byPattern = (decimal: string) => {
  const [whole = '', fraction] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
};
const slowGcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : slowGcd(b, a % b));
const big = fc.bigInt({ min: 0n, max: 2n ** 70n });

describe('money shortcuts', () => {
  it('groupThousands equals the pattern rule', () => {
    const text = fc.oneof(fc.stringMatching(/^\d{0,20}(\.\d{0,4})?$/), fc.stringMatching(/^-?\d{1,9}(\.\d{1,3}){0,2}$/));
    fc.assert(
      fc.property(text, (t) => {
        expect(groupThousands(t)).toBe(byPattern(t));
      }),
      { numRuns: 500 },
    );
  });

  it('formatYuan of a number equals formatYuanOfBigInt', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -100_000, max: 100_000 })), (fen) => {
        expect(formatYuan(fen)).toBe(formatYuanOfBigInt(BigInt(fen)));
      }),
      { numRuns: 300 },
    );
  });

  it('gcd and formatFraction agree with plain BigInt arithmetic, below and above 2^53', () => {
    fc.assert(
      fc.property(
        big,
        big.filter((d) => d > 0n),
        (n, d) => {
          expect(gcd(n, d)).toBe(slowGcd(n, d));
          const g = slowGcd(n, d);
          const expected = n === 0n ? '0' : d / g === 1n ? `${n / g}` : `${n / g}/${d / g}`;
          expect(formatFraction(n, d)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parseDecimal reads short texts and numbers as the pattern does, and rejects the same', () => {
    // the general rule, written out: what parseDecimal did before its shortcut
    const byRule = (value: string | number, maxDecimals: number) => {
      if (typeof value === 'number' && (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))) return 'inexact-number';
      const text = typeof value === 'number' ? String(value) : value;
      const match = text.length <= 64 ? /^(\d+)(?:\.(\d+))?$/.exec(text) : null;
      if (!match) return 'invalid-decimal';
      const [, whole = '0', fraction = ''] = match;
      if (fraction.length > maxDecimals) return 'too-many-decimals';
      return { units: BigInt(whole + fraction), scale: fraction.length };
    };
    const input = fc.oneof(
      fc.stringMatching(/^\d{0,17}(\.\d{0,4})?$/),
      fc.constantFrom('', '.5', '5.', '1e3', '-1', ' 1', '0007.10', '1.2.3'),
      fc.integer({ min: -5, max: 2 ** 40 }),
      fc.double({ min: 0, max: 1000, noNaN: true }),
    );
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 6 }), (value, maxDecimals) => {
        let actual: unknown;
        try {
          actual = parseDecimal(value, 'x', maxDecimals);
        } catch (error) {
          actual = (error as { code?: string }).code;
        }
        expect(actual).toEqual(byRule(value, maxDecimals));
      }),
      { numRuns: 1000 },
    );
  });

  it('ids in ascending order pass, a repeat or an empty id still fails', () => {
    expect(() => assertUniqueIds(['a', 'b', 'c'], 'team')).not.toThrow();
    expect(() => assertUniqueIds(['a', 'b', 'b'], 'team')).toThrow(/appears more than once/);
    expect(() => assertUniqueIds(['b', 'a', 'b'], 'team')).toThrow(/appears more than once/);
    expect(() => assertUniqueIds(['a', ''], 'team')).toThrow(/non-empty id/);
  });

  it('a line written on demand is a plain-looking object, written once', () => {
    let writes = 0;
    const explanation = { amount: 1 } as unknown as IncentiveExplanation;
    const line = lazyLine(
      't',
      1,
      { n: 1 },
      () => {
        writes++;
        return explanation;
      },
      (facts, e) => ({ en: `${facts.n} ${e.amount}`, zh: 'z' }),
    );
    expect(writes).toBe(0);
    expect(Object.keys(line)).toEqual(['teamId', 'amount', 'explanation', 'text']);
    expect(line).toEqual({ teamId: 't', amount: 1, explanation: { amount: 1 }, text: { en: '1 1', zh: 'z' } });
    expect(JSON.stringify(line)).toBe('{"teamId":"t","amount":1,"explanation":{"amount":1},"text":{"en":"1 1","zh":"z"}}');
    expect({ ...line }).toEqual({ teamId: 't', amount: 1, explanation: { amount: 1 }, text: { en: '1 1', zh: 'z' } });
    expect(line.text).toBe(line.text);
    expect(writes).toBe(1);
  });
});

const hundredthsText = (h: number) => (h % 100 === 0 && h % 7 === 0 ? h / 100 : h % 10 === 0 ? (h / 100).toFixed(1) : (h / 100).toFixed(2));
const percentLike = fc.integer({ min: 0, max: 10_000 }).map(hundredthsText);
const team = fc.record({
  score: percentLike,
  eligibility: fc.constantFrom<TeamIncentiveInput['eligibility']>('eligible', 'eligible', 'eligible', 'capped', 'void'),
  gateCapPercent: percentLike,
  activeContracts: fc.integer({ min: 0, max: 5_000 }),
  weightedResidents: fc.oneof(
    fc.integer({ min: 0, max: 9_000 }),
    fc.tuple(fc.integer({ min: 0, max: 900_000 }), fc.integer({ min: 1, max: 6 })).map(([units, scale]) => (units / 10 ** scale).toFixed(scale)),
  ),
});
const options = fc.record({
  pool: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.constant(Number.MAX_SAFE_INTEGER)),
  sizeMeasure: fc.constantFrom<ScoreWeightedOptions['sizeMeasure']>('active-contracts', 'weighted-residents'),
  teamCapFen: fc.option(fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2 ** 36 })), { nil: undefined }),
  scoreFloor: fc.option(percentLike, { nil: undefined }),
});

describe('score-weighted allocation on safe integers', () => {
  it('gives what the exact rule gives: amounts, caps, gates, explanations and texts', () => {
    fc.assert(
      fc.property(fc.array(team, { maxLength: 40 }), options, fc.boolean(), (rows, o, shuffled) => {
        const teams: TeamIncentiveInput[] = rows.map(({ gateCapPercent, ...t }, i) => ({
          ...t,
          teamId: shuffled ? `t${(i * 7) % 41}-${i}` : `t${String(i).padStart(3, '0')}`,
          ...(t.eligibility === 'capped' ? { gateCapPercent } : {}),
        }));
        const opts: ScoreWeightedOptions = { method: 'score-weighted', pool: o.pool, sizeMeasure: o.sizeMeasure };
        if (o.teamCapFen !== undefined) opts.teamCapFen = o.teamCapFen;
        if (o.scoreFloor !== undefined) opts.scoreFloor = o.scoreFloor;
        const safe = allocateScoreWeightedSafe(teams, opts);
        expect(safe).not.toBeNull();
        expect(JSON.stringify(safe)).toBe(JSON.stringify(allocateScoreWeightedExact(teams, opts)));
      }),
      { numRuns: 600 },
    );
  });

  it('leaves other inputs to the exact rule, which also raises its errors', () => {
    const base = { teamId: 'a', eligibility: 'eligible' as const, activeContracts: 3, weightedResidents: 4 };
    const opts: ScoreWeightedOptions = { method: 'score-weighted', pool: 1_000, sizeMeasure: 'weighted-residents' };
    const fractionalNumber = [
      { ...base, score: 87.5 },
      { ...base, teamId: 'b', score: '60' },
    ];
    expect(allocateScoreWeightedSafe(fractionalNumber, opts)).toBeNull();
    expect(JSON.stringify(allocateScoreWeighted(fractionalNumber, opts))).toBe(JSON.stringify(allocateScoreWeightedExact(fractionalNumber, opts)));
    const outOfRange = [{ ...base, score: '100.01' }];
    expect(allocateScoreWeightedSafe(outOfRange, opts)).toBeNull();
    expect(() => allocateScoreWeighted(outOfRange, opts)).toThrow(/between 0 and 100/);
    const hugeWeight = [
      { ...base, score: '100', weightedResidents: '999999999999999' },
      { ...base, teamId: 'b', score: '1' },
    ];
    expect(allocateScoreWeightedSafe(hugeWeight, opts)).toBeNull();
    expect(JSON.stringify(allocateScoreWeighted(hugeWeight, opts))).toBe(JSON.stringify(allocateScoreWeightedExact(hugeWeight, opts)));
  });

  it('the lines with the largest remainders are those a full sort puts first', () => {
    const row = fc.record({ remainder: fc.integer({ min: 0, max: 6 }), weight: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), row), { selector: ([id]) => id, maxLength: 60 }), fc.nat(), (rows, k) => {
        const remainder = Float64Array.from(rows, ([, r]) => r.remainder);
        const weight = Float64Array.from(rows, ([, r]) => r.weight);
        const candidates = rows.flatMap(([, r], i) => (r.remainder > 0 ? [i] : []));
        const count = candidates.length === 0 ? 0 : k % candidates.length;
        const sorted = candidates.sort((a, b) => remainder[b]! - remainder[a]! || weight[b]! - weight[a]! || compareCodePoints(rows[a]![0], rows[b]![0]));
        const chosen = Array.from(largestRemaindersOf(remainder, weight, (i) => rows[i]![0], count)).sort((a, b) => a - b);
        expect(chosen).toEqual(sorted.slice(0, count).sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});
