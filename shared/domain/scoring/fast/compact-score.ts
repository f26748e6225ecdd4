/**
 * Phase 3 for a whole district without building scorecards: each team's total, status and gate
 * verdict, exactly. Every decision (a value against a limit, a CMS rounding, the total's
 * rounding) is taken on doubles when they are far from the boundary and in exact fractions
 * otherwise, the way sumRounded and Distribution already do, so the results are the exact ones
 * scoreTeam gives; the scorecards themselves are built on demand (lazy-score.ts).
 */
import type { DistrictColumns, ValueColumns } from './columns.ts';
import { OK } from './columns.ts';
import type { StandingLookup } from './column-statistics.ts';
import type { CompiledCriteria, CompiledIndicator } from '../compile.ts';
import type { CompiledBand } from '../methods/bands.ts';
import type { Eligibility } from '../gates.ts';
import { achievementPoints, improvementPoints } from '../methods/achievement-improvement.ts';
import { thresholdLinearPoints as exactThresholdLinear } from '../methods/threshold-linear.ts';
import { hundredthsOf, UNRANKED } from '../rank.ts';
import { Ratio, sumRounded, ZERO } from '../ratio.ts';
import type { DistrictStatistics } from '../statistics.ts';
import { type WeightPlan, weightPlan } from '../weights.ts';

export interface CompactScores {
  total: (string | null)[];
  /** the total in hundredths as rankByHundredths takes it */
  hundredths: Int32Array;
  eligibility: Eligibility[];
  capPercent: Float64Array;
}

/** Far enough apart that the doubles' rounding errors cannot reorder them. */
const apart = (a: number, b: number): boolean => Math.abs(a - b) > 1e-12 * (Math.abs(a) + Math.abs(b));

/** value − limit's sign, exactly. */
function compare(values: ValueColumns, cell: number, limit: Ratio, limitApprox: number): number {
  const a = values.approx[cell] as number;
  if (apart(a, limitApprox)) return a < limitApprox ? -1 : 1;
  return values.exact(cell).cmp(limit);
}

interface Limit {
  exact: Ratio;
  approx: number;
}
const limitOf = (r: Ratio): Limit => ({ exact: r, approx: r.toNumber() });

interface BandLimits {
  lower: Limit;
  upper: Limit | null;
  points: Limit;
}
const bandLimits = (bands: readonly CompiledBand[]): BandLimits[] =>
  bands.map((b) => ({ lower: limitOf(b.lower), upper: b.upper ? limitOf(b.upper) : null, points: limitOf(b.points) }));

/** An indicator's method with its limits as exact fractions and doubles; null when it cannot be scored. */
type Prepared =
  | { kind: 'threshold-linear'; lower: Limit; upper: Limit }
  | { kind: 'achievement-improvement'; threshold: Limit; benchmark: Limit; improvement: boolean }
  | { kind: 'bands'; bands: BandLimits[] }
  | { kind: 'relative-standing'; bands: BandLimits[] | null; standing: StandingLookup | null }
  | { kind: 'pass-fail'; target: Limit }
  | null;

function prepare(x: CompiledIndicator, statistics: DistrictStatistics, standings: Map<string, StandingLookup>): Prepared {
  const m = x.method;
  switch (m.kind) {
    case 'threshold-linear':
      return { kind: m.kind, lower: limitOf(m.lower), upper: limitOf(m.upper) };
    case 'achievement-improvement': {
      if (m.limits) return { kind: m.kind, threshold: limitOf(m.limits.threshold), benchmark: limitOf(m.limits.benchmark), improvement: m.improvement };
      const s = statistics.indicators[x.code];
      if (s?.kind !== 'achievement-improvement' || s.threshold === null || s.benchmark === null) return null;
      return { kind: m.kind, threshold: limitOf(Ratio.parse(s.threshold)), benchmark: limitOf(Ratio.parse(s.benchmark)), improvement: m.improvement };
    }
    case 'bands':
      return { kind: m.kind, bands: bandLimits(m.bands) };
    case 'relative-standing':
      return { kind: m.kind, bands: m.bands ? bandLimits(m.bands) : null, standing: standings.get(x.code) ?? null };
    case 'pass-fail':
      return { kind: m.kind, target: limitOf(m.target) };
  }
}

