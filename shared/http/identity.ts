/** Validating an identity number from a request and turning it into the resident ref. */
import { identityNumberProblem, normaliseIdentityNumber } from '../domain/identity-number.ts';
import { todayIso } from '../domain/dates.ts';
import { IDENTITY_NUMBER_MESSAGES } from '../domain/messages/identity-numbers.ts';
import type { Deps } from '../deps.ts';
import { Problem } from './problem.ts';

export async function residentRefFor(deps: Deps, rawIdentityNumber: string, field: string): Promise<{ residentRef: string; identityNumber: string }> {
  const identityNumber = normaliseIdentityNumber(rawIdentityNumber);
  const problem = identityNumberProblem(identityNumber, todayIso(deps.now()), { demo: deps.demoIdentityNumbers === true });
  if (problem) {
    const code = `identity-number-${problem}`;
    const message = IDENTITY_NUMBER_MESSAGES[code]!.en;
    // the number itself is never echoed: it is personal data
    throw new Problem(400, 'validation', 'The request is not valid', { detail: `${field}: ${message}`, code, errors: [{ field, message }] });
  }
  const keyer = await deps.residentKeyer();
  return { residentRef: keyer(identityNumber), identityNumber };
}
