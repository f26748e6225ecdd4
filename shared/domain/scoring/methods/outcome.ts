import type { Explanation } from '../explain.ts';
import type { Ratio } from '../ratio.ts';
import type { Unit } from '../sources.ts';

/** What a method reads of its compiled indicator (../compile.ts CompiledIndicator has these and more). */
export interface MethodIndicator {
  higherIsBetter: boolean;
  maxPoints: Ratio;
  unit: Unit;
}

export type MethodDetail =
  | { kind: 'threshold-linear'; position: 'at-or-below-lower' | 'between' | 'at-or-above-upper' }
  | {
      kind: 'achievement-improvement';
      threshold: string;
      benchmark: string;
      achievement: number;
      /** null when not counted or the team has no sufficient own baseline */
      improvement: number | null;
      ownBaseline: string | null;
    }
  | { kind: 'bands'; band: number | null }
  | { kind: 'relative-standing'; percentileRank: string; teams: number }
  | { kind: 'pass-fail'; met: boolean };

export interface MethodOutcome {
  points: Ratio;
  detail: MethodDetail;
  /** The method's part of the explanation, between the value and the points. */
  middle: Explanation;
}
