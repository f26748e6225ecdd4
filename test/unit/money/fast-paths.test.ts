/**
 * The money helpers take shortcuts for the common inputs (safe integers, short decimal texts,
 * ascending ids); each must give exactly what the general rule gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFraction, gcd, parseDecimal } from '#shared/domain/money/exact-decimal.ts';
import { formatYuan, formatYuanOfBigInt, groupThousands } from '#shared/domain/money/fen.ts';
import { lazyLine } from '#shared/domain/money/lazy-line.ts';
import type { IncentiveExplanation } from '#shared/domain/money/incentive-types.ts';
import { assertUniqueIds } from '#shared/domain/money/line-ids.ts';

const byPattern = (decimal: string) => {
  const [whole = '', fraction] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
};
const slowGcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : slowGcd(b, a % b));
const big = fc.bigInt({ min: 0n, max: 2n ** 70n });

describe('money shortcuts', () => {
  it('groupThousands equals the pattern rule', () => {
    const text = fc.oneof(
      fc.stringMatching(/^\d{0,20}(\.\d{0,4})?$/),
      fc.stringMatching(/^-?\d{1,9}(\.\d{1,3}){0,2}$/),
    );
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
      fc.property(big, big.filter((d) => d > 0n), (n, d) => {
        expect(gcd(n, d)).toBe(slowGcd(n, d));
        const g = slowGcd(n, d);
        const expected = n === 0n ? '0' : d / g === 1n ? `${n / g}` : `${n / g}/${d / g}`;
        expect(formatFraction(n, d)).toBe(expected);
      }),
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
