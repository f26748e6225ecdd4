/**
 * Payees: who a district pays for an institution. An institution is identified to the finance
 * bureau by its unified social credit code (GB 32100-2015): 18 characters from the 31-character
 * set 0-9 and A-Y without I, O, S, V and Z; the last is a MOD 31 check character over the first 17
 * (weights 3^i mod 31: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; check = 31 − Σ mod 31,
 * 31 read as 0). Bank account numbers are sensitive: shown masked (the last four digits), stored
 * encrypted (shared/security/payee-cipher.ts), in full only in the payment file of an approved
 * settlement.
 */
import { DomainError } from './errors.ts';

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_CODE_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The check character of the first 17 characters of a unified social credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('A credit code body has 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`${first17[i]} is not a credit code character`);
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** Why a credit code is not valid, or null when it is. Lower-case letters are not accepted: the code is printed upper-case. */
export function creditCodeProblem(code: string): 'shape' | 'check' | null {
  if (!CREDIT_CODE_SHAPE.test(code)) return 'shape';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'check';
}

/** A bank account number as stored: digits only (spaces and hyphens as typed are removed), 8 to 32 of them. */
export function normaliseAccountNumber(input: string): string {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d{8,32}$/.test(digits)) {
    throw new DomainError('invalid', 'invalid-account-number', 'A bank account number has 8 to 32 digits', { field: 'body.accountNumber' });
  }
  return digits;
}

/** "**** **** 1234": only the last four digits, never the length. */
export function maskAccountNumber(lastFour: string): string {
  return `**** **** ${lastFour}`;
}

export interface PayeeDetails {
  creditCode: string;
  accountName: string;
  bank: string;
  /** the budget subject (预算科目) the payment is booked to, e.g. "2100408 基本公共卫生服务" */
  budgetSubject: string;
}

/** Validates the details of a payee; the credit code problem names its field. */
export function validatePayee(details: PayeeDetails): void {
  const problem = creditCodeProblem(details.creditCode);
  if (problem === 'shape') {
    throw new DomainError(
      'invalid',
      'invalid-credit-code',
      'A unified social credit code has 18 characters: digits and upper-case letters without I, O, S, V, Z',
      {
        field: 'body.creditCode',
      },
    );
  }
  if (problem === 'check') {
    throw new DomainError(
      'invalid',
      'credit-code-check',
      `The check character of ${details.creditCode} is wrong (GB 32100): expected ${creditCodeCheckCharacter(details.creditCode.slice(0, 17))}`,
      {
        field: 'body.creditCode',
        expected: creditCodeCheckCharacter(details.creditCode.slice(0, 17)),
      },
    );
  }
}
