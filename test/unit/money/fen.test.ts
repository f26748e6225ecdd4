import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/domain/errors.ts';
import { assertFen, fenFromBigInt, formatYuan, isFen, MAX_FEN, parseYuan, sumFen } from '../../../shared/domain/money/index.ts';

describe('fen guards', () => {
  it('accepts non-negative safe integers only, unless negatives are allowed', () => {
    expect(isFen(0)).toBe(true);
    expect(isFen(MAX_FEN)).toBe(true);
    for (const bad of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1', 1n, null]) expect(isFen(bad)).toBe(false);
    expect(isFen(-1, { allowNegative: true })).toBe(true);
  });

  it('assertFen throws an invalid-input domain error naming the field', () => {
    expect(() => assertFen(0.1, 'pool')).toThrow(DomainError);
    try {
      assertFen(-3, 'pool');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'invalid', code: 'invalid-fen', details: { field: 'pool' } });
    }
  });

  it('refuses exact results outside the safe range', () => {
    expect(fenFromBigInt(9_007_199_254_740_991n)).toBe(MAX_FEN);
    expect(() => fenFromBigInt(9_007_199_254_740_992n)).toThrow(/safe range/);
    expect(sumFen([1, 2, -3])).toBe(0);
    expect(() => sumFen([MAX_FEN, 1])).toThrow(/safe range/);
  });
});

describe('formatYuan', () => {
  it.each([
    [123_456, '1,234.56'],
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [100, '1.00'],
    [100_000_000, '1,000,000.00'],
    [MAX_FEN, '90,071,992,547,409.91'],
  ])('%d fen → %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});

describe('parseYuan', () => {
  it.each([
    ['1,234.56', 123_456],
    ['1234.5', 123_450],
    ['12', 1200],
    ['0.05', 5],
    ['-0.05', -5],
    [' 1,000,000 ', 100_000_000],
    ['-0', 0],
  ])('%s → %d fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each(['1.234', '1,23', '12,3456', 'abc', '1e3', '', '¥1', '.5', '1.'])('rejects %s', (text) => {
    expect(() => parseYuan(text)).toThrow(DomainError);
  });

  it('round-trips every safe amount', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        expect(parseYuan(formatYuan(fen))).toBe(fen);
      }),
    );
  });
});
