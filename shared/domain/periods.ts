/**
 * Evaluation and settlement periods: a quarter ("2026Q3") or a year ("2026").
 * Contracts run on their own dates; coverage inside a period is pro-rated by days.
 */
import { daysInclusive } from './dates.ts';

export type PeriodType = 'quarter' | 'year';
export const PERIOD_PATTERN = /^\d{4}(Q[1-4])?$/;

export interface Period {
  id: string;
  type: PeriodType;
  start: string;
  end: string;
  days: number;
}

export function parsePeriod(id: string): Period | null {
  if (!PERIOD_PATTERN.test(id)) return null;
  const year = id.slice(0, 4);
  if (id.length === 4) {
    const start = `${year}-01-01`;
    const end = `${year}-12-31`;
    return { id, type: 'year', start, end, days: daysInclusive(start, end) };
  }
  const q = Number(id[5]);
  const startMonth = (q - 1) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(Number(year), endMonth, 0)).getUTCDate();
  const start = `${year}-${String(startMonth).padStart(2, '0')}-01`;
  const end = `${year}-${String(endMonth).padStart(2, '0')}-${lastDay}`;
  return { id, type: 'quarter', start, end, days: daysInclusive(start, end) };
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

export function previousQuarter(periodId: string): string {
  const year = Number(periodId.slice(0, 4));
  const q = Number(periodId[5]);
  return q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
}

/** The period an evaluation compares with when none is given: the year or quarter before. */
export function defaultBaselinePeriod(period: string): string {
  return period.length === 4 ? String(Number(period) - 1) : previousQuarter(period);
}
