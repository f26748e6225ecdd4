/**
 * Exact rational numbers for scoring: no binary floating point ever decides a result.
 *
 * Numerator and denominator are kept as safe-integer Numbers while they fit (the common case,
 * and fast) and switch to BigInt as soon as an intermediate would not fit; every operation is
 * exact either way. Invariants: the denominator is positive and the fraction is reduced, and
 * both parts are Numbers or both are BigInts.
 */
import { scanDigits, scannedDigits } from '../exact/decimal-text.ts';
import { gcd, gcdBig, POW10_DOUBLES } from '../exact/integers.ts';

type Int = number | bigint;

const MAX_EXPONENT = 400;

const POW10 = POW10_DOUBLES;

/** A decimal literal: optional sign, digits with an optional fraction, optional exponent. */
export const DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const TWO_52 = 2 ** 52;

/** floor(t / u) for safe integers, u > 0. */
function floorDiv(t: number, u: number): number {
  if (t < TWO_52 && t > -TWO_52 && u < TWO_52) {
    // t/u is correctly rounded, so its floor is off by at most one; q × u stays exact here
    const q = Math.floor(t / u);
    const r = t - q * u;
    return r < 0 ? q - 1 : r >= u ? q + 1 : q;
  }
  // `%` on doubles is exact, so this is too
  const r = t % u;
  const q = (t - r) / u;
  return r < 0 ? q - 1 : q;
}

function floorDivBig(t: bigint, u: bigint): bigint {
  const q = t / u;
  return t % u < 0n ? q - 1n : q;
}

const big = (x: Int): bigint => (typeof x === 'bigint' ? x : BigInt(x));

