/** Which runs a period close starts (shared/domain/period-close.ts). */
import { describe, expect, it } from 'vitest';
import {
  type CriteriaSummary,
  type DistrictRunState,
  decidePeriodClose,
  hasPeriodEnded,
  periodCloseRunId,
  periodsClosedAt,
} from '#shared/domain/period-close.ts';

const quarterly = (version: number, status: CriteriaSummary['status'] = 'published'): CriteriaSummary => ({ version, periodType: 'quarter', status });
const yearly = (version: number): CriteriaSummary => ({ version, periodType: 'year', status: 'published' });
const district = (districtId: string, criteria: CriteriaSummary[], runs: DistrictRunState['runs'] = []): DistrictRunState => ({ districtId, criteria, runs });

describe('periodsClosedAt', () => {
  it('counts in China time: 02:00 on 1 April in Beijing (still 31 March in UTC) closes the first quarter', () => {
    expect(periodsClosedAt(new Date('2026-04-01T02:00:00+08:00'))).toEqual(['2026Q1']);
    // one hour before midnight in Beijing the first quarter is still open
    expect(periodsClosedAt(new Date('2026-03-31T23:00:00+08:00'))).toEqual(['2025Q4', '2025']);
  });

  it('closes the year with its fourth quarter at New Year', () => {
    expect(periodsClosedAt(new Date('2027-01-01T02:00:00+08:00'))).toEqual(['2026Q4', '2026']);
  });

  it('names the quarter before the current one whenever it is asked', () => {
    expect(periodsClosedAt(new Date('2026-08-15T12:00:00Z'))).toEqual(['2026Q2']);
    expect(periodsClosedAt(new Date('2026-10-01T00:00:00+08:00'))).toEqual(['2026Q3']);
  });
});

