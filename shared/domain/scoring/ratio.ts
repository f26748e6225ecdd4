/**
 * Exact rational numbers for scoring: no binary floating point ever decides a result.
 *
 * Numerator and denominator are kept as safe-integer Numbers while they fit (the common case,
 * and fast) and switch to BigInt as soon as an intermediate would not fit; every operation is
 * exact either way. Invariants: the denominator is positive and the fraction is reduced, and
 * both parts are Numbers or both are BigInts.
 */
type Int = number | bigint;

const MAX_EXPONENT = 400;

/** A decimal literal: optional sign, digits with an optional fraction, optional exponent. */
export const DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function gcd(a: number, b: number): number {
  let x = a < 0 ? -a : a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

function gcdBig(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** floor(t / u) for safe integers, u > 0; `%` on doubles is exact, so this is too. */
function floorDiv(t: number, u: number): number {
  const r = t % u;
  const q = (t - r) / u;
  return r < 0 ? q - 1 : q;
}

function floorDivBig(t: bigint, u: bigint): bigint {
  const q = t / u;
  return t % u < 0n ? q - 1n : q;
}

const big = (x: Int): bigint => (typeof x === 'bigint' ? x : BigInt(x));
const isSafe = Number.isSafeInteger;

export class Ratio {
  readonly num: Int;
  readonly den: Int;

  private constructor(num: Int, den: Int) {
    this.num = num;
    this.den = den;
  }

  /** From safe integers; reduces. `den` must be positive. */
  private static small(num: number, den: number): Ratio {
    if (num === 0) return ZERO;
    if (den === 1) return new Ratio(num, 1);
    const g = gcd(num, den);
    return g === 1 ? new Ratio(num, den) : new Ratio(num / g, den / g);
  }

  /** From BigInts; reduces and goes back to Numbers when both parts fit. */
  private static big(num: bigint, den: bigint): Ratio {
    if (den < 0n) return Ratio.big(-num, -den);
    if (den === 0n) throw new RangeError('Division by zero');
    const g = gcdBig(num, den);
    const n = g === 1n ? num : num / g;
    const d = g === 1n ? den : den / g;
    const nn = Number(n);
    const dn = Number(d);
    if (isSafe(nn) && isSafe(dn)) return Ratio.small(nn, dn);
    return new Ratio(n, d);
  }

  static of(num: Int, den: Int = 1): Ratio {
    if (typeof num === 'number' && typeof den === 'number' && isSafe(num) && isSafe(den)) {
      if (den === 0) throw new RangeError('Division by zero');
      return den < 0 ? Ratio.small(-num, -den) : Ratio.small(num, den);
    }
    if (typeof num === 'number' && !isSafe(num)) throw new RangeError(`Not a safe integer: ${num}`);
    if (typeof den === 'number' && !isSafe(den)) throw new RangeError(`Not a safe integer: ${den}`);
    return Ratio.big(big(num), big(den));
  }

  /**
   * An exact decimal from a decimal string or a number. A number is read through its shortest
   * round-trip decimal string (String(0.09) is "0.09"), which is the value the author wrote.
   */
  static decimal(input: number | string): Ratio {
    if (typeof input === 'number') {
      if (isSafe(input)) return Ratio.small(input, 1);
      if (!Number.isFinite(input)) throw new RangeError(`Not a finite number: ${input}`);
      return Ratio.decimal(String(input));
    }
    const text = input.trim();
    if (!DECIMAL_PATTERN.test(text)) throw new RangeError(`Not a decimal number: "${input}"`);
    const negative = text.startsWith('-');
    const unsigned = text.replace(/^[+-]/, '');
    const [mantissa = '', exponentText] = unsigned.split(/[eE]/);
    const [whole = '', fraction = ''] = mantissa.split('.');
    const exponent = Number(exponentText ?? 0) - fraction.length;
    if (Math.abs(exponent) > MAX_EXPONENT) throw new RangeError(`Exponent out of range: "${input}"`);
    const digits = (whole + fraction).replace(/^0+(?=\d)/, '') || '0';
    if (digits.length <= 15 && Math.abs(exponent) <= 15) {
      const n = (negative ? -1 : 1) * Number(digits);
      return exponent >= 0 ? Ratio.small(n * 10 ** exponent, 1) : Ratio.small(n, 10 ** -exponent);
    }
    const n = (negative ? -1n : 1n) * BigInt(digits);
    return exponent >= 0 ? Ratio.big(n * 10n ** BigInt(exponent), 1n) : Ratio.big(n, 10n ** BigInt(-exponent));
  }

  /** Reads `toString()` output ("n" or "n/d") or any decimal literal. */
  static parse(text: string): Ratio {
    const slash = text.indexOf('/');
    if (slash < 0) return Ratio.decimal(text);
    const numText = text.slice(0, slash);
    const denText = text.slice(slash + 1);
    if (!/^-?\d+$/.test(numText) || !/^\d+$/.test(denText)) throw new RangeError(`Not a fraction: "${text}"`);
    const n = Number(numText);
    const d = Number(denText);
    return isSafe(n) && isSafe(d) ? Ratio.of(n, d) : Ratio.of(BigInt(numText), BigInt(denText));
  }

  get isSmall(): boolean {
    return typeof this.num === 'number';
  }

  sign(): -1 | 0 | 1 {
    const n = this.num;
    if (typeof n === 'number') return n > 0 ? 1 : n < 0 ? -1 : 0;
    return n > 0n ? 1 : n < 0n ? -1 : 0;
  }

  isZero(): boolean {
    return this.sign() === 0;
  }

  neg(): Ratio {
    if (this.isZero()) return this;
    return typeof this.num === 'number' ? new Ratio(-this.num, this.den) : new Ratio(-this.num, this.den);
  }

  add(other: Ratio): Ratio {
    const an = this.num;
    const ad = this.den;
    const bn = other.num;
    const bd = other.den;
    if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number') {
      if (ad === bd) {
        const s = an + bn;
        if (isSafe(s)) return Ratio.small(s, ad);
      } else {
        const x = an * bd;
        const y = bn * ad;
        const d = ad * bd;
        const s = x + y;
        if (isSafe(x) && isSafe(y) && isSafe(d) && isSafe(s)) return Ratio.small(s, d);
      }
    }
    return Ratio.big(big(an) * big(bd) + big(bn) * big(ad), big(ad) * big(bd));
  }

  sub(other: Ratio): Ratio {
    return this.add(other.neg());
  }

  mul(other: Ratio): Ratio {
    const an = this.num;
    const ad = this.den;
    const bn = other.num;
    const bd = other.den;
    if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number') {
      if (an === 0 || bn === 0) return ZERO;
      // cross-reduce first so the products stay small
      const g1 = gcd(an, bd);
      const g2 = gcd(bn, ad);
      const n = (an / g1) * (bn / g2);
      const d = (ad / g2) * (bd / g1);
      if (isSafe(n) && isSafe(d)) return new Ratio(n, d);
    }
    return Ratio.big(big(an) * big(bn), big(ad) * big(bd));
  }

  div(other: Ratio): Ratio {
    if (other.isZero()) throw new RangeError('Division by zero');
    return this.mul(other.reciprocal());
  }

  reciprocal(): Ratio {
    if (this.isZero()) throw new RangeError('Division by zero');
    return Ratio.of(this.den, this.num);
  }

  cmp(other: Ratio): -1 | 0 | 1 {
    const an = this.num;
    const ad = this.den;
    const bn = other.num;
    const bd = other.den;
    if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number') {
      if (ad === bd) return an < bn ? -1 : an > bn ? 1 : 0;
      const x = an * bd;
      const y = bn * ad;
      if (isSafe(x) && isSafe(y)) return x < y ? -1 : x > y ? 1 : 0;
    }
    const x = big(an) * big(bd);
    const y = big(bn) * big(ad);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  eq(other: Ratio): boolean {
    return this.cmp(other) === 0;
  }
  lt(other: Ratio): boolean {
    return this.cmp(other) < 0;
  }
  le(other: Ratio): boolean {
    return this.cmp(other) <= 0;
  }
  gt(other: Ratio): boolean {
    return this.cmp(other) > 0;
  }
  ge(other: Ratio): boolean {
    return this.cmp(other) >= 0;
  }

  /** floor(this) as an integer (Number when safe, else BigInt). */
  floor(): Int {
    const n = this.num;
    const d = this.den;
    if (typeof n === 'number' && typeof d === 'number') return floorDiv(n, d);
    const q = floorDivBig(big(n), big(d));
    return isSafe(Number(q)) ? Number(q) : q;
  }

  /**
   * Round half up to `decimals` places and return the scaled integer: floor(x × 10^k + 1/2).
   * "Half up" here means ties go towards +∞ (5.5 → 6, −5.5 → −5); every rounded quantity in
   * scoring is non-negative, where this is the ordinary commercial rule.
   */
  roundedScaled(decimals: number): Int {
    const n = this.num;
    const d = this.den;
    if (typeof n === 'number' && typeof d === 'number') {
      const scaled = n * 10 ** decimals;
      const t = 2 * scaled + d;
      const u = 2 * d;
      if (decimals <= 15 && isSafe(scaled) && isSafe(t) && isSafe(u)) return floorDiv(t, u);
    }
    const q = floorDivBig(2n * big(n) * 10n ** BigInt(decimals) + big(d), 2n * big(d));
    return isSafe(Number(q)) ? Number(q) : q;
  }

  /** Round half up to a whole number (the CMS "round"). */
  roundHalfUp(): Ratio {
    return Ratio.of(this.roundedScaled(0));
  }

  /** Rounded half up to exactly `decimals` places, e.g. "82.0000". */
  toFixed(decimals: number): string {
    return formatScaled(this.roundedScaled(decimals), decimals);
  }

  /** Rounded half up to at most `decimals` places, trailing zeros dropped ("60", "62.5"). */
  toDecimal(decimals = 4): string {
    return trimZeros(this.toFixed(decimals));
  }

  /** Exact text, "n" or "n/d"; `Ratio.parse` reads it back. */
  toString(): string {
    return typeof this.den === 'number' && this.den === 1 ? `${this.num}` : `${this.num}/${this.den}`;
  }

  /** Nearest double; only for estimates whose error is bounded by the caller. */
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  toJSON(): string {
    return this.toString();
  }
}

