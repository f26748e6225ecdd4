/** Pass-fail: all points when the value meets the target (≥, or ≤ when lower is better), else 0. */
import { type Explanation, shownLimit } from '../explain.ts';
import { type Ratio, ZERO } from '../ratio.ts';
import type { Unit } from '../sources.ts';
import type { MethodDetail, MethodIndicator, MethodOutcome } from './outcome.ts';

export interface PassFailTexts {
  met: Explanation;
  missed: Explanation;
}

export function passFailTexts(target: Ratio, unit: Unit, higherIsBetter: boolean): PassFailTexts {
  const t = shownLimit(target, unit);
  const goal = higherIsBetter ? { en: ` ${t.en}`, zh: ` ${t.zh}` } : { en: ` of at most ${t.en}`, zh: `（不高于 ${t.zh}）` };
  return {
    met: { en: ` meets target${goal.en}`, zh: `，达到目标${goal.zh}` },
    missed: { en: ` misses target${goal.en}`, zh: `，未达到目标${goal.zh}` },
  };
}

const MET: MethodDetail = Object.freeze({ kind: 'pass-fail', met: true });
const MISSED: MethodDetail = Object.freeze({ kind: 'pass-fail', met: false });

export function passFail(indicator: MethodIndicator, target: Ratio, texts: PassFailTexts, value: Ratio): MethodOutcome {
  const met = indicator.higherIsBetter ? value.ge(target) : value.le(target);
  const points = met ? indicator.maxPoints : ZERO;
  return { points, detail: met ? MET : MISSED, middle: met ? texts.met : texts.missed };
}