/** findBand's rule on a cell's value: the band holding it, or null below the first band. */
function cellBand(bands: readonly BandLimits[], values: ValueColumns, cell: number): BandLimits | null {
  for (let k = bands.length - 1; k >= 0; k--) {
    const band = bands[k] as BandLimits;
    if (compare(values, cell, band.lower.exact, band.lower.approx) >= 0) {
      return band.upper === null || compare(values, cell, band.upper.exact, band.upper.approx) < 0 ? band : null;
    }
  }
  return null;
}

/** rank − limit's sign for the percentile rank 100 × twice / (2 × size), exactly. */
function compareRank(twice: number, size: number, limit: Limit): number {
  const approx = (100 * twice) / (2 * size);
  if (apart(approx, limit.approx)) return approx < limit.approx ? -1 : 1;
  return Ratio.of(100 * twice, 2 * size).cmp(limit.exact);
}

function rankBand(bands: readonly BandLimits[], twice: number, size: number): BandLimits | null {
  for (let k = bands.length - 1; k >= 0; k--) {
    const band = bands[k] as BandLimits;
    if (compareRank(twice, size, band.lower) >= 0) return band.upper === null || compareRank(twice, size, band.upper) < 0 ? band : null;
  }
  return null;
}

const nearInteger = (y: number): boolean => Math.abs(y - Math.round(y)) < 1e-9;

/** Whole CMS points: max(achievement, improvement), on doubles unless a comparison or rounding is close. */
function cmsPoints(p: Extract<Prepared, { kind: 'achievement-improvement' }>, x: CompiledIndicator, columns: DistrictColumns, cell: number): number {
  const v = columns.values.approx[cell] as number;
  const at = p.threshold.approx;
  const b = p.benchmark.approx;
  const ownCell = columns.ownBaseline.cellOf((cell - x.index) / columns.values.width, x.index);
  const own = p.improvement && columns.ownBaseline.state[ownCell] === OK ? (columns.ownBaseline.approx[ownCell] as number) : null;
  const hib = x.higherIsBetter;
  const closeCall = !apart(v, at) || !apart(v, b) || (own !== null && !apart(own, v));
  const achievementShare = (9 * (v - at)) / (b - at) + 1;
  const improvementShare = own === null ? 0 : (10 * (v - own)) / (b - own);
  if (closeCall || nearInteger(achievementShare) || (own !== null && nearInteger(improvementShare))) {
    return exactCmsPoints(p, hib, columns, cell, own === null ? null : ownCell);
  }
  const reachedBenchmark = hib ? v > b : v < b;
  if (reachedBenchmark) return 10;
  const achievement = (hib ? v < at : v > at) ? 0 : Math.floor(achievementShare);
  const improvement = own !== null && (hib ? own < v : own > v) ? Math.floor(improvementShare) : 0;
  return Math.max(achievement, improvement);
}

function exactCmsPoints(
  p: Extract<Prepared, { kind: 'achievement-improvement' }>,
  hib: boolean,
  columns: DistrictColumns,
  cell: number,
  ownCell: number | null,
): number {
  const value = columns.values.exact(cell);
  const benchmark = hib ? p.benchmark.exact : p.benchmark.exact.neg();
  const v = hib ? value : value.neg();
  const achievement = achievementPoints(v, hib ? p.threshold.exact : p.threshold.exact.neg(), benchmark);
  if (ownCell === null) return achievement;
  const own = columns.ownBaseline.exact(ownCell);
  return Math.max(achievement, improvementPoints(v, hib ? own : own.neg(), benchmark));
}

