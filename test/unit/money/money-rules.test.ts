/** The pure parts of the money rules (issue 13): the signing window, the fee cap, rates over time, paid days. */
import { describe, expect, it } from 'vitest';
import { contractStartWindow, maxChargeFen } from '#shared/domain/contracts.ts';
import { payableSegments, subtractRanges } from '#shared/domain/money/subsidy-days.ts';
import { rateSegments, subsidyRateOn } from '#shared/domain/money/subsidy-rates.ts';
import { settleSubsidy } from '#shared/domain/money/subsidy.ts';

describe('contract start window', () => {
  it('runs from today − grace to today + 90 days; grace defaults to 7 and never exceeds 31', () => {
    expect(contractStartWindow('2026-11-22', undefined)).toEqual({ earliest: '2026-11-15', latest: '2027-02-20' });
    expect(contractStartWindow('2026-03-01', 31)).toEqual({ earliest: '2026-01-29', latest: '2026-05-30' });
    expect(contractStartWindow('2026-03-01', 400).earliest).toBe('2026-01-29');
  });
});

describe('most a resident may be charged', () => {
  const base = { publishedFeeFen: 20_000, subsidyPerYearFen: 12_000 };
  it('government-run: no contract service fee for the insured, personalised at most the published price', () => {
    expect(maxChargeFen({ ...base, ownership: 'government', kind: 'basic', insured: true })).toBe(0);
    expect(maxChargeFen({ ...base, ownership: 'government', kind: 'personalised', insured: true })).toBe(20_000);
  });
  it('social-run: published fee minus the subsidy, never below 0; the uninsured pay at most the published fee', () => {
    expect(maxChargeFen({ ...base, ownership: 'social', kind: 'basic', insured: true })).toBe(8_000);
    expect(maxChargeFen({ ...base, publishedFeeFen: 8_000, ownership: 'social', kind: 'personalised', insured: true })).toBe(0);
    expect(maxChargeFen({ ...base, ownership: 'social', kind: 'basic', insured: false })).toBe(20_000);
  });
});

describe('rates over time and paid days', () => {
  const rates = [
    { from: '2017-01-01', perYearFen: 12_000 },
    { from: '2026-08-01', perYearFen: 24_000 },
  ];
  it('finds the rate in force on a day and splits a period at each change', () => {
    expect(subsidyRateOn(rates, '2016-12-31')).toBe(0);
    expect(subsidyRateOn(rates, '2026-07-31')).toBe(12_000);
    expect(subsidyRateOn(rates, '2026-08-01')).toBe(24_000);
    expect(rateSegments(rates, '2026-07-01', '2026-09-30')).toEqual([
      { start: '2026-07-01', end: '2026-07-31', perYearFen: 12_000 },
      { start: '2026-08-01', end: '2026-09-30', perYearFen: 24_000 },
    ]);
  });
  it('leaves out the ranges already paid', () => {
    const year = { start: '2026-01-01', end: '2026-12-31' };
    expect(subtractRanges(year, [{ start: '2026-07-01', end: '2026-09-30' }])).toEqual([
      { start: '2026-01-01', end: '2026-06-30' },
      { start: '2026-10-01', end: '2026-12-31' },
    ]);
    expect(subtractRanges(year, [{ start: '2025-01-01', end: '2027-01-01' }])).toEqual([]);
    expect(subtractRanges({ start: '2026-07-01', end: '2026-09-30' }, [])).toEqual([{ start: '2026-07-01', end: '2026-09-30' }]);
    expect(payableSegments(year, rates, [{ start: '2026-07-01', end: '2026-09-30' }]).map((s) => [s.start, s.end, s.perYearFen])).toEqual([
      ['2026-01-01', '2026-06-30', 12_000],
      ['2026-10-01', '2026-12-31', 24_000],
    ]);
  });
  it('pays a contract day by day: one rate for the whole period gives the single-rate result', () => {
    const contracts = [
      { contractId: 'c', teamId: 't', institutionId: 'i', insured: true, startDate: '2026-01-01', endDate: '2026-12-31', status: 'active' as const },
    ];
    const period = { start: '2026-07-01', end: '2026-09-30' };
    const single = settleSubsidy({ period, yearlyRateFen: 12_000, contracts });
    const segmented = settleSubsidy({
      period,
      yearlyRateFen: 12_000,
      contracts,
      segments: payableSegments(period, [{ from: '2000-01-01', perYearFen: 12_000 }], []),
    });
    expect(segmented.subsidyFen).toBe(single.subsidyFen);
    const changed = settleSubsidy({ period, yearlyRateFen: 24_000, contracts, segments: payableSegments(period, rates, []) });
    // (12,000 × 31 + 24,000 × 61) / 365 = 5,030.14 → 5,030 fen
    expect(changed.subsidyFen).toBe(5_030);
  });
});
