/**
 * Money is an integer number of fen (1 yuan = 100 fen), kept inside the safe-integer range so
 * that every amount is exact. No floating-point money anywhere.
 */
import { invalidMoneyInput } from './money-errors.ts';

export type Fen = number;

export const MAX_FEN: Fen = Number.MAX_SAFE_INTEGER;

export interface FenOptions {
  /** Refunds and corrections may be negative; amounts to pay never are. */
  allowNegative?: boolean;
}

export function isFen(value: unknown, options: FenOptions = {}): value is Fen {
  return Number.isSafeInteger(value) && (options.allowNegative === true || (value as number) >= 0);
}

export function assertFen(value: unknown, label = 'amount', options: FenOptions = {}): asserts value is Fen {
  if (!isFen(value, options)) {
    const range = options.allowNegative ? 'a safe integer' : 'a non-negative safe integer';
    throw invalidMoneyInput('invalid-fen', `${label} must be ${range} number of fen`, { field: label, value: String(value) });
  }
}

/** Converts an exact result back to fen, refusing anything outside the safe range. */
export function fenFromBigInt(value: bigint, label = 'amount'): Fen {
  if (value > BigInt(MAX_FEN) || value < -BigInt(MAX_FEN)) {
    throw invalidMoneyInput('fen-out-of-range', `${label} exceeds the safe range of fen`, { field: label, value: value.toString() });
  }
  return Number(value);
}

export function sumFen(amounts: Iterable<Fen>, label = 'sum'): Fen {
  let total = 0n;
  for (const amount of amounts) {
    assertFen(amount, label, { allowNegative: true });
    total += BigInt(amount);
  }
  return fenFromBigInt(total, label);
}

/** 123456 → "1,234.56"; -5 → "-0.05". */
export function formatYuan(fen: Fen): string {
  assertFen(fen, 'amount', { allowNegative: true });
  const digits = String(fen < 0 ? -fen : fen).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${groupThousands(digits.slice(0, -2))}.${digits.slice(-2)}`;
}

/** formatYuan for exact intermediate amounts, which may lie outside the safe range. */
export function formatYuanOfBigInt(fen: bigint): string {
  const digits = (fen < 0n ? -fen : fen).toString().padStart(3, '0');
  return `${fen < 0n ? '-' : ''}${groupThousands(digits.slice(0, -2))}.${digits.slice(-2)}`;
}

/** "1234567" → "1,234,567"; "1234.5" → "1,234.5" */
export function groupThousands(decimal: string): string {
  const dot = decimal.indexOf('.');
  const end = dot < 0 ? decimal.length : dot;
  // the same as /\B(?=(\d{3})+(?!\d))/g on the whole part: a comma before each later group of three digits
  let digitsEnd = 0;
  while (digitsEnd < end && isDigit(decimal.charCodeAt(digitsEnd))) digitsEnd++;
  if (digitsEnd !== end || (dot >= 0 && decimal.indexOf('.', dot + 1) >= 0)) return groupThousandsByPattern(decimal);
  if (end <= 3) return decimal;
  let grouped = decimal.slice(0, end % 3 || 3);
  for (let i = end % 3 || 3; i < end; i += 3) grouped += `,${decimal.slice(i, i + 3)}`;
  return dot < 0 ? grouped : grouped + decimal.slice(dot);
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The general form, for whole parts that are not plain digits (a sign, for example). */
function groupThousandsByPattern(decimal: string): string {
  const [whole = '', fraction] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const YUAN_PATTERN = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** "1,234.56" → 123456. Accepts grouped or plain whole yuan and at most two decimals (jiao, fen). */
export function parseYuan(text: string): Fen {
  const match = YUAN_PATTERN.exec(text.trim());
  if (!match) {
    throw invalidMoneyInput('invalid-yuan', 'Use yuan with at most two decimals, e.g. 1,234.56', { value: text });
  }
  const [, sign, whole = '0', fraction = ''] = match;
  const fen = BigInt(whole.replaceAll(',', '')) * 100n + BigInt(fraction.padEnd(2, '0'));
  return fenFromBigInt(sign && fen !== 0n ? -fen : fen, 'yuan');
}
