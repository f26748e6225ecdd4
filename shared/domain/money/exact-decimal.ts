/**
 * Exact non-negative decimals (scores, weights, percentages) as integer units over a power of
 * ten, and exact fractions for explanations. Binary floats never enter a money calculation.
 */
import { invalidMoneyInput } from './money-errors.ts';

export type DecimalInput = bigint | number | string;

/** value = units / 10^scale */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;
const MAX_DECIMAL_TEXT = 64;

/**
 * Strings are read as written ("87.50"). Numbers must print as a plain decimal (String(n)
 * without an exponent) and, when whole, be safe integers; anything else must come as a string
 * or bigint so that no digit is guessed.
 */
export function parseDecimal(value: DecimalInput, label: string, maxDecimals: number): ExactDecimal {
  const quick = quickDecimal(value, maxDecimals);
  if (quick) return quick;
  if (typeof value === 'bigint') {
    if (value < 0n) throw invalidMoneyInput('negative-value', `${label} must not be negative`, { field: label });
    return { units: value, scale: 0 };
  }
  if (typeof value === 'number' && (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))) {
    throw invalidMoneyInput('inexact-number', `${label} must be finite and exact; pass large values as a string or bigint`, {
      field: label,
    });
  }
  const text = typeof value === 'number' ? String(value) : value;
  const match = text.length <= MAX_DECIMAL_TEXT ? DECIMAL_PATTERN.exec(text) : null;
  if (!match) {
    throw invalidMoneyInput('invalid-decimal', `${label} must be a non-negative decimal such as 87.5`, { field: label, value: text });
  }
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > maxDecimals) {
    throw invalidMoneyInput('too-many-decimals', `${label} may have at most ${maxDecimals} decimals`, { field: label, value: text });
  }
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

const POW10: bigint[] = Array.from({ length: 40 }, (_, k) => 10n ** BigInt(k));

let lastQuickScale = 0;

/**
 * The common inputs read without a regular expression, a digit string or an object (the
 * allocation's hot path reads one per team): the units of a non-negative safe integer, or of a
 * text of digits with an optional fraction of 1 to `maxDecimals` digits and at most 15 digits in
 * all, with the scale in quickDecimalScale(); −1 for anything else, which parseDecimal then
 * reads (or rejects).
 */
export function quickDecimalUnits(value: unknown, maxDecimals: number): number {
  lastQuickScale = 0;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : -1;
  if (typeof value !== 'string' || value.length === 0 || value.length > 16) return -1;
  let units = 0;
  let digits = 0;
  let scale = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      units = units * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0 && digits > 0) scale = 0;
    else return -1;
  }
  if (digits > 15 || scale === 0 || scale > maxDecimals) return -1;
  lastQuickScale = scale < 0 ? 0 : scale;
  return units;
}

/** The scale of the last quickDecimalUnits result. */
export function quickDecimalScale(): number {
  return lastQuickScale;
}

function quickDecimal(value: DecimalInput, maxDecimals: number): ExactDecimal | null {
  const units = quickDecimalUnits(value, maxDecimals);
  return units < 0 ? null : { units: BigInt(units), scale: lastQuickScale };
}

export function pow10(exponent: number): bigint {
  return POW10[exponent] ?? 10n ** BigInt(exponent);
}

/** The units of `d` expressed at a larger-or-equal scale. */
export function unitsAtScale(d: ExactDecimal, scale: number): bigint {
  return scale === d.scale ? d.units : d.units * pow10(scale - d.scale);
}

export function maxScale(values: readonly ExactDecimal[]): number {
  return values.reduce((max, d) => Math.max(max, d.scale), 0);
}

export function compareDecimals(a: ExactDecimal, b: ExactDecimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = unitsAtScale(a, scale);
  const y = unitsAtScale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Prints with at least `minDecimals` decimals: {8750, 2} → "87.50". */
export function formatDecimal(d: ExactDecimal, minDecimals = 0): string {
  const scale = Math.max(d.scale, minDecimals);
  const digits = unitsAtScale(d, scale).toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  // one BigInt step brings the larger below the smaller, then safe integers take over
  if (x > SAFE && y !== 0n && y <= SAFE) [x, y] = [y, x % y];
  if (x <= SAFE && y <= SAFE) return BigInt(gcdOfSafe(Number(x), Number(y)));
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** gcd of non-negative safe integers; `%` on doubles is exact. */
function gcdOfSafe(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** A reduced fraction, "3/7", or a whole number, "4". */
export function formatFraction(numerator: bigint, denominator: bigint): string {
  if (numerator === 0n) return '0';
  if (numerator > 0n && numerator <= SAFE && denominator > 0n && denominator <= SAFE) {
    // safe integers: the same reduced fraction without BigInt arithmetic
    const n = Number(numerator);
    const d = Number(denominator);
    const divisor = gcdOfSafe(n, d);
    return d === divisor ? String(n / divisor) : `${n / divisor}/${d / divisor}`;
  }
  const divisor = gcd(numerator, denominator);
  const n = numerator / divisor;
  const d = denominator / divisor;
  return d === 1n ? n.toString() : `${n}/${d}`;
}

/** Non-negative numerator / positive denominator, rounded half up to an integer. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** A non-negative fraction as a decimal rounded half up, for display only: (1, 3, 4) → "0.3333". */
export function formatFractionAsDecimal(numerator: bigint, denominator: bigint, decimals: number): string {
  return formatDecimal({ units: divideRoundHalfUp(numerator * pow10(decimals), denominator), scale: decimals }, decimals);
}
