/**
 * Every subsidy day is paid at most once: approved settlements record the date ranges of the
 * district's contract-days they paid (`PaidRange`). A later settlement whose period overlaps them
 * (an annual one over its quarters, an overlapping or corrected one) pays only the days left,
 * each at the rate in force that day.
 */
import { addDays } from '../dates.ts';
import { rateSegments, type SubsidyRate } from './subsidy-rates.ts';

export interface DateRange {
  start: string;
  end: string;
}

/**
 * Contract-days an approved settlement paid: the days of `[start, end]` of every contract whose
 * day was known (signed or renewed) after `from` and at or before `until` (ISO instants; absent:
 * open). See ./contract-paid-days.ts.
 */
export interface PaidRange extends DateRange {
  settlementId: string;
  period: string;
  from?: string;
  until?: string;
}

/** The parts of `range` (inclusive) that none of `taken` covers, in date order. */
export function subtractRanges(range: DateRange, taken: readonly DateRange[]): DateRange[] {
  const sorted = [...taken].filter((t) => t.end >= range.start && t.start <= range.end).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const left: DateRange[] = [];
  let from = range.start;
  for (const t of sorted) {
    if (t.start > from) left.push({ start: from, end: addDays(t.start, -1) < range.end ? addDays(t.start, -1) : range.end });
    if (t.end >= from) from = addDays(t.end, 1);
    if (from > range.end) return left;
  }
  if (from <= range.end) left.push({ start: from, end: range.end });
  return left;
}

/** The stretches of the period still to be paid, each with the rate in force. */
export function payableSegments(
  period: DateRange,
  rates: readonly SubsidyRate[],
  alreadyPaid: readonly DateRange[],
): { start: string; end: string; perYearFen: number }[] {
  return subtractRanges(period, alreadyPaid).flatMap((range) => rateSegments(rates, range.start, range.end));
}