function isIntegerText(text: string, signed: boolean): boolean {
  const start = signed && text.charCodeAt(0) === 45 ? 1 : 0;
  if (text.length === start) return false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Where shortFraction's scans land: read right away, never held across a call. */
const scan = scannedDigits();

/**
 * "n", "n/d" or "n.fff" with at most 15 digits per part, read exactly in one pass without
 * slicing; null for anything else (the general parser then decides). This is the hot path.
 */
function shortFraction(text: string): Ratio | null {
  const length = text.length;
  const negative = text.charCodeAt(0) === 45;
  const { units, digits, places, end } = scanDigits(text, negative ? 1 : 0, scan);
  if (digits === 0 || digits > 15 || places === 0) return null;
  const num = negative ? -units : units;
  if (end === length) return places > 0 ? Ratio.of(num, POW10[places] as number) : Ratio.of(num);
  if (places >= 0 || text.charCodeAt(end) !== 47) return null;
  let den = 0;
  let denDigits = 0;
  for (let i = end + 1; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    den = den * 10 + (c - 48);
    denDigits++;
  }
  if (denDigits === 0 || denDigits > 15 || den === 0) return null;
  return Ratio.of(num, den);
}

const isSafe = Number.isSafeInteger;
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Whether a product or sum of safe integers was computed exactly: the exact result is an integer,
 * and it is exact as a double exactly when its magnitude is at most 2^53 − 1 (a larger exact result
 * rounds to at least 2^53, so it is caught).
 */
const fits = (x: number): boolean => x <= SAFE && x >= -SAFE;

export class Ratio {
  declare readonly num: Int;
  declare readonly den: Int;

  private constructor(num: Int, den: Int) {
    this.num = num;
    this.den = den;
  }

  /** From safe integers; reduces. `den` must be positive. */
  private static small(num: number, den: number): Ratio {
    if (num === 0 || den === 1) return new Ratio(num === 0 ? 0 : num, 1);
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
    const fast = input.indexOf('/') < 0 ? shortFraction(input) : null;
    if (fast) return fast;
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
      if (exponent < 0) return Ratio.small(n, POW10[-exponent] as number);
      const scaled = n * (POW10[exponent] as number);
      if (fits(scaled)) return Ratio.small(scaled, 1);
    }
    const n = (negative ? -1n : 1n) * BigInt(digits);
    return exponent >= 0 ? Ratio.big(n * 10n ** BigInt(exponent), 1n) : Ratio.big(n, 10n ** BigInt(-exponent));
  }

  /** Reads `toString()` output ("n" or "n/d") or any decimal literal. */
  static parse(text: string): Ratio {
    const fast = shortFraction(text);
    if (fast) return fast;
    const slash = text.indexOf('/');
    if (slash < 0) return Ratio.decimal(text);
    const numText = text.slice(0, slash);
    const denText = text.slice(slash + 1);
    if (!isIntegerText(numText, true) || !isIntegerText(denText, false)) throw new RangeError(`Not a fraction: "${text}"`);
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

  /** a/b + c/d on safe integers, or null when an intermediate would not fit. */
  private static addSmall(an: number, ad: number, bn: number, bd: number): Ratio | null {
    if (ad === bd) {
      const s = an + bn;
      return fits(s) ? Ratio.small(s, ad) : null;
    }
    // a/b + c: gcd(a + cb, b) = gcd(a, b) = 1, so (a + cb)/b is already reduced
    if (bd === 1) {
      const s = an + bn * ad;
      return fits(s) ? new Ratio(s, ad) : null;
    }
    if (ad === 1) {
      const s = an * bd + bn;
      return fits(s) ? new Ratio(s, bd) : null;
    }
    const x = an * bd;
    const y = bn * ad;
    const d = ad * bd;
    const s = x + y;
    return fits(x) && fits(y) && fits(d) && fits(s) ? Ratio.small(s, d) : null;
  }

  add(other: Ratio): Ratio {
    const an = this.num;
    const ad = this.den;
    const bn = other.num;
    const bd = other.den;
    if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number') {
      const r = Ratio.addSmall(an, ad, bn, bd);
      if (r) return r;
    }
    return Ratio.big(big(an) * big(bd) + big(bn) * big(ad), big(ad) * big(bd));
  }

  sub(other: Ratio): Ratio {
    const an = this.num;
    const ad = this.den;
    const bn = other.num;
    const bd = other.den;
    if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number') {
      const r = Ratio.addSmall(an, ad, -bn, bd);
      if (r) return r;
    }
    return Ratio.big(big(an) * big(bd) - big(bn) * big(ad), big(ad) * big(bd));
  }

  /** (a/b) × (c/d) on safe integers, cross-reduced first so the products stay small. */
  private static mulSmall(an: number, ad: number, bn: number, bd: number): Ratio | null {
    if (an === 0 || bn === 0) return ZERO;
    const g1 = bd === 1 ? 1 : gcd(an, bd);
    const g2 = ad === 1 ? 1 : gcd(bn, ad);
    const n = (an / g1) * (bn / g2);
    const d = (ad / g2) * (bd / g1);
    return fits(n) && fits(d) ? new Ratio(n, d) : null;
  }

  mul(other: Ratio): Ratio {
    const an = this.num;
    const ad = this.den;
    const bn = other.num;
    const bd = other.den;
    if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number') {
      const r = Ratio.mulSmall(an, ad, bn, bd);
      if (r) return r;
    }
    return Ratio.big(big(an) * big(bn), big(ad) * big(bd));
  }

  div(other: Ratio): Ratio {
    if (other.isZero()) throw new RangeError('Division by zero');
    const an = this.num;
    const ad = this.den;
    const bn = other.num;
    const bd = other.den;
    if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number') {
      // a/b ÷ c/d = (a × d)/(b × c), keeping the denominator positive
      const r = bn > 0 ? Ratio.mulSmall(an, ad, bd, bn) : Ratio.mulSmall(-an, ad, bd, -bn);
      if (r) return r;
    }
    return Ratio.big(big(an) * big(bd), big(ad) * big(bn));
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
      if (fits(x) && fits(y)) return x < y ? -1 : x > y ? 1 : 0;
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
    if (typeof n === 'number' && typeof d === 'number' && decimals <= 15) {
      const scaled = n * (POW10[decimals] as number);
      if (d === 1 && fits(scaled)) return scaled;
      const t = 2 * scaled + d;
      const u = 2 * d;
      if (fits(scaled) && fits(t) && fits(u)) return floorDiv(t, u);
    }
    const q = floorDivBig(2n * big(n) * 10n ** BigInt(decimals) + big(d), 2n * big(d));
    return isSafe(Number(q)) ? Number(q) : q;
  }

  /**
   * Rounded half up to `fine` and to `coarse` (< fine) places in one division. With
   * q = ⌊x × 10^fine⌋, rounding to coarse places is ⌊(q + 10^(fine−coarse)/2) / 10^(fine−coarse)⌋
   * exactly: the dropped fraction of x × 10^fine is below 1, so it never carries past a multiple.
   */
  toFixedPair(fine: number, coarse: number): [string, string] {
    const n = this.num;
    const d = this.den;
    if (typeof n === 'number' && typeof d === 'number' && fine <= 15 && coarse < fine) {
      const scaled = n * (POW10[fine] as number);
      if (fits(scaled)) {
        const q = floorDiv(scaled, d);
        const r = scaled - q * d;
        const step = POW10[fine - coarse] as number;
        return [formatScaled(2 * r >= d ? q + 1 : q, fine), formatScaled(floorDiv(q + step / 2, step), coarse)];
      }
    }
    return [this.toFixed(fine), this.toFixed(coarse)];
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

  /**
   * Exact text that `Ratio.parse` reads back: a decimal when the value has a finite decimal
   * expansion ("82", "82.5"), else a reduced fraction ("100/3").
   */
  toString(): string {
    const places = decimalPlaces(this.den);
    if (places === 0) return `${this.num}`;
    return places === null ? `${this.num}/${this.den}` : this.toFixed(places);
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
export const HUNDRED: Ratio = Ratio.of(100);

/** Decimal places of 1/den when den = 2^a × 5^b (max(a, b)), else null. */
function decimalPlaces(den: Int): number | null {
  if (typeof den === 'bigint') {
    let d = den;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) {
      d /= 2n;
      twos++;
    }
    while (d % 5n === 0n) {
      d /= 5n;
      fives++;
    }
    return d === 1n ? Math.max(twos, fives) : null;
  }
  let d = den;
  let twos = 0;
  let fives = 0;
  while (d % 2 === 0) {
    d /= 2;
    twos++;
  }
  while (d % 5 === 0) {
    d /= 5;
    fives++;
  }
  return d === 1 ? Math.max(twos, fives) : null;
}

// Zero-padded fraction digits for 1–4 decimals, built on first use (formatting is a hot path).
const FRACTION_TABLES: string[][] = [];

function fractionDigits(fraction: number, decimals: number): string {
  if (decimals > 4) return `${fraction + (POW10[decimals] as number)}`.slice(1);
  let table = FRACTION_TABLES[decimals];
  if (!table) {
    const unit = POW10[decimals] as number;
    // fraction + 10^k has exactly k + 1 digits: drop the leading 1 to get the zero-padded fraction
    table = Array.from({ length: unit }, (_, f) => `${f + unit}`.slice(1));
    FRACTION_TABLES[decimals] = table;
  }
  return table[fraction] as string;
}

/** "1234" with 2 decimals → "12.34"; handles the sign and leading zeros. */
export function formatScaled(scaled: Int, decimals: number): string {
  if (typeof scaled === 'number' && decimals <= 15) {
    if (decimals === 0) return `${scaled}`;
    const unit = POW10[decimals] as number;
    const magnitude = scaled < 0 ? -scaled : scaled;
    const whole = floorDiv(magnitude, unit);
    const text = `${whole}.${fractionDigits(magnitude - whole * unit, decimals)}`;
    return scaled < 0 ? `-${text}` : text;
  }
  const negative = typeof scaled === 'number' ? scaled < 0 : scaled < 0n;
  const digits = (negative ? -big(scaled) : scaled).toString();
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const text = `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

export function trimZeros(fixed: string): string {
  if (fixed.indexOf('.') < 0) return fixed;
  let end = fixed.length;
  while (fixed.charCodeAt(end - 1) === 48) end--;
  if (fixed.charCodeAt(end - 1) === 46) end--;
  const trimmed = end === fixed.length ? fixed : fixed.slice(0, end);
  return trimmed === '-0' ? '0' : trimmed;
}

export function sum(parts: readonly Ratio[]): Ratio {
  let total = ZERO;
  for (const part of parts) total = total.add(part);
  return total;
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
