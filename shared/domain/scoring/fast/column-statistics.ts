/**
 * Phase 2 from value columns: the same DistrictStatistics as finaliseStatistics, plus, for each
 * relative-standing indicator, a lookup of how many teams lie below and at a value. Whole-number
 * values (counts) are sorted as doubles, which hold them exactly; anything else is sorted as
 * exact fractions.
 */
import type { ValueColumns } from './columns.ts';
import { OK } from './columns.ts';
import type { CompiledCriteria } from '../compile.ts';
import { Distribution, percentile, topDecileMean } from '../percentile.ts';
import { Ratio, sumMany } from '../ratio.ts';
import type { DistrictStatistics, IndicatorStatistics } from '../statistics.ts';

/** Teams below and equal to the value of a cell: count() sets `below` and `equal`. */
export interface StandingLookup {
  readonly size: number;
  below: number;
  equal: number;
  count(values: ValueColumns, cell: number): void;
}

const MEDIAN = Ratio.of(50);
const DERIVED_DECIMALS = 4;

function sufficientCells(columns: ValueColumns, source: number): number[] {
  const cells: number[] = [];
  for (let t = 0; t < columns.teams; t++) {
    const cell = columns.cellOf(t, source);
    if (columns.state[cell] === OK) cells.push(cell);
  }
  return cells;
}

/** Exact values of the cells, ascending: doubles first, exact comparison only where they are close. */
function sortedExact(columns: ValueColumns, cells: readonly number[]): Ratio[] {
  const entries = cells.map((cell) => ({ a: columns.approx[cell] as number, r: columns.exact(cell) }));
  entries.sort((x, y) => {
    const d = x.a - y.a;
    return Math.abs(d) > 1e-12 * (Math.abs(x.a) + Math.abs(y.a)) ? d : x.r.cmp(y.r);
  });
  return entries.map((e) => e.r);
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class WholeStanding implements StandingLookup {
  below = 0;
  equal = 0;
  readonly size: number;
  constructor(private readonly sorted: Float64Array) {
    this.size = sorted.length;
  }
  count(values: ValueColumns, cell: number): void {
    const v = values.approx[cell] as number;
    this.below = lowerBound(this.sorted, v);
    this.equal = lowerBound(this.sorted, v + 0.5) - this.below;
  }
}

class ExactStanding implements StandingLookup {
  below = 0;
  equal = 0;
  readonly size: number;
  constructor(private readonly distribution: Distribution) {
    this.size = distribution.size;
  }
  count(values: ValueColumns, cell: number): void {
    const { below, equal } = this.distribution.countAround(values.exact(cell));
    this.below = below;
    this.equal = equal;
  }
}

/**
 * The 50th percentile and best-decile mean of the cells' exact values. The doubles are sorted;
 * a correctly rounded double never reverses the order of two exact values, so only cells whose
 * doubles are equal could be out of order, and when the values the figures need share a double
 * with a different exact value the exact sort decides instead.
 */
function derivedFigures(columns: ValueColumns, cells: readonly number[], higherIsBetter: boolean): { threshold: Ratio | null; benchmark: Ratio | null } {
  const n = cells.length;
  if (n === 0) return { threshold: null, benchmark: null };
  const approx = new Float64Array(n);
  for (let c = 0; c < n; c++) approx[c] = columns.approx[cells[c] as number] as number;
  approx.sort();
  const lo = Math.floor((n - 1) / 2);
  const k = Math.ceil(n / 10);
  const edge = higherIsBetter ? (approx[n - k] as number) : (approx[k - 1] as number);
  const needed = new Set([approx[lo], approx[Math.min(lo + 1, n - 1)], edge]);
  const exactOf = new Map<number, Ratio>();
  const beyond: Ratio[] = [];
  let atEdge = 0;
  let ambiguous = false;
  for (const cell of cells) {
    const a = columns.approx[cell] as number;
    if (!columns.isRounded(cell)) ambiguous = true;
    if ((higherIsBetter && a > edge) || (!higherIsBetter && a < edge)) beyond.push(columns.exact(cell));
    if (!needed.has(a)) continue;
    if (a === edge) atEdge++;
    const exact = columns.exact(cell);
    const seen = exactOf.get(a);
    if (!seen) exactOf.set(a, exact);
    else if (!seen.eq(exact)) ambiguous = true;
  }
  if (ambiguous) {
    const sorted = sortedExact(columns, cells);
    return { threshold: percentile(sorted, MEDIAN), benchmark: topDecileMean(sorted, higherIsBetter) };
  }
  const below = exactOf.get(approx[lo] as number) as Ratio;
  const above = exactOf.get(approx[Math.min(lo + 1, n - 1)] as number) as Ratio;
  const threshold = percentile(n % 2 === 1 ? [below] : [below, above], MEDIAN);
  const edgeValue = exactOf.get(edge) as Ratio;
  const taken = k - beyond.length;
  if (taken < 1 || taken > atEdge) throw new Error('derivedFigures: inconsistent counts');
  const benchmark = sumMany(beyond)
    .add(edgeValue.mul(Ratio.of(taken)))
    .div(Ratio.of(k));
  return { threshold, benchmark };
}

/** The cells' values when all are whole numbers below 2^52 (in cell order), else null. */
function wholeValuesOf(columns: ValueColumns, cells: readonly number[]): Float64Array | null {
  const values = new Float64Array(cells.length);
  for (let c = 0; c < cells.length; c++) {
    const cell = cells[c] as number;
    const value = columns.num[cell] as number;
    if (!columns.isWhole(cell) || !(Math.abs(value) < 2 ** 52)) return null;
    values[c] = value;
  }
  return values;
}

export function statisticsOfColumns(
  criteria: CompiledCriteria,
  current: ValueColumns,
  baseline: ValueColumns,
): { statistics: DistrictStatistics; standings: Map<string, StandingLookup> } {
  const indicators: Record<string, IndicatorStatistics> = {};
  const standings = new Map<string, StandingLookup>();
  for (const { code, kind } of criteria.needsStatistics) {
    const indicator = criteria.indicators.find((x) => x.code === code);
    if (!indicator) continue;
    if (kind === 'relative-standing') {
      const cells = sufficientCells(current, indicator.index);
      // whole numbers below 2^52: their doubles are exact, and v + 0.5 separates v from v + 1
      const sorted = wholeValuesOf(current, cells);
      if (sorted) {
        sorted.sort();
        const texts = new Array<string>(sorted.length);
        // counts repeat: equal values are adjacent once sorted and share one text
        let text = '';
        for (let i = 0; i < sorted.length; i++) {
          if (i === 0 || sorted[i] !== sorted[i - 1]) text = `${sorted[i] === 0 ? 0 : sorted[i]}`;
          texts[i] = text;
        }
        indicators[code] = { kind, teams: sorted.length, sortedValues: texts };
        standings.set(code, new WholeStanding(sorted));
      } else {
        const sorted = sortedExact(current, cells);
        indicators[code] = { kind, teams: sorted.length, sortedValues: sorted.map((v) => v.toString()) };
        standings.set(code, new ExactStanding(new Distribution(sorted)));
      }
      continue;
    }
    const cells = sufficientCells(baseline, indicator.index);
    const { threshold, benchmark } = derivedFigures(baseline, cells, indicator.higherIsBetter);
    indicators[code] = {
      kind,
      threshold: threshold?.toDecimal(DERIVED_DECIMALS) ?? null,
      benchmark: benchmark?.toDecimal(DERIVED_DECIMALS) ?? null,
      baselineTeams: cells.length,
    };
  }
  return { statistics: { indicators }, standings };
}
