/**
 * Cell values of the settlement reports, the same for XLSX and CSV: exact yuan from fen, text
 * neutralised against formula injection, display widths (CJK counts double) for column widths,
 * and the Content-Disposition of a download.
 */

/**
 * "12345.67" from 1234567 fen, "-0.05" from -5: integer division and remainder, never a
 * floating-point product (1234567 × 0.01 = 12345.670000000002).
 */
export function yuanText(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${fen} is not a whole number of fen`);
  const abs = Math.abs(fen);
  const cents = abs % 100;
  const whole = (abs - cents) / 100;
  return `${fen < 0 ? '-' : ''}${whole}.${String(cents).padStart(2, '0')}`;
}

/**
 * The yuan amount as a number for a spreadsheet cell: the double nearest to the exact decimal
 * (parsed from yuanText), so 1234567 fen is 12345.67 and prints back as "12345.67".
 */
export function yuanOf(fen: number): number {
  return Number(yuanText(fen));
}

/** "¥12,345.67": how a money cell looks with the currency format, for column widths. */
export function yuanDisplay(fen: number): string {
  const text = yuanText(fen);
  const negative = text.startsWith('-');
  const [whole = '0', cents = '00'] = (negative ? text.slice(1) : text).split('.');
  return `${negative ? '-' : ''}¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/**
 * OWASP CSV injection: a text cell that a spreadsheet could read as a formula (=, +, -, @, tab,
 * carriage return, line feed, and their full-width forms, which Apple Numbers normalises) is
 * prefixed with a single quote. Only text: numbers, negative ones included, stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Characters XML 1.0 forbids (an XLSX with one does not open), removed from XLSX text cells. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to remove
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The most characters an Excel cell holds. */
export const MAX_CELL_CHARS = 32_767;

export function xlsxText(text: string): string {
  const clean = neutralise(text).replace(XML_INVALID, '');
  return clean.length > MAX_CELL_CHARS ? clean.slice(0, MAX_CELL_CHARS) : clean;
}

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Width in character cells: CJK and full-width characters count double. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return width;
}

/** A column's width from its header and the widest sampled value, padded, within [min, max]. */
export function columnWidth(header: string, values: readonly string[], max = 50, min = 6): number {
  let widest = displayWidth(header) + 3; // the filter button sits beside the header
  for (const value of values) {
    // a multi-line value is as wide as its longest line
    for (const line of value.split('\n')) widest = Math.max(widest, displayWidth(line) + 2);
  }
  return Math.min(max, Math.max(min, widest));
}

/** RFC 5987 ext-value characters: encodeURIComponent leaves ' ( ) * which attr-char does not allow. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A file name safe in a quoted header parameter: ASCII letters, digits, dot, hyphen, underscore. */
export function asciiFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-');
}

/** `attachment` with an ASCII `filename` for old clients and the UTF-8 name in `filename*` (RFC 6266 / 5987). */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFileName(asciiFallback)}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/**
 * A moment in China Standard Time with the zone named: "2026-11-23 07:36:00 北京时间 (UTC+8)".
 * China has no daylight saving time, so the offset is fixed.
 */
export function chinaTime(at: Date | string, lang: 'zh' | 'en'): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  const local = new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  return `${local} ${lang === 'zh' ? '北京时间' : 'China Standard Time'} (UTC+8)`;
}
