import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ratio, sumRounded } from '#shared/domain/scoring/index.ts';

/** Reference: the same value as a BigInt pair, compared by cross-multiplication. */
const sameValue = (r: Ratio, n: bigint, d: bigint): boolean => BigInt(r.num) * d === n * BigInt(r.den);

/** floor(n/d × 10^k + 1/2) in BigInt, the definition of half-up rounding. */
function referenceRounded(n: bigint, d: bigint, k: number): bigint {
  const t = 2n * n * 10n ** BigInt(k) + d;
  const u = 2n * d;
  const q = t / u;
  return t % u < 0n ? q - 1n : q;
}

// numerators and denominators large enough to push products past 2^53 and back
const bigInt = fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n });
const smallInt = fc.integer({ min: -1_000_000, max: 1_000_000 });
const numerator = fc.oneof(smallInt.map(BigInt), bigInt);
const denominator = fc.oneof(fc.integer({ min: 1, max: 1_000_000 }).map(BigInt), fc.bigInt({ min: 1n, max: 2n ** 60n }));

describe('Ratio: exact decimals', () => {
  it('reads numbers through their shortest decimal form', () => {
    expect(Ratio.decimal(0.09).toString()).toBe('0.09');
    expect(Ratio.decimal(0.1).add(Ratio.decimal(0.2)).eq(Ratio.decimal('0.3'))).toBe(true);
    expect(Ratio.decimal(1e-7).eq(Ratio.of(1, 10_000_000))).toBe(true);
    expect(Ratio.decimal('62.5').toString()).toBe('62.5');
    expect(Ratio.decimal('-.5').toString()).toBe('-0.5');
    expect(Ratio.decimal('1.5e3').toString()).toBe('1500');
    expect(Ratio.decimal('0.000').toString()).toBe('0');
  });

  it('reads long decimals exactly through BigInt', () => {
    const r = Ratio.decimal('12345678901234567890.123456789');
    expect(r.toString()).toBe('12345678901234567890.123456789');
    expect(r.isSmall).toBe(false);
    expect(Ratio.decimal('999999999999999e15').toString()).toBe('999999999999999000000000000000');
    expect(Ratio.decimal(1e21).toString()).toBe('1000000000000000000000');
  });

  it('reads any decimal literal exactly', () => {
    const literal = fc.record({
      negative: fc.boolean(),
      whole: fc.stringMatching(/^\d{1,25}$/),
      fraction: fc.stringMatching(/^\d{0,20}$/),
      exponent: fc.option(fc.integer({ min: -30, max: 30 })),
    });
    fc.assert(
      fc.property(literal, ({ negative, whole, fraction, exponent }) => {
        const text = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}${exponent === null ? '' : `e${exponent}`}`;
        const digits = BigInt(whole + fraction) * (negative ? -1n : 1n);
        const e = (exponent ?? 0) - fraction.length;
        const [n, d] = e >= 0 ? [digits * 10n ** BigInt(e), 1n] : [digits, 10n ** BigInt(-e)];
        expect(sameValue(Ratio.decimal(text), n, d)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects what is not a finite decimal', () => {
    expect(() => Ratio.decimal('abc')).toThrow(RangeError);
    expect(() => Ratio.decimal('1,5')).toThrow(RangeError);
    expect(() => Ratio.decimal(Number.NaN)).toThrow(RangeError);
    expect(() => Ratio.decimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => Ratio.decimal('1e999')).toThrow(RangeError);
    expect(() => Ratio.parse('1/0')).toThrow(RangeError);
  });

  it('writes finite decimals as decimals and the rest as reduced fractions', () => {
    expect(Ratio.of(165, 2).toString()).toBe('82.5');
    expect(Ratio.of(100, 3).toString()).toBe('100/3');
    expect(Ratio.of(-6, 4).toString()).toBe('-1.5');
    expect(Ratio.of(7, 1).toString()).toBe('7');
    expect(Ratio.parse('100/3').eq(Ratio.of(200, 6))).toBe(true);
  });

  it('rounds half up, ties towards +∞', () => {
    expect(Ratio.decimal('2.5').roundHalfUp().toString()).toBe('3');
    expect(Ratio.decimal('2.4999').roundHalfUp().toString()).toBe('2');
    expect(Ratio.decimal('-2.5').roundHalfUp().toString()).toBe('-2');
    // 1.005 is 1.00499999999999989… as a double; exactly it rounds up
    expect(Ratio.decimal('1.005').toFixed(2)).toBe('1.01');
    expect(Ratio.of(100, 3).toFixed(4)).toBe('33.3333');
    expect(Ratio.of(200, 3).toFixed(4)).toBe('66.6667');
    expect(Ratio.of(-1, 8).toFixed(2)).toBe('-0.12');
    expect(Ratio.decimal('0.04').toFixed(1)).toBe('0.0');
    expect(Ratio.decimal('62.5').toDecimal()).toBe('62.5');
  });

  it('switches to BigInt past 2^53 and back when the result fits again', () => {
    const max = Ratio.of(Number.MAX_SAFE_INTEGER);
    const past = max.add(Ratio.of(1));
    expect(past.isSmall).toBe(false);
    expect(past.toString()).toBe('9007199254740992');
    const back = past.sub(Ratio.of(1));
    expect(back.isSmall).toBe(true);
    expect(back.eq(max)).toBe(true);
    const product = Ratio.of(2 ** 40, 3).mul(Ratio.of(2 ** 40, 5));
    expect(product.toString()).toBe(`${2n ** 80n}/15`);
  });

  it('add, sub, mul, div and cmp agree with BigInt arithmetic', () => {
    fc.assert(
      fc.property(numerator, denominator, numerator, denominator, (an, ad, bn, bd) => {
        const a = Ratio.of(an, ad);
        const b = Ratio.of(bn, bd);
        expect(sameValue(a.add(b), an * bd + bn * ad, ad * bd)).toBe(true);
        expect(sameValue(a.sub(b), an * bd - bn * ad, ad * bd)).toBe(true);
        expect(sameValue(a.mul(b), an * bn, ad * bd)).toBe(true);
        if (bn !== 0n) {
          const [n, d] = bn < 0n ? [-an * bd, -ad * bn] : [an * bd, ad * bn];
          expect(sameValue(a.div(b), n, d)).toBe(true);
        }
        const x = an * bd;
        const y = bn * ad;
        expect(a.cmp(b)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('toFixed and parse(toString) are exact', () => {
    fc.assert(
      fc.property(numerator, denominator, fc.integer({ min: 0, max: 8 }), (n, d, k) => {
        const r = Ratio.of(n, d);
        expect(BigInt(r.roundedScaled(k))).toBe(referenceRounded(n, d, k));
        expect(Ratio.parse(r.toString()).eq(r)).toBe(true);
        expect(Ratio.parse(r.toFixed(k)).eq(Ratio.of(referenceRounded(n, d, k), 10n ** BigInt(k)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('decides exact half-way sums, which doubles get wrong either way, exactly', () => {
    // parts that add up to exactly m/200, a tie at 2 decimals whenever m is odd
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 1, max: 997 }), (m, a, b) => {
        const total = Ratio.of(m, 200);
        const first = Ratio.of(a, b * 1000);
        const parts = [first, total.sub(first)];
        expect(sumRounded(parts, 2)).toBe(total.toFixed(2));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sumRounded: one exact rounding of a sum', () => {
  it('rounds exact ties up even where doubles would not', () => {
    expect(sumRounded([Ratio.decimal('0.125')], 2)).toBe('0.13');
    expect(sumRounded([Ratio.of(1, 16), Ratio.of(1, 16)], 2)).toBe('0.13');
    expect(sumRounded([Ratio.decimal('1.004'), Ratio.decimal('0.001')], 2)).toBe('1.01');
    expect(sumRounded([Ratio.of(100, 3), Ratio.of(200, 3)], 2)).toBe('100.00');
    expect(sumRounded([], 2)).toBe('0.00');
  });

  it('always equals the exact sum rounded half up', () => {
    const part = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 10_000 }));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const ratios = parts.map(([n, d]) => Ratio.of(n, d));
        const exact = ratios.reduce((s, r) => s.add(r), Ratio.of(0));
        expect(sumRounded(ratios, 2)).toBe(exact.toFixed(2));
      }),
      { numRuns: 2000 },
    );
  });

  it('decides exact half-way sums, which doubles get wrong either way, exactly', () => {
    // parts that add up to exactly m/200, a tie at 2 decimals whenever m is odd
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 1, max: 997 }), (m, a, b) => {
        const total = Ratio.of(m, 200);
        const first = Ratio.of(a, b * 1000);
        const parts = [first, total.sub(first)];
        expect(sumRounded(parts, 2)).toBe(total.toFixed(2));
      }),
      { numRuns: 2000 },
    );
  });
});
