/** Results over time (shared/domain/trends.ts): the periods before one, a team's trend rows, a period's distribution of totals. */
import { describe, expect, it } from 'vitest';
import { distributionOf, previousPeriods, teamTrend } from '#shared/domain/trends.ts';
import { finalizationCandidates } from '#shared/domain/period-lifecycle.ts';

describe('trends', () => {
  it('names the four periods before a quarter or a year, oldest first, across year ends', () => {
    expect(previousPeriods('2026Q2')).toEqual(['2025Q2', '2025Q3', '2025Q4', '2026Q1']);
    expect(previousPeriods('2026Q4')).toEqual(['2025Q4', '2026Q1', '2026Q2', '2026Q3']);
    expect(previousPeriods('2026')).toEqual(['2022', '2023', '2024', '2025']);
    expect(previousPeriods('2026Q5')).toEqual([]);
  });

  it("lays out a team's total and indicator contributions per period, marking periods without results and indicators not scored", () => {
    const indicator = (code: string, contribution: string, status: 'scored' | 'insufficient' = 'scored') => ({ code, contribution, status });
    const trend = teamTrend(
      [
        { period: '2026Q1', score: { total: '71.50', indicators: [indicator('a', '41.5'), indicator('b', '30')] } },
        { period: '2026Q2', score: null },
        { period: '2026Q3', score: { total: '80.00', indicators: [indicator('a', '80'), indicator('b', '0', 'insufficient')] } },
        // an indicator added later is absent before
        { period: '2026Q4', score: { total: null, indicators: [indicator('c', '12.345')] } },
      ],
      ['a', 'b', 'c'],
    );
    expect(trend.periods).toEqual([
      { period: '2026Q1', hasResults: true },
      { period: '2026Q2', hasResults: false },
      { period: '2026Q3', hasResults: true },
      { period: '2026Q4', hasResults: true },
    ]);
    expect(trend.total).toEqual(['71.50', null, '80.00', null]);
    expect(trend.indicators).toEqual([
      { code: 'a', cells: ['41.50', null, '80.00', null] },
      { code: 'b', cells: ['30.00', null, null, null] },
      { code: 'c', cells: [null, null, null, '12.35'] },
    ]);
  });

  it('gives teams, mean, interpolated quartiles and grade counts of the totals; nothing for a period without results', () => {
    const d = distributionOf('2026Q3', ['95', '85.5', '72', '61', '40', null]);
    expect(d).toEqual({
      period: '2026Q3',
      hasResults: true,
      teams: 6,
      scored: 5,
      mean: '70.70',
      q1: '61.00',
      median: '72.00',
      q3: '85.50',
      grades: { A: 1, B: 1, C: 1, D: 1, E: 1 },
    });
    // interpolated between neighbours: [10, 20, 30, 40] → 17.5, 25, 32.5
    expect(distributionOf('2026Q2', ['40', '10', '30', '20'])).toMatchObject({ q1: '17.50', median: '25.00', q3: '32.50', mean: '25.00' });
    expect(distributionOf('2026Q1', ['66'])).toMatchObject({ q1: '66.00', median: '66.00', q3: '66.00', grades: { D: 1 } });
    expect(distributionOf('2026Q4', [null, null])).toMatchObject({ hasResults: true, teams: 2, scored: 0, mean: null, median: null });
    expect(distributionOf('2025Q4', null)).toMatchObject({ hasResults: false, teams: 0, mean: null, grades: { A: 0, B: 0, C: 0, D: 0, E: 0 } });
  });
});

describe('finalisation candidates', () => {
  it('are the last four quarters and the last year that have ended in China', () => {
    expect(finalizationCandidates(new Date('2026-10-21T02:00:00+08:00'))).toEqual(['2026Q3', '2026Q2', '2026Q1', '2025Q4', '2025']);
    // 31 December 20:00 UTC is already 1 January in China
    expect(finalizationCandidates(new Date('2026-12-31T20:00:00Z'))).toEqual(['2026Q4', '2026Q3', '2026Q2', '2026Q1', '2026']);
  });
});
