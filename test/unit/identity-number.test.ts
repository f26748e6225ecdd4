import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCharacter, identityNumberProblem, maskIdentityNumber, PROVINCE_CODES } from '#shared/domain/identity-number.ts';
import { localizedMessage } from '#shared/domain/messages/index.ts';

const TODAY = '2026-11-22';

describe('GB 11643 identity numbers', () => {
  it('accepts the standard example with its check character', () => {
    // GB 11643-1999 appendix example: 11010519491231002X
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(identityNumberProblem('11010519491231002X', TODAY)).toBeNull();
  });

  it('computes a digit check character', () => {
    // the widely published sample number 440524188001010014
    expect(checkCharacter('44052418800101001')).toBe('4');
  });

  it('rejects a wrong check character, a bad birth date and a bad format', () => {
    expect(identityNumberProblem('110105194912310021', TODAY)).toBe('check-digit');
    expect(identityNumberProblem('110105194902310027', TODAY)).toBe('birth-date');
    expect(identityNumberProblem('110105209912310021', TODAY)).toBe('birth-date');
    expect(identityNumberProblem('11010519491231002', TODAY)).toBe('format');
    expect(identityNumberProblem('1101051949123100AX', TODAY)).toBe('format');
  });

  it('a changed digit is always caught by the check character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const valid = '11010519491231002X';
        const digit = (Number(valid[position]) + delta) % 10;
        const changed = valid.slice(0, position) + digit + valid.slice(position + 1);
        expect(identityNumberProblem(changed, TODAY)).not.toBeNull();
      }),
    );
  });

  it("requires a GB/T 2260 province code in the first two digits; the demo's 99… only in a demo", () => {
    const withPrefix = (prefix: string) => {
      const first17 = `${prefix}010519491231002`;
      return first17 + checkCharacter(first17);
    };
    const accepted = ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82'];
    for (const prefix of accepted) expect(identityNumberProblem(withPrefix(prefix), TODAY), prefix).toBeNull();
    for (const prefix of ['00', '10', '16', '20', '24', '30', '38', '40', '47', '55', '60', '66', '70', '72', '80', '83', '90', '99']) {
      expect(identityNumberProblem(withPrefix(prefix), TODAY), prefix).toBe('province');
    }
    expect(PROVINCE_CODES.size).toBe(34);
    expect(identityNumberProblem(withPrefix('99'), TODAY, { demo: true })).toBeNull();
    expect(identityNumberProblem(withPrefix('98'), TODAY, { demo: true })).toBe('province');
    expect(identityNumberProblem(withPrefix('11'), TODAY, { demo: true })).toBeNull();
  });

  it('has zh and en texts for every refusal', () => {
    for (const problem of ['format', 'province', 'birth-date', 'check-digit']) {
      for (const lang of ['zh', 'en'] as const) expect(localizedMessage(`identity-number-${problem}`, lang), `${problem} ${lang}`).toMatch(/\S{4}/);
    }
  });

  it('masks all but the first 3 and last 4 characters', () => {
    expect(maskIdentityNumber('11010519491231002X')).toBe('110***********002X');
  });
});
