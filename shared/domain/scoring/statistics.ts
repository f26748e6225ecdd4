/**
 * Phase 2: district-wide figures some methods need, from all teams' phase-1 results.
 * - achievement-improvement without hand-set figures: threshold = 50th percentile and
 *   benchmark = mean of the best decile of the district's baseline-period values, each
 *   rounded half up to 4 decimals (the published figure is the one used);
 * - relative-standing: the sorted values of all teams with sufficient data.
 * Batches summarise their own results; summaries merge by concatenation, and finalising sorts,
 * so any split of the teams gives the same statistics.
 */
import type { CriteriaSet } from './criteria.ts';
import { compileCriteria } from './compile.ts';
import { percentile, topDecileMean } from './percentile.ts';
import { Ratio } from './ratio.ts';
import type { TeamValues } from './values.ts';

export type IndicatorStatistics =
  | {
      kind: 'achievement-improvement';
      /** Both null when no team had a sufficient baseline value. */
      threshold: string | null;
      benchmark: string | null;
      baselineTeams: number;
    }
  | { kind: 'relative-standing'; teams: number; sortedValues: string[] };

export interface DistrictStatistics {
  indicators: Record<string, IndicatorStatistics>;
}

/** Mergeable raw material for phase 2: the sufficient values each statistic needs. */
export interface ValueSummary {
  indicators: Record<string, { kind: IndicatorStatistics['kind']; values: string[] }>;
}

const DERIVED_DECIMALS = 4;
const MEDIAN = Ratio.of(50);

/**
 * Summarise a batch: current values for relative-standing indicators from `results`, and
 * baseline-period values for derived achievement-improvement indicators from `baselineResults`
 * (phase-1 results computed from the baseline period's facts).
 */
export function summariseValues(criteria: CriteriaSet, results: readonly TeamValues[], baselineResults: readonly TeamValues[] = []): ValueSummary {
  const compiled = compileCriteria(criteria);
  const indicators: ValueSummary['indicators'] = {};
  for (const { code, kind } of compiled.needsStatistics) {
    const from = kind === 'relative-standing' ? results : baselineResults;
    const values: string[] = [];
    for (const result of from) {
      const v = result.values[code];
      if (v?.status === 'ok') values.push(v.value);
    }
    indicators[code] = { kind, values };
  }
  return { indicators };
}

export function mergeSummaries(summaries: readonly ValueSummary[]): ValueSummary {
  const indicators: ValueSummary['indicators'] = {};
  for (const summary of summaries) {
    for (const [code, part] of Object.entries(summary.indicators)) {
      const into = indicators[code];
      // a loop, not push(...values): a spread of 100k+ arguments overflows the stack
      if (into) for (const value of part.values) into.values.push(value);
      else indicators[code] = { kind: part.kind, values: [...part.values] };
    }
  }
  return { indicators };
}

const sortedExact = (values: readonly string[]): Ratio[] => values.map((v) => Ratio.parse(v)).sort((a, b) => a.cmp(b));

export function finaliseStatistics(criteria: CriteriaSet, summary: ValueSummary): DistrictStatistics {
  const compiled = compileCriteria(criteria);
  const indicators: Record<string, IndicatorStatistics> = {};
  for (const { code, kind } of compiled.needsStatistics) {
    const sorted = sortedExact(summary.indicators[code]?.values ?? []);
    if (kind === 'relative-standing') {
      indicators[code] = { kind, teams: sorted.length, sortedValues: sorted.map((v) => v.toString()) };
      continue;
    }
    const higherIsBetter = compiled.indicators.find((x) => x.code === code)?.higherIsBetter ?? true;
    const threshold = percentile(sorted, MEDIAN);
    const benchmark = topDecileMean(sorted, higherIsBetter);
    indicators[code] = {
      kind,
      threshold: threshold?.toDecimal(DERIVED_DECIMALS) ?? null,
      benchmark: benchmark?.toDecimal(DERIVED_DECIMALS) ?? null,
      baselineTeams: sorted.length,
    };
  }
  return { indicators };
}
