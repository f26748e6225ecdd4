/**
 * Phase 1: each team's indicator values from its own facts. Independent per team, so it can run
 * in any number of batches or workers. Values are exact fractions in text ("82", "100/3").
 */
import type { CriteriaSet } from './criteria.ts';
import { compileCriteria } from './compile.ts';
import { type IndicatorValue, readSource, type TeamFacts } from './sources.ts';

export type { IndicatorValue };

export interface TeamValues {
  teamId: string;
  uploaded: boolean;
  /** By indicator code, in criteria order. */
  values: Record<string, IndicatorValue>;
  /** The team's own baseline-period values of its achievement-improvement indicators, if baseline facts were given. */
  baseline: Record<string, IndicatorValue> | null;
  /** Values of the floor gates' sources, by gate position (null for other gates). */
  gates: (IndicatorValue | null)[];
}

export function computeIndicatorValues(criteria: CriteriaSet, facts: TeamFacts, baselineFacts?: TeamFacts | null): TeamValues {
  const compiled = compileCriteria(criteria);
  const values: Record<string, IndicatorValue> = {};
  for (const indicator of compiled.indicators) values[indicator.code] = readSource(indicator.source, facts, indicator.minN);

  let baseline: Record<string, IndicatorValue> | null = null;
  if (baselineFacts) {
    baseline = {};
    for (const indicator of compiled.indicators) {
      if (indicator.method.kind !== 'achievement-improvement') continue;
      baseline[indicator.code] = readSource(indicator.source, baselineFacts, indicator.minN);
    }
  }

  const gates = compiled.gates.map((gate) => (gate.source === null ? null : readSource(gate.source, facts, gate.minN)));
  return { teamId: facts.teamId, uploaded: facts.uploaded, values, baseline, gates };
}
