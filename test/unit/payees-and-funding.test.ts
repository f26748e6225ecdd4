/** Credit codes (GB 32100), account masking, the payee cipher, and funding-source splits to the fen. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fundingTotals, splitFunding, validateFundingSources } from '#shared/domain/money/funding-sources.ts';
import { CREDIT_CODE_CHARSET, creditCodeCheckCharacter, creditCodeProblem, maskAccountNumber, normaliseAccountNumber } from '#shared/domain/payees.ts';
import { payeeCipher } from '#shared/security/payee-cipher.ts';

describe('unified social credit codes', () => {
  it('accepts published codes and computes their check character', () => {
    // the code printed on the sample business licence of GB 32100-2015's explanation
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull();
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('refuses a wrong check character, lower case, forbidden letters and other lengths', () => {
    expect(creditCodeProblem('91350100M000100Y44')).toBe('check');
    expect(creditCodeProblem('91350100m000100y43')).toBe('shape');
    expect(creditCodeProblem('91350100M000100I43')).toBe('shape');
    expect(creditCodeProblem('91350100M000100Y4')).toBe('shape');
  });

  it('detects every single-character change (MOD 31 over a 31-character set)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 17, maxLength: 17 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 30 }),
        (digits, at, shift) => {
          const body = digits.map((d) => CREDIT_CODE_CHARSET[d]).join('');
          const code = body + creditCodeCheckCharacter(body);
          expect(creditCodeProblem(code)).toBeNull();
          const changed = [...digits];
          changed[at] = (changed[at]! + shift) % 31;
          const altered = changed.map((d) => CREDIT_CODE_CHARSET[d]).join('') + code[17];
          expect(creditCodeProblem(altered)).toBe('check');
        },
      ),
    );
  });
});

describe('account numbers', () => {
  it('are normalised to digits and masked to their last four', () => {
    expect(normaliseAccountNumber('6222 0202-0000 1234 567')).toBe('6222020200001234567');
    expect(() => normaliseAccountNumber('1234')).toThrow(/8 to 32 digits/);
    expect(maskAccountNumber('4567')).toBe('**** **** 4567');
  });

  it('are encrypted: not readable, bound to the institution, different each time', () => {
    const cipher = payeeCipher(Buffer.alloc(32, 9));
    const a = cipher.encrypt('6222020200001234567', 'inst-1');
    const b = cipher.encrypt('6222020200001234567', 'inst-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('6222020200001234567');
    expect(cipher.decrypt(a, 'inst-1')).toBe('6222020200001234567');
    expect(() => cipher.decrypt(a, 'inst-2')).toThrow();
    expect(() => payeeCipher(Buffer.alloc(32, 8)).decrypt(a, 'inst-1')).toThrow();
  });
});

describe('funding sources', () => {
  const sources = [
    { code: 'insurance-fund', name: '医保基金', incentiveShare: '0', subsidyShare: '70' },
    { code: 'public-health', name: '基本公共卫生经费', incentiveShare: '100', subsidyShare: '20' },
    { code: 'residents', name: '居民个人', incentiveShare: '0', subsidyShare: '10' },
  ];

  it('splits a line exactly: 12,345 fen of subsidy 70/20/10 is 8,641.5 / 2,469 / 1,234.5 → 8,642 / 2,469 / 1,234', () => {
    // remainders .5 (insurance), 0 (public health), .5 (residents): the tie goes to the larger weight
    expect(splitFunding(sources, { incentiveFen: 1001, subsidyFen: 12_345 })).toEqual([
      { source: 'insurance-fund', incentiveFen: 0, subsidyFen: 8642 },
      { source: 'public-health', incentiveFen: 1001, subsidyFen: 2469 },
      { source: 'residents', incentiveFen: 0, subsidyFen: 1234 },
    ]);
  });

  it('keeps every line and every source total exact', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ incentiveFen: fc.integer({ min: 0, max: 10_000_000 }), subsidyFen: fc.integer({ min: 0, max: 10_000_000 }) }), { maxLength: 30 }),
        (lines) => {
          const parts = lines.map((l) => splitFunding(sources, l));
          parts.forEach((p, i) => {
            expect(p.reduce((s, x) => s + x.incentiveFen, 0)).toBe(lines[i]!.incentiveFen);
            expect(p.reduce((s, x) => s + x.subsidyFen, 0)).toBe(lines[i]!.subsidyFen);
          });
          const totals = fundingTotals(sources, parts);
          expect(totals.reduce((s, t) => s + t.totalFen, 0)).toBe(lines.reduce((s, l) => s + l.incentiveFen + l.subsidyFen, 0));
          expect(totals[0]!.incentiveFen).toBe(0);
        },
      ),
    );
  });

  it('refuses duplicate codes and a stream no source pays', () => {
    expect(() => validateFundingSources([sources[0]!, sources[0]!], { incentiveFen: 0, subsidyFen: 1 })).toThrow(/named twice/);
    expect(() => validateFundingSources([sources[0]!], { incentiveFen: 5, subsidyFen: 1 })).toThrow(/incentiveShare/);
    expect(() => validateFundingSources([sources[0]!], { incentiveFen: 0, subsidyFen: 1 })).not.toThrow();
  });
});
