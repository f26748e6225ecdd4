import { describe, expect, it } from 'vitest';
import { allocateByWeights, allocateWithCaps, compareCodePoints } from '../../../shared/domain/money/index.ts';

const amounts = (result: { lines: { id: string; amount: number }[] }) => Object.fromEntries(result.lines.map((line) => [line.id, line.amount]));

describe('allocateByWeights', () => {
  it('splits exactly when the quotas are whole', () => {
    const result = allocateByWeights(1000, [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 3 },
    ]);
    expect(result).toEqual({
      total: 1000,
      allocated: 1000,
      unallocated: 0,
      lines: [
        { id: 'a', amount: 250 },
        { id: 'b', amount: 750 },
      ],
    });
  });

  it('gives 7 fen across 10 equal teams to the first 7 ids in code-point order', () => {
    const ids = ['t9', 't3', 't0', 't7', 't1', 't8', 't2', 't6', 't4', 't5'];
    const result = allocateByWeights(
      7,
      ids.map((id) => ({ id, weight: 1 })),
    );
    expect(result.lines.map((line) => line.id)).toEqual(ids); // input order kept
    expect(amounts(result)).toEqual({ t0: 1, t1: 1, t2: 1, t3: 1, t4: 1, t5: 1, t6: 1, t7: 0, t8: 0, t9: 0 });
  });

  it('breaks a tie in remainders by the larger weight before the id', () => {
    // quotas 0.5 and 2.5: same remainder; b has the larger weight
    const result = allocateByWeights(3, [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 5 },
    ]);
    expect(amounts(result)).toEqual({ a: 0, b: 3 });
  });

  it('gives the extra fen to the larger remainder first', () => {
    // 100 / 3: equal remainders and weights → id a; 10 × 1/3 and 10 × 2/3: remainders 1/3 < 2/3 → b
    expect(
      amounts(
        allocateByWeights(100, [
          { id: 'c', weight: 1 },
          { id: 'b', weight: 1 },
          { id: 'a', weight: 1 },
        ]),
      ),
    ).toEqual({ a: 34, b: 33, c: 33 });
    expect(
      amounts(
        allocateByWeights(10, [
          { id: 'a', weight: 1 },
          { id: 'b', weight: 2 },
        ]),
      ),
    ).toEqual({ a: 3, b: 7 });
  });

  it('orders ids by code point, not by UTF-16 code unit', () => {
    const emoji = '\u{1F600}'; // encoded as D83D DE00, below FF01 in code units
    const fullwidth = '\uFF01';
    expect(compareCodePoints(fullwidth, emoji)).toBe(-1);
    expect(
      amounts(
        allocateByWeights(1, [
          { id: emoji, weight: 1 },
          { id: fullwidth, weight: 1 },
        ]),
      ),
    ).toEqual({ [emoji]: 0, [fullwidth]: 1 });
  });

  it('never gives a rounding fen to a zero-weight line', () => {
    expect(
      amounts(
        allocateByWeights(5, [
          { id: 'a0', weight: 0 },
          { id: 'c', weight: 1 },
          { id: 'b', weight: 1 },
          { id: 'd', weight: 1 },
        ]),
      ),
    ).toEqual({ a0: 0, b: 2, c: 2, d: 1 });
  });

  it('reports the whole total as unallocated when every weight is zero', () => {
    const result = allocateByWeights(100, [
      { id: 'a', weight: 0 },
      { id: 'b', weight: '0.00' },
    ]);
    expect(result).toMatchObject({ allocated: 0, unallocated: 100 });
    expect(amounts(result)).toEqual({ a: 0, b: 0 });
    expect(allocateByWeights(100, [])).toEqual({ total: 100, allocated: 0, unallocated: 100, lines: [] });
  });

  it('takes exact decimal strings and bigints as weights', () => {
    // 50 : 125 : 200 in hundredths; every remainder is 125/375, so the largest weight wins
    expect(
      amounts(
        allocateByWeights(1000, [
          { id: 'a', weight: '0.5' },
          { id: 'b', weight: '1.25' },
          { id: 'c', weight: 2 },
        ]),
      ),
    ).toEqual({ a: 133, b: 333, c: 534 });
    const big = 2n ** 80n;
    expect(
      amounts(
        allocateByWeights(1, [
          { id: 'a', weight: big + 1n },
          { id: 'b', weight: big },
        ]),
      ),
    ).toEqual({ a: 1, b: 0 });
  });

  it('multiplies a large pool by large weights without losing a fen', () => {
    const pool = 1_000_000_000_000; // 10 billion yuan
    const result = allocateByWeights(pool, [
      { id: 'a', weight: 9_999_999_999_999n },
      { id: 'b', weight: 1n },
    ]);
    // quota of b = 10^12 / 10^13 = 0.1, of a = 999,999,999,999.9
    expect(amounts(result)).toEqual({ a: 1_000_000_000_000, b: 0 });
  });

  it('rejects bad input', () => {
    expect(() => allocateByWeights(10, [{ id: 'a', weight: 0.5 }])).toThrow(/decimal string/);
    expect(() => allocateByWeights(10, [{ id: 'a', weight: -1 }])).toThrow(/non-negative/);
    expect(() => allocateByWeights(10, [{ id: 'a', weight: -1n }])).toThrow(/negative/);
    expect(() => allocateByWeights(10, [{ id: 'a', weight: '1e3' }])).toThrow(/decimal/);
    expect(() => allocateByWeights(10, [{ id: 'a', weight: 2 ** 60 }])).toThrow(/exact/);
    expect(() =>
      allocateByWeights(10, [
        { id: 'a', weight: 1 },
        { id: 'a', weight: 2 },
      ]),
    ).toThrow(/more than once/);
    expect(() => allocateByWeights(10.5, [])).toThrow(/fen/);
    expect(() => allocateByWeights(-1, [])).toThrow(/fen/);
  });
});

