/**
 * CMS Hospital VBP achievement and improvement points, in exact arithmetic:
 *   achievement = 10 if v ≥ B; round(9 × (v − AT)/(B − AT) + 0.5) if AT ≤ v < B; 0 if v < AT
 *   improvement = 10 if v ≥ B; round(10 × (v − b)/(B − b) − 0.5) if b < v < B; else 0
 *   points      = max(achievement, improvement), out of 10
 * with b the team's own baseline and round = half up. When lower is better every value is
 * negated first, which mirrors each comparison and leaves the fractions unchanged.
 */
import { type Explanation, shownLimit, shownValue } from '../explain.ts';
import type { Unit } from '../sources.ts';
import { Ratio } from '../ratio.ts';
import type { MethodIndicator, MethodOutcome } from './outcome.ts';

const HALF = Ratio.of(1, 2);
const NINE = Ratio.of(9);
const TEN = Ratio.of(10);

export function achievementPoints(value: Ratio, threshold: Ratio, benchmark: Ratio): number {
  if (value.ge(benchmark)) return 10;
  if (value.lt(threshold)) return 0;
  return Number(NINE.mul(value.sub(threshold)).div(benchmark.sub(threshold)).add(HALF).roundedScaled(0));
}

export function improvementPoints(value: Ratio, ownBaseline: Ratio, benchmark: Ratio): number {
  if (value.ge(benchmark)) return 10;
  if (!(ownBaseline.lt(value) && value.lt(benchmark))) return 0;
  return Number(TEN.mul(value.sub(ownBaseline)).div(benchmark.sub(ownBaseline)).sub(HALF).roundedScaled(0));
}

/** A threshold and benchmark with their texts, prepared once per indicator and district. */
export interface CmsLimits {
  threshold: Ratio;
  benchmark: Ratio;
  exact: { threshold: string; benchmark: string };
  shown: Explanation;
}

export function cmsLimits(threshold: Ratio, benchmark: Ratio, unit: Unit): CmsLimits {
  const at = shownLimit(threshold, unit);
  const b = shownLimit(benchmark, unit);
  return {
    threshold,
    benchmark,
    exact: { threshold: threshold.toString(), benchmark: benchmark.toString() },
    shown: { en: `(threshold ${at.en}, benchmark ${b.en})`, zh: `（阈值 ${at.zh}，标杆 ${b.zh}）` },
  };
}

export function achievementImprovement(
  indicator: MethodIndicator,
  limits: CmsLimits,
  countImprovement: boolean,
  ownBaseline: Ratio | null,
  value: Ratio,
): MethodOutcome {
  const { threshold, benchmark } = limits;
  const g = indicator.higherIsBetter ? (x: Ratio) => x : (x: Ratio) => x.neg();
  const achievement = achievementPoints(g(value), g(threshold), g(benchmark));
  const improvement = countImprovement && ownBaseline ? improvementPoints(g(value), g(ownBaseline), g(benchmark)) : null;
  const points = Ratio.of(Math.max(achievement, improvement ?? 0));

  let improvementText: Explanation = { en: '', zh: '' };
  if (countImprovement && ownBaseline) {
    const own = shownValue(ownBaseline, indicator.unit);
    improvementText = { en: `, improvement ${improvement} (own baseline ${own.en})`, zh: `，改进分 ${improvement}（自身基线 ${own.zh}）` };
  } else if (countImprovement) {
    improvementText = { en: ', improvement n/a (no own baseline)', zh: '，改进分 无（无自身基线）' };
  }
  return {
    points,
    detail: {
      kind: 'achievement-improvement',
      threshold: limits.exact.threshold,
      benchmark: limits.exact.benchmark,
      achievement,
      improvement,
      ownBaseline: ownBaseline ? ownBaseline.toString() : null,
    },
    middle: {
      en: `: achievement ${achievement} ${limits.shown.en}${improvementText.en}`,
      zh: `：达标分 ${achievement}${limits.shown.zh}${improvementText.zh}`,
    },
  };
}
