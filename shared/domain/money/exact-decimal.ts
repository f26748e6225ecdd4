/**
 * Exact non-negative decimals (scores, weights, percentages) as integer units over a power of
 * ten, and exact fractions for explanations. Binary floats never enter a money calculation.
 */
import { type QuickDecimal, readQuickDecimal } from '../exact/decimal-text.ts';
import { gcd, gcdBig, pow10 } from '../exact/integers.ts';
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

function quickDecimal(value: DecimalInput, maxDecimals: number): ExactDecimal | null {
  const quick: QuickDecimal = { units: 0, scale: 0 };
  return readQuickDecimal(value, maxDecimals, quick) ? { units: BigInt(quick.units), scale: quick.scale } : null;
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
  const digits = unitsAtScale(d, scale)
    .toString()
    .padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A reduced fraction, "3/7", or a whole number, "4". */
export function formatFraction(numerator: bigint, denominator: bigint): string {
  if (numerator === 0n) return '0';
  if (numerator > 0n && numerator <= SAFE && denominator > 0n && denominator <= SAFE) {
    // safe integers: the same reduced fraction without BigInt arithmetic
    const n = Number(numerator);
    const d = Number(denominator);
    const divisor = gcd(n, d);
    return d === divisor ? String(n / divisor) : `${n / divisor}/${d / divisor}`;
  }
  const divisor = gcdBig(numerator, denominator);
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