describe('allocateWithCaps', () => {
  it('redistributes the excess over several rounds', () => {
    // level 250: a capped at 50; level 316.67: b capped at 200; level 375 < 400: c and d share 750
    const result = allocateWithCaps(1000, [
      { id: 'a', weight: 1, cap: 50 },
      { id: 'b', weight: 1, cap: 200 },
      { id: 'c', weight: 1, cap: 400 },
      { id: 'd', weight: 1 },
    ]);
    expect(result).toEqual({
      total: 1000,
      allocated: 1000,
      unallocated: 0,
      lines: [
        { id: 'a', amount: 50, cap: 50, capApplied: true },
        { id: 'b', amount: 200, cap: 200, capApplied: true },
        { id: 'c', amount: 375, cap: 400, capApplied: false },
        { id: 'd', amount: 375, cap: null, capApplied: false },
      ],
    });
  });

  it('rounds what is left by largest remainder after capping', () => {
    // a capped at 3; 7 between b and c → 3.5 each; tie on remainder and weight → id b first
    expect(
      amounts(
        allocateWithCaps(10, [
          { id: 'c', weight: 1 },
          { id: 'a', weight: 1, cap: 3 },
          { id: 'b', weight: 1 },
        ]),
      ),
    ).toEqual({ a: 3, b: 4, c: 3 });
  });

  it('reports the remainder as unallocated when every line is capped', () => {
    const result = allocateWithCaps(1000, [
      { id: 'a', weight: 1, cap: 100 },
      { id: 'b', weight: 5, cap: 200 },
      { id: 'z', weight: 0 },
    ]);
    expect(result).toMatchObject({ allocated: 300, unallocated: 700 });
    expect(amounts(result)).toEqual({ a: 100, b: 200, z: 0 });
  });

  it('does not mark a cap as applied when the quota lands exactly on it', () => {
    const result = allocateWithCaps(100, [
      { id: 'a', weight: 1, cap: 50 },
      { id: 'b', weight: 1 },
    ]);
    expect(result.lines[0]).toEqual({ id: 'a', amount: 50, cap: 50, capApplied: false });
  });

  it('holds a zero cap at zero', () => {
    expect(
      allocateWithCaps(10, [
        { id: 'a', weight: 1, cap: 0 },
        { id: 'b', weight: 1 },
      ]).lines,
    ).toEqual([
      { id: 'a', amount: 0, cap: 0, capApplied: true },
      { id: 'b', amount: 10, cap: null, capApplied: false },
    ]);
  });

  it('rejects a cap that is not a fen amount', () => {
    expect(() => allocateWithCaps(10, [{ id: 'a', weight: 1, cap: 1.5 }])).toThrow(/cap of a/);
  });
});