function thresholdLinearPoints(
  p: Extract<Prepared, { kind: 'threshold-linear' }>,
  x: CompiledIndicator,
  values: ValueColumns,
  cell: number,
  max: number,
): number {
  if (compare(values, cell, p.lower.exact, p.lower.approx) <= 0) return x.higherIsBetter ? 0 : max;
  if (compare(values, cell, p.upper.exact, p.upper.approx) >= 0) return x.higherIsBetter ? max : 0;
  const v = values.approx[cell] as number;
  const distance = x.higherIsBetter ? v - p.lower.approx : p.upper.approx - v;
  return (max * distance) / (p.upper.approx - p.lower.approx);
}

/** 2 × worse + equal, over 2 × size, is the team's percentile rank / 100; null when the district has no values. */
function standingOf(p: Extract<Prepared, { kind: 'relative-standing' }>, x: CompiledIndicator, values: ValueColumns, cell: number): number | null {
  const standing = p.standing;
  if (!standing || standing.size === 0) return null;
  standing.count(values, cell);
  const worse = x.higherIsBetter ? standing.below : standing.size - standing.below - standing.equal;
  return 2 * worse + standing.equal;
}

/** Points on the method's scale as a double, every decision exact; null when insufficient. */
function pointsOf(p: Prepared, x: CompiledIndicator, columns: DistrictColumns, cell: number, max: number): number | null {
  const values = columns.values;
  if (values.state[cell] !== OK || p === null) return null;
  switch (p.kind) {
    case 'threshold-linear':
      return thresholdLinearPoints(p, x, values, cell, max);
    case 'achievement-improvement':
      return cmsPoints(p, x, columns, cell);
    case 'bands':
      return cellBand(p.bands, values, cell)?.points.approx ?? 0;
    case 'relative-standing': {
      const twice = standingOf(p, x, values, cell);
      if (twice === null) return null;
      const size = (p.standing as StandingLookup).size;
      return p.bands ? (rankBand(p.bands, twice, size)?.points.approx ?? 0) : (max * twice) / (2 * size);
    }
    case 'pass-fail': {
      const c = compare(values, cell, p.target.exact, p.target.approx);
      return (x.higherIsBetter ? c >= 0 : c <= 0) ? max : 0;
    }
  }
}

/** The exact points, for totals too close to a rounding boundary for doubles. */
function exactPointsOf(p: Prepared, x: CompiledIndicator, columns: DistrictColumns, cell: number): Ratio | null {
  const values = columns.values;
  if (values.state[cell] !== OK || p === null) return null;
  switch (p.kind) {
    case 'threshold-linear':
      return exactThresholdLinear(values.exact(cell), p.lower.exact, p.upper.exact, x.maxPoints, x.higherIsBetter);
    case 'achievement-improvement':
      return Ratio.of(cmsPoints(p, x, columns, cell));
    case 'bands':
      return cellBand(p.bands, values, cell)?.points.exact ?? ZERO;
    case 'relative-standing': {
      const twice = standingOf(p, x, values, cell);
      if (twice === null) return null;
      const size = (p.standing as StandingLookup).size;
      return p.bands ? (rankBand(p.bands, twice, size)?.points.exact ?? ZERO) : x.maxPoints.mul(Ratio.of(twice, 2 * size));
    }
    case 'pass-fail': {
      const c = compare(values, cell, p.target.exact, p.target.approx);
      return (x.higherIsBetter ? c >= 0 : c <= 0) ? x.maxPoints : ZERO;
    }
  }
}

/** The total exactly (sumRounded of exact contributions), as scoreTeam computes it. */
function exactTotal(criteria: CompiledCriteria, prepared: readonly Prepared[], plan: WeightPlan, columns: DistrictColumns, team: number): string {
  const k = criteria.indicators.length;
  const contributions: Ratio[] = [];
  for (let i = 0; i < k; i++) {
    const x = criteria.indicators[i] as CompiledIndicator;
    const points = exactPointsOf(prepared[i] as Prepared, x, columns, team * k + i);
    if (points !== null && plan.domainScored[x.domain]) contributions.push(points.mul(plan.perPointInTotal[i] as Ratio));
  }
  return sumRounded(contributions, 2);
}