export const ZERO: Ratio = Ratio.of(0);
export const ONE: Ratio = Ratio.of(1);
export const HUNDRED: Ratio = Ratio.of(100);

/** "1234" with 2 decimals → "12.34"; handles the sign and leading zeros. */
export function formatScaled(scaled: Int, decimals: number): string {
  const negative = typeof scaled === 'number' ? scaled < 0 : scaled < 0n;
  const digits = (negative ? -big(scaled) : scaled).toString();
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const text = `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

export function trimZeros(fixed: string): string {
  if (!fixed.includes('.')) return fixed;
  const trimmed = fixed.replace(/\.?0+$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

export function sum(parts: readonly Ratio[]): Ratio {
  let total = ZERO;
  for (const part of parts) total = total.add(part);
  return total;
}

export function max(a: Ratio, b: Ratio): Ratio {
  return a.ge(b) ? a : b;
}

// A sum of a few values ≤ 100 estimated in doubles is off by far less than this; see sumRounded.
const ROUNDING_MARGIN = 1e-7;

/**
 * Σ parts, rounded half up to `decimals` places, exactly. The parts are added as doubles first;
 * only when that estimate lies within a hair of a rounding boundary is the sum redone in exact
 * arithmetic (whose denominators can grow large), so the answer is always the exact one.
 */
export function sumRounded(parts: readonly Ratio[], decimals: number): string {
  let estimate = 0;
  for (const part of parts) estimate += part.toNumber();
  const shifted = estimate * 10 ** decimals + 0.5;
  const floor = Math.floor(shifted);
  const fraction = shifted - floor;
  if (fraction > ROUNDING_MARGIN && fraction < 1 - ROUNDING_MARGIN && Math.abs(shifted) < 2 ** 40) {
    return formatScaled(floor, decimals);
  }
  return sum(parts).toFixed(decimals);
}

/**
 * Exact sum of many values (e.g. a district's top decile): values are grouped by denominator
 * and the numerators added first, so the slow general additions happen once per distinct
 * denominator rather than once per value.
 */
export function sumMany(values: readonly Ratio[]): Ratio {
  const byDenominator = new Map<number | string, Int>();
  for (const value of values) {
    const key = typeof value.den === 'number' ? value.den : value.den.toString();
    const previous = byDenominator.get(key);
    if (previous === undefined) {
      byDenominator.set(key, value.num);
    } else if (typeof previous === 'number' && typeof value.num === 'number' && isSafe(previous + value.num)) {
      byDenominator.set(key, previous + value.num);
    } else {
      byDenominator.set(key, big(previous) + big(value.num));
    }
  }
  let total = ZERO;
  for (const [den, num] of byDenominator) total = total.add(Ratio.of(num, typeof den === 'string' ? BigInt(den) : den));
  return total;
}
