/**
 * The engine's baseline: the least a scorer must do. Every team's indicator values as doubles in
 * one Float64Array (teams × indicators, NaN when insufficient), threshold-linear points and the
 * weighted total in a plain loop, then the pool split by total × size and floored to the fen.
 * No exact arithmetic, no statistics, no explanations: a floor for the engine's cost, not a
 * rival implementation.
 */
import type { CriteriaSet, TeamFacts, ValueSource } from '#shared/domain/scoring/index.ts';
import type { SyntheticDistrict } from './synthetic-district.ts';

export interface TypedArrayDistrict {
  teams: number;
  indicators: number;
  /** teams × indicators, row-major; NaN = insufficient */
  values: Float64Array;
  sizes: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  maxPoints: Float64Array;
  weight: Float64Array;
}

const count = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? Number.NaN));

function percent(numerator: unknown, denominator: unknown, minN: number): number {
  const n = count(denominator);
  return n < minN || n === 0 ? Number.NaN : (100 * count(numerator)) / n;
}

function readFloat(source: ValueSource, facts: TeamFacts, minN: number): number {
  if ('metric' in source) return count(facts.metrics[source.metric]);
  if ('ratio' in source) return percent(facts.metrics[source.ratio.numerator], facts.metrics[source.ratio.denominator], minN);
  const registry = facts.registry;
  if ('registry' in source) {
    if (source.registry === 'renewalRate') return percent(registry?.renewals?.renewed, registry?.renewals?.due, minN);
    if (source.registry === 'keyPopulationCoverage') return percent(registry?.keyPopulation?.covered, registry?.keyPopulation?.eligible, minN);
    return count(registry?.[source.registry]);
  }
  const survey = facts.survey;
  if (!survey || survey.responses < minN) return Number.NaN;
  return source.survey === 'topBoxShare' ? percent(survey.topBox, survey.responses, minN) : count(survey.mean100);
}

/** Prepared outside the timed loop: the same teams and indicators as the engine scores. */
export function toTypedArrays(criteria: CriteriaSet, district: SyntheticDistrict): TypedArrayDistrict {
  const indicators = criteria.indicators;
  const k = indicators.length;
  const n = district.teams.length;
  const values = new Float64Array(n * k);
  district.teams.forEach((facts, t) => {
    indicators.forEach((indicator, i) => {
      values[t * k + i] = readFloat(indicator.source, facts, indicator.minN ?? 0);
    });
  });
  const param = (pick: (m: { lower: number; upper: number; maxPoints: number }) => number) =>
    Float64Array.from(indicators, (indicator) => {
      const m = indicator.method;
      return pick(
        m.kind === 'threshold-linear'
          ? { lower: Number(m.lower), upper: Number(m.upper), maxPoints: Number(m.maxPoints) }
          : { lower: 0, upper: 100, maxPoints: 10 },
      );
    });
  return {
    teams: n,
    indicators: k,
    values,
    sizes: Float64Array.from(district.sizes, (s) => s.weightedResidents),
    lower: param((m) => m.lower),
    upper: param((m) => m.upper),
    maxPoints: param((m) => m.maxPoints),
    weight: Float64Array.from(indicators, (indicator) => Number(indicator.weight)),
  };
}

/** Totals (0-100, redistributing insufficient indicators' weight) and each team's fen of the pool. */
export function scoreTypedArrays(d: TypedArrayDistrict, poolFen: number): { totals: Float64Array; amounts: Float64Array } {
  const { teams: n, indicators: k, values, lower, upper, maxPoints, weight, sizes } = d;
  const totals = new Float64Array(n);
  const amounts = new Float64Array(n);
  let weightSum = 0;
  for (let t = 0; t < n; t++) {
    let points = 0;
    let weights = 0;
    for (let i = 0; i < k; i++) {
      const v = values[t * k + i]!;
      if (Number.isNaN(v)) continue;
      const lo = lower[i]!;
      const hi = upper[i]!;
      const share = v <= lo ? 0 : v >= hi ? 1 : (v - lo) / (hi - lo);
      points += (weight[i]! * share * maxPoints[i]!) / maxPoints[i]!;
      weights += weight[i]!;
    }
    const total = weights === 0 ? 0 : (100 * points) / weights;
    totals[t] = total;
    weightSum += total * sizes[t]!;
  }
  for (let t = 0; t < n; t++) amounts[t] = weightSum === 0 ? 0 : Math.floor((poolFen * totals[t]! * sizes[t]!) / weightSum);
  return { totals, amounts };
}
