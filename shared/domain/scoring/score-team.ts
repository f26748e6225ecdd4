/**
 * Phase 3: one team's score from its phase-1 values and the district statistics. Per indicator
 * the points are exact; the total is Σ (weight in total × points / max points), computed exactly
 * and rounded once, half up, to 2 decimals. Displayed per-indicator figures are rounded to 4.
 */
import { type CompiledCriteria, type CompiledIndicator, compileCriteria } from './compile.ts';
import type { CriteriaSet, Label } from './criteria.ts';
import { type Explanation, explainPoints, insufficientReason } from './explain.ts';
import { type Eligibility, evaluateGates, type GateOutcome } from './gates.ts';
import { Distribution } from './percentile.ts';
import { achievementImprovement, type CmsLimits, cmsLimits } from './methods/achievement-improvement.ts';
import { banded } from './methods/bands.ts';
import type { MethodDetail, MethodOutcome } from './methods/outcome.ts';
import { passFail } from './methods/pass-fail.ts';
import { relativeStanding } from './methods/relative-standing.ts';
import { thresholdLinear } from './methods/threshold-linear.ts';
import { Ratio, sumRounded, trimZeros, ZERO } from './ratio.ts';
import type { InsufficientReason, Unit } from './sources.ts';
import type { DistrictStatistics } from './statistics.ts';
import type { TeamValues } from './values.ts';
import { weightPlan } from './weights.ts';

export interface IndicatorScore {
  code: string;
  domain: string | null;
  status: 'scored' | 'insufficient';
  reason: InsufficientReason | null;
  /** The team's value rounded half up to 4 decimals (null when missing). */
  value: string | null;
  n: number | null;
  /** Points on the method's scale, 4 decimals; null when insufficient and redistributed. */
  points: string | null;
  maxPoints: string;
  /** Weight in the total after renormalisation, 4 decimals. */
  weight: string;
  /** weight × points / maxPoints, 4 decimals. */
  contribution: string;
  detail: MethodDetail | null;
  explanation: Explanation;
}

export interface DomainScore {
  id: string;
  label: Label;
  status: 'scored' | 'insufficient';
  /** 0–100, rounded half up to 2 decimals; null when dropped by redistribution. */
  score: string | null;
  /** Weight in the total after renormalisation, 4 decimals. */
  weight: string;
}

export interface TeamScore {
  teamId: string;
  /** insufficient: nothing left to score (only under `redistribute`). */
  status: 'scored' | 'insufficient';
  /** 0–100, rounded half up to 2 decimals, once, from the exact sum. */
  total: string | null;
  indicators: IndicatorScore[];
  /** Empty when the criteria set has no domains. */
  domains: DomainScore[];
  gates: GateOutcome[];
  eligibility: Eligibility;
  capPercent: number;
}

interface CompiledStatistic {
  threshold?: Ratio | null;
  benchmark?: Ratio | null;
  /** Prepared on first use, when the indicator's unit is known. */
  limits?: CmsLimits;
  distribution?: Distribution;
}

const statisticsCache = new WeakMap<DistrictStatistics, Map<string, CompiledStatistic>>();

function compileStatistics(statistics: DistrictStatistics): Map<string, CompiledStatistic> {
  const cached = statisticsCache.get(statistics);
  if (cached) return cached;
  const compiled = new Map<string, CompiledStatistic>();
  for (const [code, s] of Object.entries(statistics.indicators)) {
    if (s.kind === 'relative-standing') {
      // sorted again in case the statistics were assembled by hand
      const sorted = s.sortedValues.map((v) => Ratio.parse(v)).sort((a, b) => a.cmp(b));
      compiled.set(code, { distribution: new Distribution(sorted) });
    } else {
      compiled.set(code, {
        threshold: s.threshold === null ? null : Ratio.parse(s.threshold),
        benchmark: s.benchmark === null ? null : Ratio.parse(s.benchmark),
      });
    }
  }
  statisticsCache.set(statistics, compiled);
  return compiled;
}

function derivedLimits(indicator: CompiledIndicator, derived: CompiledStatistic | undefined): CmsLimits | null {
  if (!derived?.threshold || !derived.benchmark) return null;
  derived.limits ??= cmsLimits(derived.threshold, derived.benchmark, indicator.unit);
  return derived.limits;
}

type Evaluated =
  | { outcome: MethodOutcome; value: Ratio; n: number | null }
  | { outcome: null; reason: InsufficientReason; value: Ratio | null; n: number | null };

function evaluate(indicator: CompiledIndicator, values: TeamValues, statistics: Map<string, CompiledStatistic>): Evaluated {
  const reading = values.values[indicator.code];
  if (!reading) return { outcome: null, reason: 'missing', value: null, n: null };
  if (reading.status !== 'ok') return { outcome: null, reason: reading.reason, value: null, n: reading.n };
  const value = Ratio.parse(reading.value);
  const n = reading.n;
  const m = indicator.method;
  switch (m.kind) {
    case 'threshold-linear':
      return { outcome: thresholdLinear(indicator, m.lower, m.upper, m.texts, value), value, n };
    case 'achievement-improvement': {
      const limits = m.limits ?? derivedLimits(indicator, statistics.get(indicator.code));
      if (limits === null) return { outcome: null, reason: 'no-statistics', value, n };
      const own = values.baseline?.[indicator.code];
      const ownBaseline = own?.status === 'ok' ? Ratio.parse(own.value) : null;
      return { outcome: achievementImprovement(indicator, limits, m.improvement, ownBaseline, value), value, n };
    }
    case 'bands':
      return { outcome: banded(m.bands, m.texts, value), value, n };
    case 'relative-standing': {
      const distribution = statistics.get(indicator.code)?.distribution;
      if (!distribution || distribution.size === 0) return { outcome: null, reason: 'no-statistics', value, n };
      return { outcome: relativeStanding(indicator, m.bands, distribution, value), value, n };
    }
    case 'pass-fail':
      return { outcome: passFail(indicator, m.target, m.texts, value), value, n };
  }
}