describe('hasPeriodEnded', () => {
  it('is true from midnight after the last day, in China time', () => {
    expect(hasPeriodEnded('2026Q3', new Date('2026-09-30T23:59:59+08:00'))).toBe(false);
    expect(hasPeriodEnded('2026Q3', new Date('2026-10-01T00:00:00+08:00'))).toBe(true);
    expect(hasPeriodEnded('2026', new Date('2026-12-31T12:00:00+08:00'))).toBe(false);
    expect(hasPeriodEnded('2026', new Date('2027-01-01T00:00:00+08:00'))).toBe(true);
  });

  it('is false for what is not a period', () => {
    expect(hasPeriodEnded('2026Q5', new Date('2030-01-01T00:00:00Z'))).toBe(false);
    expect(hasPeriodEnded('2026-Q3', new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('decidePeriodClose', () => {
  it('starts a run with the newest published version of the period type', () => {
    const decisions = decidePeriodClose(['2026Q3'], [district('a', [quarterly(1), quarterly(3), quarterly(4, 'draft'), yearly(5)])]);
    expect(decisions).toEqual([{ districtId: 'a', period: '2026Q3', action: 'start', criteriaVersion: 3 }]);
  });

  it('uses year criteria for a year and quarter criteria for a quarter', () => {
    const decisions = decidePeriodClose(['2026Q4', '2026'], [district('a', [quarterly(1), yearly(2)]), district('b', [quarterly(1)])]);
    expect(decisions).toEqual([
      { districtId: 'a', period: '2026Q4', action: 'start', criteriaVersion: 1 },
      { districtId: 'a', period: '2026', action: 'start', criteriaVersion: 2 },
      { districtId: 'b', period: '2026Q4', action: 'start', criteriaVersion: 1 },
      { districtId: 'b', period: '2026', action: 'skip', reason: 'no-published-criteria' },
    ]);
  });

  it('skips a district without published criteria', () => {
    expect(decidePeriodClose(['2026Q3'], [district('a', [quarterly(1, 'draft')]), district('b', [])])).toEqual([
      { districtId: 'a', period: '2026Q3', action: 'skip', reason: 'no-published-criteria' },
      { districtId: 'b', period: '2026Q3', action: 'skip', reason: 'no-published-criteria' },
    ]);
  });

  it('skips a period that already has a run of any version and status, and looks only at that period', () => {
    const runs = [
      { evaluationId: 'eval-x', period: '2026Q3', criteriaVersion: 1, status: 'failed' as const },
      { evaluationId: 'eval-y', period: '2026Q2', criteriaVersion: 2, status: 'completed' as const },
    ];
    expect(decidePeriodClose(['2026Q3', '2026Q2', '2026Q1'], [district('a', [quarterly(2)], runs)])).toEqual([
      { districtId: 'a', period: '2026Q3', action: 'skip', reason: 'already-run' },
      { districtId: 'a', period: '2026Q2', action: 'skip', reason: 'already-run' },
      { districtId: 'a', period: '2026Q1', action: 'start', criteriaVersion: 2 },
    ]);
  });

  it('starts its own run again while it is queued (written, maybe never launched), and not once it runs', () => {
    const own = (status: 'queued' | 'running') => [{ evaluationId: periodCloseRunId('a', '2026Q3', 1), period: '2026Q3', criteriaVersion: 1, status }];
    // version 2 was published since: the queued run keeps its version
    expect(decidePeriodClose(['2026Q3'], [district('a', [quarterly(1), quarterly(2)], own('queued'))])).toEqual([
      { districtId: 'a', period: '2026Q3', action: 'start', criteriaVersion: 1 },
    ]);
    expect(decidePeriodClose(['2026Q3'], [district('a', [quarterly(1)], own('running'))])).toEqual([
      { districtId: 'a', period: '2026Q3', action: 'skip', reason: 'already-run' },
    ]);
    // an evaluator's queued run is theirs to look after
    const evaluators = [{ evaluationId: 'eval-by-hand', period: '2026Q3', criteriaVersion: 1, status: 'queued' as const }];
    expect(decidePeriodClose(['2026Q3'], [district('a', [quarterly(1)], evaluators)])[0]).toMatchObject({ action: 'skip', reason: 'already-run' });
  });
});

describe('periodCloseRunId', () => {
  it('is the same for the same district, period and version, and differs when any of them does', () => {
    const id = periodCloseRunId('haidian', '2026Q3', 3);
    expect(periodCloseRunId('haidian', '2026Q3', 3)).toBe(id);
    expect(
      new Set([id, periodCloseRunId('haidian', '2026Q2', 3), periodCloseRunId('haidian', '2026Q3', 4), periodCloseRunId('chaoyang', '2026Q3', 3)]).size,
    ).toBe(4);
  });

  it('is a valid run id and execution name however long the district id', () => {
    for (const districtId of ['ab', 'a'.repeat(64)]) {
      const id = periodCloseRunId(districtId, '2026', 12);
      expect(id).toMatch(/^eval-close-[0-9a-z]{16}$/);
      expect(id.length).toBeLessThanOrEqual(64);
    }
  });
});

describe('decidePeriodClose after the data deadline', () => {
  const criteria = [{ version: 1, periodType: 'quarter' as const, status: 'published' as const }];
  it('skips a period until its deadline (10 days after its end by default, or the district setting) has passed', () => {
    // 2026Q3 ends on 30 September; the deadline passes at midnight after 10 October, in China
    const before = new Date('2026-10-10T23:59:59+08:00');
    const after = new Date('2026-10-11T00:00:00+08:00');
    expect(decidePeriodClose(['2026Q3'], [{ districtId: 'a', criteria, runs: [] }], before)).toEqual([
      { districtId: 'a', period: '2026Q3', action: 'skip', reason: 'deadline-not-passed' },
    ]);
    expect(decidePeriodClose(['2026Q3'], [{ districtId: 'a', criteria, runs: [] }], after)).toEqual([
      { districtId: 'a', period: '2026Q3', action: 'start', criteriaVersion: 1 },
    ]);
    // a district with a 3-day deadline is ready on 4 October
    expect(decidePeriodClose(['2026Q3'], [{ districtId: 'b', criteria, runs: [], dataDeadlineDays: 3 }], new Date('2026-10-04T00:00:00+08:00'))).toEqual([
      { districtId: 'b', period: '2026Q3', action: 'start', criteriaVersion: 1 },
    ]);
  });
});
