/**
 * A criteria document turned, once, into exact numbers and lookups for the hot path. Compiled
 * forms are cached per document object, so treat criteria documents as immutable.
 */
import { DomainError } from '../errors.ts';
import type { Band, CriteriaSet, GateEffect, InsufficientDataRule, Label, MethodKind, ValueSource } from './criteria.ts';
import { type Explanation, shownLimit } from './explain.ts';
import { type CmsLimits, cmsLimits } from './methods/achievement-improvement.ts';
import { type BandTexts, type CompiledBand, bandTexts } from './methods/bands.ts';
import { type PassFailTexts, passFailTexts } from './methods/pass-fail.ts';
import { type Position, thresholdLinearTexts } from './methods/threshold-linear.ts';
import { HUNDRED, Ratio, ZERO } from './ratio.ts';
import { type Unit, unitOf } from './sources.ts';
import { validateCriteria } from './validate.ts';

/** Exact limits, plus the explanation pieces that are the same for every team. */
export type CompiledMethod =
  | { kind: 'threshold-linear'; lower: Ratio; upper: Ratio; texts: Record<Position, Explanation> }
  | { kind: 'achievement-improvement'; limits: CmsLimits | null; improvement: boolean }
  | { kind: 'bands'; bands: CompiledBand[]; texts: BandTexts }
  | { kind: 'relative-standing'; bands: CompiledBand[] | null }
  | { kind: 'pass-fail'; target: Ratio; texts: PassFailTexts };

export interface CompiledIndicator {
  index: number;
  code: string;
  label: Label;
  domain: number;
  weight: Ratio;
  source: ValueSource;
  unit: Unit;
  higherIsBetter: boolean;
  minN: number;
  maxPoints: Ratio;
  /** maxPoints as shown, up to 4 decimals */
  maxText: string;
  method: CompiledMethod;
}

export interface CompiledDomain {
  /** null for the single implicit domain of a criteria set without domains. */
  id: string | null;
  weight: Ratio;
  minIndicators: number;
  indicators: number[];
}

export interface CompiledGate {
  index: number;
  kind: 'floor' | 'missing-upload';
  label: Label;
  source: ValueSource | null;
  unit: Unit;
  min: Ratio | null;
  /** `min` as shown in explanations */
  minShown: Explanation | null;
  minN: number;
  effect: GateEffect;
}

export interface CompiledCriteria {
  rule: InsufficientDataRule;
  hasDomains: boolean;
  domains: CompiledDomain[];
  indicators: CompiledIndicator[];
  gates: CompiledGate[];
  /** Indicators needing district statistics, by kind. */
  needsStatistics: { code: string; kind: Extract<MethodKind, 'achievement-improvement' | 'relative-standing'> }[];
}

const cache = new WeakMap<CriteriaSet, CompiledCriteria>();

export function compileCriteria(criteria: CriteriaSet): CompiledCriteria {
  const cached = cache.get(criteria);
  if (cached) return cached;
  const problems = validateCriteria(criteria);
  if (problems.length > 0) {
    const first = problems[0];
    throw new DomainError('invalid', 'criteria-invalid', `Invalid criteria: ${first?.path}: ${first?.message}`, { problems });
  }
  const compiled = build(criteria);
  cache.set(criteria, compiled);
  return compiled;
}

const bandsOf = (bands: readonly Band[]): CompiledBand[] =>
  bands.map((b) => ({
    lower: Ratio.decimal(b.lower),
    upper: b.upper === undefined ? null : Ratio.decimal(b.upper),
    points: Ratio.decimal(b.points),
  }));

const highest = (bands: readonly CompiledBand[]): Ratio => bands.reduce((m, b) => (b.points.gt(m) ? b.points : m), ZERO);

const CMS_MAX_POINTS = Ratio.of(10);

function build(criteria: CriteriaSet): CompiledCriteria {
  const domains: CompiledDomain[] = criteria.domains
    ? criteria.domains.map((d) => ({ id: d.id, weight: Ratio.decimal(d.weight), minIndicators: d.minIndicators ?? 1, indicators: [] }))
    : [{ id: null, weight: HUNDRED, minIndicators: 1, indicators: [] }];
  const domainIndex = new Map(domains.map((d, i) => [d.id, i]));

  const indicators = criteria.indicators.map((x, index): CompiledIndicator => {
    const domain = domainIndex.get(x.domain ?? null) ?? 0;
    domains[domain]?.indicators.push(index);
    const m = x.method;
    const unit = unitOf(x.source);
    let method: CompiledMethod;
    let maxPoints: Ratio;
    switch (m.kind) {
      case 'threshold-linear': {
        const lower = Ratio.decimal(m.lower);
        const upper = Ratio.decimal(m.upper);
        method = { kind: m.kind, lower, upper, texts: thresholdLinearTexts(lower, upper, unit) };
        maxPoints = Ratio.decimal(m.maxPoints);
        break;
      }
      case 'achievement-improvement':
        method = {
          kind: m.kind,
          limits: m.threshold === undefined || m.benchmark === undefined ? null : cmsLimits(Ratio.decimal(m.threshold), Ratio.decimal(m.benchmark), unit),
          improvement: m.improvement ?? true,
        };
        maxPoints = CMS_MAX_POINTS;
        break;
      case 'bands': {
        const bands = bandsOf(m.bands);
        method = { kind: m.kind, bands, texts: bandTexts(bands, unit) };
        maxPoints = highest(bands);
        break;
      }
      case 'relative-standing':
        method = { kind: m.kind, bands: m.bands ? bandsOf(m.bands) : null };
        maxPoints = Ratio.decimal(m.maxPoints);
        break;
      case 'pass-fail': {
        const target = Ratio.decimal(m.target);
        method = { kind: m.kind, target, texts: passFailTexts(target, unit, x.higherIsBetter) };
        maxPoints = Ratio.decimal(m.maxPoints);
        break;
      }
    }
    return {
      index,
      code: x.code,
      label: x.label,
      domain,
      weight: Ratio.decimal(x.weight),
      source: x.source,
      unit,
      higherIsBetter: x.higherIsBetter,
      minN: x.minN ?? 0,
      maxPoints,
      maxText: maxPoints.toDecimal(4),
      method,
    };
  });

  const gates = (criteria.gates ?? []).map((g, index): CompiledGate => {
    if (g.kind === 'missing-upload') {
      const label = g.label ?? { en: 'metrics upload', zh: '指标上报' };
      return { index, kind: g.kind, label, source: null, unit: 'plain', min: null, minShown: null, minN: 0, effect: g.effect };
    }
    const label = g.label ?? { en: 'floor', zh: '底线' };
    const unit = unitOf(g.source);
    const min = Ratio.decimal(g.min);
    return { index, kind: g.kind, label, source: g.source, unit, min, minShown: shownLimit(min, unit), minN: g.minN ?? 0, effect: g.effect };
  });

  const needsStatistics = indicators.flatMap((x) =>
    x.method.kind === 'relative-standing' || (x.method.kind === 'achievement-improvement' && x.method.limits === null)
      ? [{ code: x.code, kind: x.method.kind }]
      : [],
  );

  return { rule: criteria.insufficientData, hasDomains: criteria.domains !== undefined, domains, indicators, gates, needsStatistics };
}
