/**
 * Validation of a criteria document: first its shape (zod), then the rules that span fields.
 * Every problem names the offending field by a dotted path such as `indicators.3.method.upper`.
 */
import type { Band, CriteriaSet, Indicator, ScoringMethod, ValueSource } from './criteria.ts';
import { criteriaSetSchema } from './criteria-schema.ts';
import { HUNDRED, Ratio, ZERO, sum } from './ratio.ts';
import { hasN, unitOf } from './sources.ts';

export interface CriteriaProblem {
  path: string;
  message: string;
}

/**
 * All problems of `document`, or an empty list. Pass the catalogue of known metric codes to check
 * metric references; leave it out (null) to skip that check.
 */
export function validateCriteria(document: unknown, knownMetricCodes: Iterable<string> | null = null): CriteriaProblem[] {
  const parsed = criteriaSetSchema.safeParse(document);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  }
  const known = knownMetricCodes === null ? null : new Set(knownMetricCodes);
  return semanticProblems(parsed.data, known);
}

const show = (x: Ratio): string => x.toDecimal(6);

function semanticProblems(criteria: CriteriaSet, known: Set<string> | null): CriteriaProblem[] {
  const problems: CriteriaProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const codes = new Map<string, number>();
  criteria.indicators.forEach((indicator, i) => {
    const first = codes.get(indicator.code);
    if (first !== undefined) add(`indicators.${i}.code`, `code "${indicator.code}" is already used by indicator ${first}`);
    else codes.set(indicator.code, i);
    checkIndicator(indicator, `indicators.${i}`, known, add);
  });

  checkWeights(criteria, add);

  (criteria.gates ?? []).forEach((gate, g) => {
    if (gate.kind !== 'floor') return;
    checkSource(gate.source, `gates.${g}.source`, known, add);
    if ((gate.minN ?? 0) > 0 && !hasN(gate.source)) add(`gates.${g}.minN`, 'this source has no denominator or responses to set a minimum for');
  });
  return problems;
}

type Add = (path: string, message: string) => void;

function checkWeights(criteria: CriteriaSet, add: Add): void {
  const domains = criteria.domains;
  if (!domains) {
    criteria.indicators.forEach((indicator, i) => {
      if (indicator.domain !== undefined) add(`indicators.${i}.domain`, 'this criteria set has no domains; remove the domain');
    });
    checkLevel(
      criteria.indicators.map((x) => x.weight),
      'indicators',
      (i) => `indicators.${i}.weight`,
      'indicator weights',
      add,
    );
    return;
  }
  const ids = new Map<string, number>();
  domains.forEach((domain, d) => {
    if (ids.has(domain.id)) add(`domains.${d}.id`, `domain id "${domain.id}" is already used by domain ${ids.get(domain.id)}`);
    else ids.set(domain.id, d);
  });
  checkLevel(
    domains.map((x) => x.weight),
    'domains',
    (d) => `domains.${d}.weight`,
    'domain weights',
    add,
  );
  const members = domains.map(() => [] as number[]);
  criteria.indicators.forEach((indicator, i) => {
    const d = indicator.domain === undefined ? undefined : ids.get(indicator.domain);
    if (indicator.domain === undefined) add(`indicators.${i}.domain`, 'name the domain this indicator belongs to');
    else if (d === undefined) add(`indicators.${i}.domain`, `unknown domain "${indicator.domain}"`);
    else members[d]?.push(i);
  });
  domains.forEach((domain, d) => {
    const inDomain = members[d] ?? [];
    if (inDomain.length === 0) {
      add(`domains.${d}`, `domain "${domain.id}" has no indicators`);
      return;
    }
    if ((domain.minIndicators ?? 1) > inDomain.length) {
      add(`domains.${d}.minIndicators`, `domain "${domain.id}" has only ${inDomain.length} indicators`);
    }
    checkLevel(
      inDomain.map((i) => criteria.indicators[i]?.weight ?? 0),
      `domains.${d}`,
      (k) => `indicators.${inDomain[k]}.weight`,
      `weights of the indicators in domain "${domain.id}"`,
      add,
    );
  });
}

/** Weights of one level: each positive, together exactly 100. */
function checkLevel(weights: readonly (number | string)[], path: string, itemPath: (k: number) => string, what: string, add: Add): void {
  const exact = weights.map((w) => Ratio.decimal(w));
  exact.forEach((w, k) => {
    if (w.sign() <= 0) add(itemPath(k), 'weight must be greater than 0');
  });
  const total = sum(exact);
  if (!total.eq(HUNDRED)) add(path, `${what} add up to ${show(total)}, not 100`);
}

function checkSource(source: ValueSource, path: string, known: Set<string> | null, add: Add): void {
  if (known === null) return;
  if ('metric' in source && !known.has(source.metric)) add(`${path}.metric`, `unknown metric code "${source.metric}"`);
  if ('ratio' in source) {
    const { numerator, denominator } = source.ratio;
    if (!known.has(numerator)) add(`${path}.ratio.numerator`, `unknown metric code "${numerator}"`);
    if (!known.has(denominator)) add(`${path}.ratio.denominator`, `unknown metric code "${denominator}"`);
  }
}

