/** Validating an identity number from a request and turning it into the resident ref. */
import { identityNumberProblem, normaliseIdentityNumber } from '../domain/identity-number.ts';
import { todayIso } from '../domain/dates.ts';
import type { Deps } from '../deps.ts';
import { problems } from './problem.ts';

const MESSAGES = {
  format: 'Must be 17 digits followed by a digit or X',
  'birth-date': 'The birth date in the number is not a real past date',
  'check-digit': 'The check character does not match (GB 11643, ISO 7064 MOD 11-2)',
} as const;

export async function residentRefFor(
  deps: Deps,
  rawIdentityNumber: string,
  field: string,
): Promise<{ residentRef: string; identityNumber: string }> {
  const identityNumber = normaliseIdentityNumber(rawIdentityNumber);
  const problem = identityNumberProblem(identityNumber, todayIso(deps.now()));
  if (problem) throw problems.validation([{ field, message: MESSAGES[problem] }]);
  const keyer = await deps.residentKeyer();
  return { residentRef: keyer(identityNumber), identityNumber };
}
