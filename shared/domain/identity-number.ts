/**
 * Resident identity numbers (GB 11643-1999): 6-digit address code, 8-digit birth date,
 * 3-digit sequence, and an ISO 7064 MOD 11-2 check character. The address code starts with a
 * province-level code of GB/T 2260; the demo's fictional numbers start with 99, which is none,
 * and are accepted only where the deployment says it is a demo.
 */
import { isValidIsoDate } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

export type IdentityNumberProblem = 'format' | 'province' | 'birth-date' | 'check-digit';

/** Province-level divisions of GB/T 2260 (mainland, Taiwan 71, Hong Kong 81, Macao 82). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  ...['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82'],
]);
/** The address prefix of the demo district's fictional residents (local/seed, tests). */
const DEMO_PROVINCE_CODE = '99';

export interface IdentityNumberRules {
  /** a demo deployment also accepts the fictional 99… numbers */
  demo?: boolean;
}

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

export function birthDateOf(identityNumber: string): string {
  return `${identityNumber.slice(6, 10)}-${identityNumber.slice(10, 12)}-${identityNumber.slice(12, 14)}`;
}

/** Returns the first problem found, or null when the number is valid. */
export function identityNumberProblem(value: string, today: string, rules: IdentityNumberRules = {}): IdentityNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
  const province = value.slice(0, 2);
  if (!PROVINCE_CODES.has(province) && !(rules.demo && province === DEMO_PROVINCE_CODE)) return 'province';
  const birth = birthDateOf(value);
  if (!isValidIsoDate(birth) || birth > today || birth < '1900-01-01') return 'birth-date';
  if (checkCharacter(value.slice(0, 17)) !== value[17]) return 'check-digit';
  return null;
}

/** Drops the spaces people type to group the digits and upper-cases a trailing x (the standard's check character). */
export function normaliseIdentityNumber(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** The display form common on Chinese forms: first 3 and last 4 characters, birth date hidden. */
export function maskIdentityNumber(value: string): string {
  return `${value.slice(0, 3)}${'*'.repeat(11)}${value.slice(14)}`;
}
