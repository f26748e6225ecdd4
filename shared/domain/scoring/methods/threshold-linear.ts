/**
 * QOF threshold-linear: 0 points at or below the lower threshold L, all G points at or above the
 * upper threshold U, G × (v − L)/(U − L) between. When lower is better it is mirrored: G at or
 * below L, 0 at or above U, G × (U − v)/(U − L) between. Points stay exact.
 */
import { type Explanation, shownLimit } from '../explain.ts';
import { type Ratio, ZERO } from '../ratio.ts';
import type { Unit } from '../sources.ts';
import type { MethodDetail, MethodIndicator, MethodOutcome } from './outcome.ts';

export type Position = 'at-or-below-lower' | 'between' | 'at-or-above-upper';

export function thresholdLinearTexts(lower: Ratio, upper: Ratio, unit: Unit): Record<Position, Explanation> {
  const l = shownLimit(lower, unit);
  const u = shownLimit(upper, unit);
  return {
    'at-or-below-lower': { en: ` at or below ${l.en}`, zh: `，不高于 ${l.zh}` },
    between: { en: ` between ${l.en} and ${u.en}`, zh: `，介于 ${l.zh} 与 ${u.zh} 之间` },
    'at-or-above-upper': { en: ` at or above ${u.en}`, zh: `，不低于 ${u.zh}` },
  };
}

const DETAILS: Record<Position, MethodDetail> = {
  'at-or-below-lower': Object.freeze({ kind: 'threshold-linear', position: 'at-or-below-lower' }),
  between: Object.freeze({ kind: 'threshold-linear', position: 'between' }),
  'at-or-above-upper': Object.freeze({ kind: 'threshold-linear', position: 'at-or-above-upper' }),
};

export function thresholdLinearPoints(value: Ratio, lower: Ratio, upper: Ratio, maxPoints: Ratio, higherIsBetter: boolean): Ratio {
  if (value.le(lower)) return higherIsBetter ? ZERO : maxPoints;
  if (value.ge(upper)) return higherIsBetter ? maxPoints : ZERO;
  const distance = higherIsBetter ? value.sub(lower) : upper.sub(value);
  return maxPoints.mul(distance).div(upper.sub(lower));
}

export function thresholdLinear(indicator: MethodIndicator, lower: Ratio, upper: Ratio, texts: Record<Position, Explanation>, value: Ratio): MethodOutcome {
  const position: Position = value.le(lower) ? 'at-or-below-lower' : value.ge(upper) ? 'at-or-above-upper' : 'between';
  const points = thresholdLinearPoints(value, lower, upper, indicator.maxPoints, indicator.higherIsBetter);
  return { points, detail: DETAILS[position], middle: texts[position] };
}
