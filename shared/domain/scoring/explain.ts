/**
 * The one-line explanations, in English and Chinese, e.g.
 *   "hypertension follow-up rate 82.0 % between 60 % and 90 %: 7.3 of 10 points"
 *   "高血压随访率 82.0%，介于 60% 与 90% 之间：得 7.3 分（满分 10 分）"
 * Values show 1 decimal (whole counts as they are), limits as configured (up to 4 decimals),
 * points 1 decimal with a trailing ".0" dropped. All are rounded half up from exact values;
 * scoreTeam builds the sentence around the `middle` part each method supplies.
 */
import type { Label } from './criteria.ts';
import type { Ratio } from './ratio.ts';
import type { InsufficientReason, Unit } from './sources.ts';

export interface Explanation {
  en: string;
  zh: string;
}

/** What an explanation needs to know about its indicator (or gate). */
export interface Speaker {
  label: Label;
  unit: Unit;
  /** max points as shown */
  maxText: string;
}

/** A team's value without unit: percentages and fractions to 1 decimal, whole counts as they are. */
export function valueText(value: Ratio, unit: Unit): string {
  return unit === 'plain' && value.den === 1 ? `${value.num}` : value.toFixed(1);
}

export function shownValue(value: Ratio, unit: Unit): Explanation {
  const text = valueText(value, unit);
  return unit === 'percent' ? { en: `${text} %`, zh: `${text}%` } : { en: text, zh: text };
}

/** A configured or derived limit, as written (up to 4 decimals). Formatted once, at preparation. */
export function shownLimit(value: Ratio, unit: Unit): Explanation {
  const text = value.toDecimal(4);
  return unit === 'percent' ? { en: `${text} %`, zh: `${text}%` } : { en: text, zh: text };
}

/**
 * "<label> <value><middle>: <p> of <max> points" in both languages, from the value and points
 * already rounded for display.
 */
export function explainPoints(speaker: Speaker, value: string, middle: Explanation, points: string): Explanation {
  const max = speaker.maxText;
  const { en, zh } = speaker.label;
  return speaker.unit === 'percent'
    ? { en: `${en} ${value} %${middle.en}: ${points} of ${max} points`, zh: `${zh} ${value}%${middle.zh}：得 ${points} 分（满分 ${max} 分）` }
    : { en: `${en} ${value}${middle.en}: ${points} of ${max} points`, zh: `${zh} ${value}${middle.zh}：得 ${points} 分（满分 ${max} 分）` };
}

export function insufficientReason(reason: InsufficientReason, n: number | null, minN: number): Explanation {
  switch (reason) {
    case 'missing':
      return { en: 'no value', zh: '无数据' };
    case 'below-minimum':
      return { en: `n = ${n}, minimum ${minN}`, zh: `样本 ${n}，最少 ${minN}` };
    case 'zero-denominator':
      return { en: 'denominator is 0', zh: '分母为 0' };
    case 'no-statistics':
      return { en: 'no district baseline', zh: '无区级基线' };
  }
}
