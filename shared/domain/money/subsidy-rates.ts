/**
 * The yearly subsidy per resident over time (Shenzhen measures: 120 yuan a year "in 2017"): a
 * district keeps a list of rates, each in force from its `from` date until the next one. A
 * settlement pays day by day at the rate in force on that day.
 */
import { addDays } from '../dates.ts';
import type { Fen } from './fen.ts';

export interface SubsidyRate {
  /** first day in force, YYYY-MM-DD */
  from: string;
  perYearFen: Fen;
}

function sorted(rates: readonly SubsidyRate[]): SubsidyRate[] {
  return [...rates].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** The rate in force on a date; 0 before the first rate. */
export function subsidyRateOn(rates: readonly SubsidyRate[], date: string): Fen {
  let rate = 0;
  for (const r of sorted(rates)) {
    if (r.from <= date) rate = r.perYearFen;
    else break;
  }
  return rate;
}

/** The stretches of [start, end] (inclusive) with one rate each, in date order. */
export function rateSegments(rates: readonly SubsidyRate[], start: string, end: string): { start: string; end: string; perYearFen: Fen }[] {
  const segments: { start: string; end: string; perYearFen: Fen }[] = [];
  const changes = sorted(rates).filter((r) => r.from > start && r.from <= end);
  let from = start;
  for (const change of changes) {
    segments.push({ start: from, end: addDays(change.from, -1), perYearFen: subsidyRateOn(rates, from) });
    from = change.from;
  }
  segments.push({ start: from, end, perYearFen: subsidyRateOn(rates, from) });
  return segments;
}
