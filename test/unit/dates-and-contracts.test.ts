import { describe, expect, it } from 'vitest';
import { addMonths, ageOn, daysInclusive, isValidIsoDate, overlapDays } from '#shared/domain/dates.ts';
import { isInForce, renewedEnd, termEnd, withDerivedKeyPopulations } from '#shared/domain/contracts.ts';
import { parsePeriod, previousQuarter, quarterOf } from '#shared/domain/periods.ts';
import { missingRequiredRoles } from '#shared/domain/teams.ts';

describe('dates', () => {
  it('validates real calendar dates only', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2025-02-29')).toBe(false);
    expect(isValidIsoDate('2025-13-01')).toBe(false);
    expect(isValidIsoDate('2025-1-01')).toBe(false);
  });

  it('adds months clamping to the last day of the month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
  });

  it('counts inclusive days and overlaps', () => {
    expect(daysInclusive('2026-07-01', '2026-09-30')).toBe(92);
    expect(overlapDays('2026-08-15', '2027-08-14', '2026-07-01', '2026-09-30')).toBe(47);
    expect(overlapDays('2025-01-01', '2025-12-31', '2026-07-01', '2026-09-30')).toBe(0);
  });

  it('computes whole years of age', () => {
    expect(ageOn('1961-11-23', '2026-11-22')).toBe(64);
    expect(ageOn('1961-11-22', '2026-11-22')).toBe(65);
  });
});

describe('periods', () => {
  it('parses quarters and years', () => {
    expect(parsePeriod('2026Q3')).toEqual({ id: '2026Q3', type: 'quarter', start: '2026-07-01', end: '2026-09-30', days: 92 });
    expect(parsePeriod('2024')).toMatchObject({ start: '2024-01-01', end: '2024-12-31', days: 366 });
    expect(parsePeriod('2026Q5')).toBeNull();
    expect(quarterOf('2026-11-22')).toBe('2026Q4');
    expect(previousQuarter('2026Q1')).toBe('2025Q4');
  });
});

describe('contract rules', () => {
  it('runs a one-year term to the day before the anniversary', () => {
    expect(termEnd('2026-03-01', 12)).toBe('2027-02-28');
    expect(renewedEnd('2027-02-28', 12)).toBe('2028-02-29');
  });

  it('derives age-based key populations from the birth date on the start date', () => {
    expect(withDerivedKeyPopulations(['diabetes'], '1950-01-01', '2026-01-01')).toEqual(['elderly-65', 'diabetes']);
    expect(withDerivedKeyPopulations(['elderly-65'], '1990-01-01', '2026-01-01')).toEqual([]);
    expect(withDerivedKeyPopulations([], '2022-06-01', '2026-01-01')).toEqual(['children-0-6']);
  });

  it('is in force only while active and inside its term', () => {
    const contract = { status: 'active' as const, startDate: '2026-01-01', endDate: '2026-12-31' };
    expect(isInForce(contract, '2026-12-31')).toBe(true);
    expect(isInForce(contract, '2027-01-01')).toBe(false);
    expect(isInForce({ ...contract, status: 'cancelled' }, '2026-06-01')).toBe(false);
  });

  it('requires a general practitioner and a community nurse', () => {
    expect(missingRequiredRoles([{ role: 'general-practitioner' }, { role: 'pharmacist' }])).toEqual(['community-nurse']);
  });
});
