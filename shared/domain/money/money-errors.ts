import { DomainError } from '../errors.ts';

/** Bad input to a money calculation; the HTTP layer maps kind 'invalid' to 400. */
export function invalidMoneyInput(code: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('invalid', code, message, details);
}