function checkIndicator(indicator: Indicator, path: string, known: Set<string> | null, add: Add): void {
  checkSource(indicator.source, `${path}.source`, known, add);
  if ((indicator.minN ?? 0) > 0 && !hasN(indicator.source)) {
    add(`${path}.minN`, 'this source has no denominator or responses to set a minimum for');
  }
  const percent = unitOf(indicator.source) === 'percent';
  checkMethod(indicator.method, indicator.higherIsBetter, percent, `${path}.method`, add);
}

function checkPercent(value: Ratio, percent: boolean, path: string, add: Add): void {
  if (percent && (value.sign() < 0 || value.gt(HUNDRED))) add(path, `${show(value)} is outside 0–100 for a percentage`);
}

function positive(value: number | string, path: string, add: Add): void {
  if (Ratio.decimal(value).sign() <= 0) add(path, 'must be greater than 0');
}

function checkMethod(method: ScoringMethod, higherIsBetter: boolean, percent: boolean, path: string, add: Add): void {
  switch (method.kind) {
    case 'threshold-linear': {
      const lower = Ratio.decimal(method.lower);
      const upper = Ratio.decimal(method.upper);
      checkPercent(lower, percent, `${path}.lower`, add);
      checkPercent(upper, percent, `${path}.upper`, add);
      if (!upper.gt(lower)) add(`${path}.upper`, `upper (${show(upper)}) must be greater than lower (${show(lower)})`);
      positive(method.maxPoints, `${path}.maxPoints`, add);
      return;
    }
    case 'achievement-improvement': {
      const { threshold, benchmark } = method;
      if ((threshold === undefined) !== (benchmark === undefined)) {
        const missing = threshold === undefined ? 'threshold' : 'benchmark';
        add(`${path}.${missing}`, 'set both threshold and benchmark, or neither to derive them from the baseline');
        return;
      }
      if (threshold === undefined || benchmark === undefined) return;
      const at = Ratio.decimal(threshold);
      const b = Ratio.decimal(benchmark);
      checkPercent(at, percent, `${path}.threshold`, add);
      checkPercent(b, percent, `${path}.benchmark`, add);
      const ordered = higherIsBetter ? b.gt(at) : b.lt(at);
      if (!ordered) {
        const word = higherIsBetter ? 'greater' : 'less';
        add(`${path}.benchmark`, `benchmark (${show(b)}) must be ${word} than threshold (${show(at)}) when ${higherIsBetter ? 'higher' : 'lower'} is better`);
      }
      return;
    }
    case 'bands':
      checkBands(method.bands, `${path}.bands`, null, add);
      return;
    case 'relative-standing':
      positive(method.maxPoints, `${path}.maxPoints`, add);
      if (method.bands) checkBands(method.bands, `${path}.bands`, Ratio.decimal(method.maxPoints), add);
      return;
    case 'pass-fail':
      checkPercent(Ratio.decimal(method.target), percent, `${path}.target`, add);
      positive(method.maxPoints, `${path}.maxPoints`, add);
      return;
  }
}

/** Sorted, touching, non-overlapping [lower, upper) bands, only the last open-ended. */
function checkBands(bands: readonly Band[], path: string, maxPoints: Ratio | null, add: Add): void {
  let best = ZERO;
  bands.forEach((band, k) => {
    const here = `${path}.${k}`;
    const lower = Ratio.decimal(band.lower);
    const points = Ratio.decimal(band.points);
    if (points.sign() < 0) add(`${here}.points`, 'points must not be negative');
    if (points.gt(best)) best = points;
    if (maxPoints && points.gt(maxPoints)) add(`${here}.points`, `points (${show(points)}) exceed maxPoints (${show(maxPoints)})`);
    const last = k === bands.length - 1;
    if (band.upper === undefined) {
      if (!last) add(`${here}.upper`, 'only the last band may be open-ended; give an upper bound');
    } else {
      const upper = Ratio.decimal(band.upper);
      if (last) add(`${here}.upper`, 'the last band is open-ended; remove its upper bound');
      if (!upper.gt(lower)) add(`${here}.upper`, `upper (${show(upper)}) must be greater than lower (${show(lower)})`);
    }
    const previous = bands[k - 1];
    if (!previous) return;
    const previousLower = Ratio.decimal(previous.lower);
    if (!lower.gt(previousLower)) {
      add(`${here}.lower`, `bands must be sorted: lower (${show(lower)}) is not above band ${k - 1}'s lower (${show(previousLower)})`);
      return;
    }
    if (previous.upper === undefined) return;
    const previousUpper = Ratio.decimal(previous.upper);
    if (previousUpper.gt(lower)) add(`${here}.lower`, `overlaps band ${k - 1}, which runs to ${show(previousUpper)}`);
    if (previousUpper.lt(lower)) add(`${here}.lower`, `leaves a gap after band ${k - 1}, which ends at ${show(previousUpper)}`);
  });
  if (best.isZero()) add(path, 'at least one band must give points');
}
