/** Subsidy days paid per contract (issue 13, rule 7): when a contract's days became known, and the pieces approvals record. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '#shared/domain/dates.ts';
import { contractPayableDays, knownSegments, piecesAfterApproval, termsAsOf } from '#shared/domain/money/contract-paid-days.ts';
import type { PaidRange } from '#shared/domain/money/subsidy-days.ts';

const RATE = [{ from: '1900-01-01', perYearFen: 12_000 }];

describe('when the days of a contract became known', () => {
  const renewed = {
    startDate: '2025-03-01',
    endDate: '2027-02-28',
    signedAt: '2025-02-20T09:00:00.000Z',
    renewedEnds: ['2026-02-28'],
    renewedAt: ['2026-03-15T10:00:00.000Z'],
  };

  it('the first term from the signing, the days a renewal added from the renewal', () => {
    expect(knownSegments(renewed)).toEqual([
      { start: '2025-03-01', end: '2026-02-28', since: '2025-02-20T09:00:00.000Z' },
      { start: '2026-03-01', end: '2027-02-28', since: '2026-03-15T10:00:00.000Z' },
    ]);
    // a renewal recorded before renewal times were kept counts as known at signing
    expect(knownSegments({ ...renewed, renewedAt: undefined })[1]!.since).toBe(renewed.signedAt);
  });

  it('the registry as it stood at an instant: a later signing absent, a later renewal undone', () => {
    expect(termsAsOf(renewed, '2025-02-01T00:00:00.000Z')).toBeNull();
    expect(termsAsOf(renewed, '2026-03-01T00:00:00.000Z')).toMatchObject({ endDate: '2026-02-28', renewedEnds: [] });
    expect(termsAsOf(renewed, '2026-03-15T10:00:00.000Z')).toBe(renewed);
  });
});

describe('pieces of paid contract-days', () => {
  const q3 = { start: '2026-07-01', end: '2026-09-30' };
  const year = { start: '2026-01-01', end: '2026-12-31' };

  it('an annual settlement after a quarter: the quarter days only for contracts known after the quarter was computed', () => {
    const quarter = piecesAfterApproval([], { settlementId: 'q', period: '2026Q3', range: q3, asOf: 't1', correctionOf: null });
    expect(quarter).toEqual([{ ...q3, settlementId: 'q', period: '2026Q3', until: 't1' }]);
    const both = piecesAfterApproval(quarter, { settlementId: 'y', period: '2026', range: year, asOf: 't3', correctionOf: null });
    expect(both.slice(1)).toEqual([
      { start: '2026-01-01', end: '2026-06-30', settlementId: 'y', period: '2026', until: 't3' },
      { ...q3, settlementId: 'y', period: '2026', from: 't1', until: 't3' },
      { start: '2026-10-01', end: '2026-12-31', settlementId: 'y', period: '2026', until: 't3' },
    ]);
    // a contract known at t0 (before the quarter): its Q3 paid by the quarter; one known at t2: by the year
    const early = contractPayableDays({ startDate: '2026-01-01', endDate: '2026-12-31', signedAt: 't0' }, year, RATE, quarter);
    expect(early.paidBy).toEqual([{ settlementId: 'q', period: '2026Q3', contractDays: 92 }]);
    const late = contractPayableDays({ startDate: '2026-01-01', endDate: '2026-12-31', signedAt: 't2' }, year, RATE, quarter);
    expect(late.paidBy).toEqual([]);
    expect(late.payable.reduce((n, s) => n + (Date.parse(s.end) - Date.parse(s.start)) / 86_400_000 + 1, 0)).toBe(365);
  });

  it('ranges recorded before contracts were tracked (no window) count as paid for every contract', () => {
    const legacy: PaidRange[] = [{ ...q3, settlementId: 'old', period: '2026Q3' }];
    const late = contractPayableDays({ startDate: '2026-01-01', endDate: '2026-12-31', signedAt: '2030-01-01T00:00:00.000Z' }, year, RATE, legacy);
    expect(late.paidBy).toEqual([{ settlementId: 'old', period: '2026Q3', contractDays: 92 }]);
    expect(piecesAfterApproval(legacy, { settlementId: 'y', period: '2026', range: year, asOf: 't', correctionOf: null }).slice(1)).toEqual([
      { start: '2026-01-01', end: '2026-06-30', settlementId: 'y', period: '2026', until: 't' },
      { start: '2026-10-01', end: '2026-12-31', settlementId: 'y', period: '2026', until: 't' },
    ]);
  });

  /**
   * A model of ten days and a few contracts: random approvals (each over a random range, computed
   * at a later instant than the last, some correcting an earlier live one over its range). Each approval pays
   * what contractPayableDays says; afterwards every contract-day that a live settlement covered
   * while the contract was known is paid by exactly one live piece, every other by none, and the
   * days paid by live settlements add up to exactly those.
   */
  it('as a property: every contract-day paid by at most one live settlement, and none lost', () => {
    const days = Array.from({ length: 10 }, (_, i) => addDays('2026-05-01', i));
    const instant = (n: number) => `t${String(n).padStart(3, '0')}`;
    const contract = fc.record({ first: fc.nat(9), length: fc.integer({ min: 1, max: 10 }), since: fc.nat(40) });
    const approval = fc.record({ first: fc.nat(9), length: fc.integer({ min: 1, max: 10 }), corrects: fc.option(fc.nat(10), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(contract, { minLength: 1, maxLength: 4 }), fc.array(approval, { minLength: 1, maxLength: 6 }), (contracts, approvals) => {
        const terms = contracts.map((c) => ({
          startDate: days[c.first]!,
          endDate: days[Math.min(9, c.first + c.length - 1)]!,
          signedAt: instant(c.since),
        }));
        let pieces: PaidRange[] = [];
        const live: { id: string; range: { start: string; end: string }; asOf: string; paid: number }[] = [];
        approvals.forEach((a, i) => {
          const asOf = instant(5 + i * 7);
          const target = a.corrects === undefined || live.length === 0 ? null : live[a.corrects % live.length]!;
          // a correction is over the period of the settlement it corrects
          const range = target?.range ?? { start: days[a.first]!, end: days[Math.min(9, a.first + a.length - 1)]! };
          const settlementId = `s${i}`;
          const counted = pieces.filter((p) => p.settlementId !== target?.id);
          let paid = 0;
          for (const t of terms) {
            if (t.signedAt > asOf) continue; // the registry as of the computation
            for (const s of contractPayableDays(t, range, RATE, counted).payable) paid += (Date.parse(s.end) - Date.parse(s.start)) / 86_400_000 + 1;
          }
          pieces = piecesAfterApproval(pieces, { settlementId, period: 'p', range, asOf, correctionOf: target?.id ?? null });
          if (target) live.splice(live.indexOf(target), 1);
          live.push({ id: settlementId, range, asOf, paid });
        });
        let covered = 0;
        for (const t of terms) {
          for (const day of days.filter((d) => d >= t.startDate && d <= t.endDate)) {
            const payers = pieces.filter(
              (p) => p.start <= day && day <= p.end && (p.from === undefined || t.signedAt > p.from) && (p.until === undefined || t.signedAt <= p.until),
            );
            const due = live.some((s) => s.range.start <= day && day <= s.range.end && t.signedAt <= s.asOf);
            expect(payers.length).toBe(due ? 1 : 0);
            if (due) covered++;
          }
        }
        expect(live.reduce((n, s) => n + s.paid, 0)).toBe(covered);
      }),
      { numRuns: 300 },
    );
  });
});
