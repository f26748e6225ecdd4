/**
 * Resident identity numbers (GB 11643-1999): 6-digit address code, 8-digit birth date,
 * 3-digit sequence, and an ISO 7064 MOD 11-2 check character.
 */
import { isValidIsoDate } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

export type IdentityNumberProblem = 'format' | 'birth-date' | 'check-digit';

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

export function birthDateOf(identityNumber: string): string {
  return `${identityNumber.slice(6, 10)}-${identityNumber.slice(10, 12)}-${identityNumber.slice(12, 14)}`;
}

/** Returns the first problem found, or null when the number is valid. */
export function identityNumberProblem(value: string, today: string): IdentityNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
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
