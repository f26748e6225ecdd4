/**
 * Results over time (issue 14 item 6), computed from what the official runs stored: a team's
 * total and per-indicator contributions over its recent periods, and a district's distribution
 * of totals per period (teams, mean, quartiles, grade counts). For reading only; money never
 * depends on these figures, so plain floating point rounded for display is enough.
 */
import { type PeriodType, parsePeriod, previousQuarter } from './periods.ts';
import { gradeOf, type ResultGrade } from './result-grades.ts';

export const TREND_PERIODS = 4;

/** The `count` periods before `period`, oldest first: quarters before a quarter, years before a year. */
export function previousPeriods(period: string, count = TREND_PERIODS): string[] {
  const type: PeriodType | undefined = parsePeriod(period)?.type;
  if (!type) return [];
  const periods: string[] = [];
  let current = period;
  for (let i = 0; i < count; i++) {
    current = type === 'quarter' ? previousQuarter(current) : String(Number(current) - 1);
    periods.unshift(current);
  }
  return periods;
}

/** One period of a team as stored: null when the period has no published official results. */
export interface TeamPeriodScore {
  period: string;
  score: { total: string | null; indicators: readonly { code: string; contribution: string; status: 'scored' | 'insufficient' }[] } | null;
}

export interface TeamTrend {
  periods: { period: string; hasResults: boolean }[];
  total: (string | null)[];
  /** per indicator code (in the order given), its contribution to the total in each period; null where it was not scored */
  indicators: { code: string; cells: (string | null)[] }[];
}

const twoDecimals = (value: number) => (Math.round(value * 100) / 100).toFixed(2);

/** The rows of a team's trend table: the total and each indicator's contribution, period by period. */
export function teamTrend(scores: readonly TeamPeriodScore[], indicatorCodes: readonly string[]): TeamTrend {
  return {
    periods: scores.map((s) => ({ period: s.period, hasResults: s.score !== null })),
    total: scores.map((s) => s.score?.total ?? null),
    indicators: indicatorCodes.map((code) => ({
      code,
      cells: scores.map((s) => {
        const indicator = s.score?.indicators.find((i) => i.code === code);
        return indicator && indicator.status === 'scored' ? twoDecimals(Number(indicator.contribution)) : null;
      }),
    })),
  };
}

export interface PeriodDistribution {
  period: string;
  hasResults: boolean;
  /** teams in the official run, and those of them with a total */
  teams: number;
  scored: number;
  mean: string | null;
  q1: string | null;
  median: string | null;
  q3: string | null;
  grades: Record<ResultGrade, number>;
}

/** The p-quantile of sorted values, interpolated between neighbours (the common "type 7" definition). */
function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}

/** The distribution of one period's totals; `totals` null when the period has no published results. */
export function distributionOf(period: string, totals: readonly (string | null)[] | null): PeriodDistribution {
  const grades: Record<ResultGrade, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
  if (totals === null) return { period, hasResults: false, teams: 0, scored: 0, mean: null, q1: null, median: null, q3: null, grades };
  const values: number[] = [];
  for (const total of totals) {
    const grade = gradeOf(total);
    if (grade === null) continue;
    grades[grade] += 1;
    values.push(Number(total));
  }
  values.sort((a, b) => a - b);
  const scored = values.length;
  const stat = (compute: () => number) => (scored === 0 ? null : twoDecimals(compute()));
  return {
    period,
    hasResults: true,
    teams: totals.length,
    scored,
    mean: stat(() => values.reduce((sum, v) => sum + v, 0) / scored),
    q1: stat(() => quantile(values, 0.25)),
    median: stat(() => quantile(values, 0.5)),
    q3: stat(() => quantile(values, 0.75)),
    grades,
  };
}
