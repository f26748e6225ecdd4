/**
 * Effective weights of one team's indicators in its total (0–100), after the insufficient-data
 * rule. With `redistribute`, insufficient indicators drop out and the rest of their domain is
 * renormalised to 100; domains without enough sufficient indicators drop out and the other
 * domains are renormalised to 100 (exact fractions, so they always sum to exactly 100). With
 * `zero`, every weight stays as configured and insufficient indicators score 0.
 */
import type { CompiledCriteria } from './compile.ts';
import { HUNDRED, type Ratio, ZERO, sum } from './ratio.ts';

/** Each weight × 100 / Σ weights; Σ of the result is exactly 100. */
export function renormalise(weights: readonly Ratio[]): Ratio[] {
  const total = sum(weights);
  if (total.sign() <= 0) throw new RangeError('Cannot renormalise weights that add up to 0');
  return weights.map((w) => w.mul(HUNDRED).div(total));
}

export interface EffectiveWeights {
  /** Whether each domain has its minimum of sufficient indicators. */
  domainScored: boolean[];
  /** Domain weights in the total (0 for dropped domains). */
  domainWeights: Ratio[];
  /** Indicator weights within their domain, summing to 100 per scored domain. */
  withinDomain: Ratio[];
  /** Indicator weights in the total: domain weight × weight within domain / 100. */
  inTotal: Ratio[];
  /** False when nothing is left to score (redistribute only). */
  scored: boolean;
}

export function effectiveWeights(criteria: CompiledCriteria, sufficient: readonly boolean[]): EffectiveWeights {
  const redistribute = criteria.rule === 'redistribute';
  const withinDomain: Ratio[] = criteria.indicators.map(() => ZERO);
  const domainScored = criteria.domains.map((domain) => {
    const kept = domain.indicators.filter((i) => sufficient[i]);
    const scored = kept.length >= domain.minIndicators;
    const members = redistribute ? kept : domain.indicators;
    if (scored || !redistribute) {
      const weights = members.map((i) => criteria.indicators[i]?.weight ?? ZERO);
      const renormalised = redistribute ? renormalise(weights) : weights;
      members.forEach((i, k) => {
        withinDomain[i] = renormalised[k] ?? ZERO;
      });
    }
    return scored;
  });

  let domainWeights = criteria.domains.map((d) => d.weight);
  let scored = true;
  if (redistribute) {
    const kept = domainWeights.filter((_, d) => domainScored[d]);
    scored = kept.length > 0;
    const renormalised = scored ? renormalise(kept) : [];
    let next = 0;
    domainWeights = domainWeights.map((_, d) => (domainScored[d] ? (renormalised[next++] ?? ZERO) : ZERO));
  }

  const inTotal = criteria.indicators.map((indicator, i) => (domainWeights[indicator.domain] ?? ZERO).mul(withinDomain[i] ?? ZERO).div(HUNDRED));
  return { domainScored, domainWeights, withinDomain, inTotal, scored };
}

/** Effective weights with their 4-decimal texts, memoised per pattern of sufficient indicators. */
export interface WeightPlan extends EffectiveWeights {
  inTotalText: string[];
  domainWeightText: string[];
  /** inTotal / maxPoints: points × this is the contribution to the total. */
  perPointInTotal: Ratio[];
  /** withinDomain / maxPoints: points × this is the contribution to the domain score. */
  perPointInDomain: Ratio[];
}

const plans = new WeakMap<CompiledCriteria, Map<number | string, WeightPlan>>();

export function weightPlan(criteria: CompiledCriteria, sufficient: readonly boolean[]): WeightPlan {
  let byPattern = plans.get(criteria);
  if (!byPattern) {
    byPattern = new Map();
    plans.set(criteria, byPattern);
  }
  // a bit mask while it fits in 31 bits, else text
  let key: number | string = 0;
  if (sufficient.length <= 31) {
    for (let i = 0; i < sufficient.length; i++) if (sufficient[i]) key |= 1 << i;
  } else {
    key = sufficient.map((s) => (s ? '1' : '0')).join('');
  }
  let plan = byPattern.get(key);
  if (!plan) {
    const weights = effectiveWeights(criteria, sufficient);
    plan = {
      ...weights,
      inTotalText: weights.inTotal.map((w) => w.toFixed(4)),
      domainWeightText: weights.domainWeights.map((w) => w.toFixed(4)),
      perPointInTotal: criteria.indicators.map((x, i) => (weights.inTotal[i] ?? ZERO).div(x.maxPoints)),
      perPointInDomain: criteria.indicators.map((x, i) => (weights.withinDomain[i] ?? ZERO).div(x.maxPoints)),
    };
    byPattern.set(key, plan);
  }
  return plan;
}
