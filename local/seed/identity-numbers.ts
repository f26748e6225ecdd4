/**
 * Synthetic resident identity numbers: valid GB 11643 check characters, so they pass the same
 * validation as real ones, but obviously fictional: the address code starts with 99, which
 * is no province.
 */
import { checkCharacter } from '#shared/domain/identity-number.ts';

export const FICTIONAL_ADDRESS_CODE = '990108';

export function fictionalIdentityNumber(birthDate: string, sequence: number): string {
  const first17 = `${FICTIONAL_ADDRESS_CODE}${birthDate.replaceAll('-', '')}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}