function insufficientText(indicator: CompiledIndicator, reason: InsufficientReason, n: number | null, rule: CompiledCriteria['rule']): Explanation {
  const why = insufficientReason(reason, n, indicator.minN);
  const { label } = indicator;
  if (rule === 'redistribute') {
    return { en: `${label.en}: insufficient data (${why.en}); weight redistributed`, zh: `${label.zh}：数据不足（${why.zh}），权重重新分配` };
  }
  const max = indicator.maxText;
  return { en: `${label.en}: insufficient data (${why.en}): 0 of ${max} points`, zh: `${label.zh}：数据不足（${why.zh}）：得 0 分（满分 ${max} 分）` };
}

const TOTAL_DECIMALS = 2;
const ZERO_FIGURE = '0.0000';

// Whole points (CMS, most bands, pass-fail) are common: their texts are looked up, not formatted.
const WHOLE_POINTS = Array.from({ length: 101 }, (_, k): [string, string] => [`${k}.0000`, `${k}`]);

/** Points to 4 decimals and, for explanations, to 1 decimal without a trailing ".0". */
function pointsTexts(points: Ratio): [string, string] {
  if (points.den === 1 && typeof points.num === 'number' && points.num >= 0 && points.num <= 100) {
    return WHOLE_POINTS[points.num] as [string, string];
  }
  const [fine, coarse] = points.toFixedPair(4, 1);
  return [fine, trimZeros(coarse)];
}

/** The value to 4 decimals and, for explanations, to 1 decimal (whole counts as they are). */
function valueTexts(value: Ratio, unit: Unit): [string, string] {
  const [fine, coarse] = value.toFixedPair(4, 1);
  return unit === 'plain' && value.den === 1 ? [fine, `${value.num}`] : [fine, coarse];
}

export function scoreTeam(criteria: CriteriaSet, statistics: DistrictStatistics, values: TeamValues): TeamScore {
  const compiled = compileCriteria(criteria);
  const stats = compileStatistics(statistics);
  const evaluated = compiled.indicators.map((indicator) => evaluate(indicator, values, stats));
  const weights = weightPlan(
    compiled,
    evaluated.map((e) => e.outcome !== null),
  );
  const redistribute = compiled.rule === 'redistribute';

  const contributions: Ratio[] = [];
  const withinDomain: Ratio[][] = compiled.domains.map(() => []);
  const indicators = compiled.indicators.map((indicator, i): IndicatorScore => {
    const e = evaluated[i] as Evaluated;
    const counted = weights.domainScored[indicator.domain] === true;
    const valueText = e.value ? valueTexts(e.value, indicator.unit) : null;
    const code = indicator.code;
    const domain = compiled.domains[indicator.domain]?.id ?? null;
    if (e.outcome === null) {
      contributions.push(ZERO);
      // full literals, not spreads: same shape for every result, which keeps them fast
      return {
        code,
        domain,
        status: 'insufficient',
        reason: e.reason,
        value: valueText ? valueText[0] : null,
        n: e.n,
        points: redistribute ? null : ZERO_FIGURE,
        maxPoints: indicator.maxText,
        weight: weights.inTotalText[i] ?? ZERO_FIGURE,
        contribution: ZERO_FIGURE,
        detail: null,
        explanation: insufficientText(indicator, e.reason, e.n, compiled.rule),
      };
    }
    const points = e.outcome.points;
    const contribution = counted ? points.mul(weights.perPointInTotal[i] ?? ZERO) : ZERO;
    contributions.push(contribution);
    if (compiled.hasDomains) withinDomain[indicator.domain]?.push(points.mul(weights.perPointInDomain[i] ?? ZERO));
    const [points4, points1] = pointsTexts(points);
    return {
      code,
      domain,
      status: 'scored',
      reason: null,
      value: valueText ? valueText[0] : null,
      n: e.n,
      points: points4,
      maxPoints: indicator.maxText,
      weight: weights.inTotalText[i] ?? ZERO_FIGURE,
      contribution: contribution.isZero() ? ZERO_FIGURE : contribution.toFixed(4),
      detail: e.outcome.detail,
      explanation: explainPoints(indicator, valueText ? valueText[1] : '', e.outcome.middle, points1),
    };
  });

  const domains: DomainScore[] = compiled.hasDomains
    ? compiled.domains.map((domain, d) => {
        const scored = weights.domainScored[d] === true;
        const label = criteria.domains?.[d]?.label ?? { en: '', zh: '' };
        const score = scored ? sumRounded(withinDomain[d] ?? [], TOTAL_DECIMALS) : redistribute ? null : ZERO.toFixed(TOTAL_DECIMALS);
        return {
          id: domain.id ?? '',
          label,
          status: scored ? 'scored' : 'insufficient',
          score,
          weight: weights.domainWeightText[d] ?? ZERO_FIGURE,
        };
      })
    : [];

  const verdict = evaluateGates(compiled, values);
  return {
    teamId: values.teamId,
    status: weights.scored ? 'scored' : 'insufficient',
    total: weights.scored ? sumRounded(contributions, TOTAL_DECIMALS) : null,
    indicators,
    domains,
    gates: verdict.gates,
    eligibility: verdict.eligibility,
    capPercent: verdict.capPercent,
  };
}
