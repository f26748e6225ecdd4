/**
 * Reading decimal texts in one pass without slicing or a regular expression: the hot path of
 * both exact-number types (scoring's Ratio, money's ExactDecimal). Results go into an object the
 * caller passes, so nothing is returned through module state.
 */

/** Digits read from a text: their value (exact while `digits` ≤ 15), and where the scan stopped. */
export interface ScannedDigits {
  units: number;
  digits: number;
  /** digits after the point; −1 without a point, 0 for a point with none after it */
  places: number;
  /** index of the first character not read */
  end: number;
}

export function scannedDigits(): ScannedDigits {
  return { units: 0, digits: 0, places: -1, end: 0 };
}

/** Digits with at most one point (not first) from text[start], up to the first other character. */
export function scanDigits(text: string, start: number, out: ScannedDigits): ScannedDigits {
  let units = 0;
  let digits = 0;
  let places = -1;
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      units = units * 10 + (c - 48);
      digits++;
      if (places >= 0) places++;
    } else if (c === 46 && places < 0 && digits > 0) places = 0;
    else break;
  }
  out.units = units;
  out.digits = digits;
  out.places = places;
  out.end = i;
  return out;
}

/** units / 10^scale */
export interface QuickDecimal {
  units: number;
  scale: number;
}

/**
 * The common inputs of a non-negative decimal, read into `out`: a non-negative safe integer, or
 * a text of digits with an optional fraction of 1 to `maxDecimals` digits and at most 15 digits
 * in all. False for anything else, which the general reader then reads (or rejects).
 */
export function readQuickDecimal(value: unknown, maxDecimals: number, out: QuickDecimal, scratch: ScannedDigits = scannedDigits()): boolean {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return false;
    out.units = value;
    out.scale = 0;
    return true;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 16) return false;
  const scan = scanDigits(value, 0, scratch);
  if (scan.end !== value.length || scan.digits > 15 || scan.places === 0 || scan.places > maxDecimals) return false;
  out.units = scan.units;
  out.scale = scan.places < 0 ? 0 : scan.places;
  return true;
}