/** Per weight plan: points × this, summed over counted indicators, is the total. */
const perPointCache = new WeakMap<WeightPlan, Float64Array>();
function perPointOf(plan: WeightPlan, criteria: CompiledCriteria): Float64Array {
  let perPoint = perPointCache.get(plan);
  if (!perPoint) {
    perPoint = Float64Array.from(criteria.indicators, (x, i) => (plan.domainScored[x.domain] ? (plan.perPointInTotal[i] as Ratio).toNumber() : 0));
    perPointCache.set(plan, perPoint);
  }
  return perPoint;
}

// Totals have at most 100 × 100 hundredths: their texts are looked up.
const TOTAL_TEXTS: string[] = Array.from({ length: 10_001 }, (_, h) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`);

export function compactScores(teams: number): CompactScores {
  return {
    total: new Array<string | null>(teams),
    hundredths: new Int32Array(teams),
    eligibility: new Array<Eligibility>(teams),
    capPercent: new Float64Array(teams),
  };
}

/** Scores the first `count` rows of `columns` (all by default) into rows offset, offset + 1, … of `into`. */
export function scoreColumns(
  criteria: CompiledCriteria,
  statistics: DistrictStatistics,
  standings: Map<string, StandingLookup>,
  columns: DistrictColumns,
  count = columns.uploaded.length,
  into: CompactScores = compactScores(count),
  offset = 0,
): CompactScores {
  const k = criteria.indicators.length;
  const g = criteria.gates.length;
  const prepared = criteria.indicators.map((x) => prepare(x, statistics, standings));
  const maxPoints = criteria.indicators.map((x) => x.maxPoints.toNumber());
  const gateMins = criteria.gates.map((gate) => (gate.min ? limitOf(gate.min) : null));
  const gateCaps = criteria.gates.map((gate) => (gate.effect === 'void' ? 0 : gate.effect.capPercent));
  const { total, eligibility, capPercent, hundredths } = into;
  const sufficient = new Array<boolean>(k).fill(false);
  const points = new Float64Array(k);

  for (let row = 0; row < count; row++) {
    const t = offset + row;
    for (let i = 0; i < k; i++) {
      const p = pointsOf(prepared[i] as Prepared, criteria.indicators[i] as CompiledIndicator, columns, row * k + i, maxPoints[i] as number);
      sufficient[i] = p !== null;
      points[i] = p ?? 0;
    }
    const plan = weightPlan(criteria, sufficient);
    if (!plan.scored) {
      total[t] = null;
      hundredths[t] = UNRANKED;
    } else {
      const perPoint = perPointOf(plan, criteria);
      let sum = 0;
      for (let i = 0; i < k; i++) sum += (points[i] as number) * (perPoint[i] as number);
      const shifted = sum * 100 + 0.5;
      const floor = Math.floor(shifted);
      const fraction = shifted - floor;
      if (fraction > 1e-7 && fraction < 1 - 1e-7 && floor >= 0 && floor <= 10_000) {
        total[t] = TOTAL_TEXTS[floor] as string;
        hundredths[t] = floor;
      } else {
        const exact = exactTotal(criteria, prepared, plan, columns, row);
        total[t] = exact;
        hundredths[t] = hundredthsOf(exact);
      }
    }

    let cap = 100;
    for (let j = 0; j < g; j++) {
      const gate = criteria.gates[j];
      let triggered: boolean;
      if (gate?.kind === 'missing-upload') triggered = columns.uploaded[row] === 0;
      else {
        const cell = row * g + j;
        const min = gateMins[j];
        triggered = columns.gates.state[cell] === OK && min !== null && min !== undefined && compare(columns.gates, cell, min.exact, min.approx) < 0;
      }
      if (triggered) cap = Math.min(cap, gateCaps[j] as number);
    }
    capPercent[t] = cap;
    eligibility[t] = cap === 0 ? 'void' : cap < 100 ? 'capped' : 'eligible';
  }
  return into;
}
