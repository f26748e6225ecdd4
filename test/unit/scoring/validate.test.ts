import { describe, expect, it } from 'vitest';
import type { CriteriaSet, Indicator } from '#shared/domain/scoring/index.ts';
import { criteriaSetSchema, validateCriteria } from '#shared/domain/scoring/index.ts';
import { districtCriteria, METRIC_CODES } from './fixtures.ts';

const copy = (): CriteriaSet => structuredClone(districtCriteria);
const at = (c: CriteriaSet, i: number): Indicator => c.indicators[i] as Indicator;
const problems = (c: unknown) => validateCriteria(c, METRIC_CODES);

describe('validateCriteria', () => {
  it('accepts the realistic district criteria set', () => {
    expect(problems(districtCriteria)).toEqual([]);
    expect(criteriaSetSchema.safeParse(districtCriteria).success).toBe(true);
  });

  it('says which weights do not add up to 100', () => {
    const c = copy();
    at(c, 0).weight = 30; // chronic: 30 + 40 + 20
    expect(problems(c)).toEqual([{ path: 'domains.0', message: 'weights of the indicators in domain "chronic" add up to 90, not 100' }]);
    const d = copy();
    if (d.domains?.[2]) d.domains[2].weight = '25.5';
    expect(problems(d)).toEqual([{ path: 'domains', message: 'domain weights add up to 100.5, not 100' }]);
    const flat: CriteriaSet = {
      insufficientData: 'zero',
      indicators: [
        { ...at(copy(), 0), domain: undefined, weight: 60 },
        { ...at(copy(), 2), domain: undefined, weight: 0 },
      ],
    };
    expect(problems(flat)).toEqual([
      { path: 'indicators.1.weight', message: 'weight must be greater than 0' },
      { path: 'indicators', message: 'indicator weights add up to 60, not 100' },
    ]);
  });

  it('finds thresholds in the wrong order', () => {
    const c = copy();
    at(c, 0).method = { kind: 'threshold-linear', lower: 90, upper: 60, maxPoints: 10 };
    at(c, 10).method = { kind: 'achievement-improvement', threshold: 40, benchmark: 80 }; // lower is better
    expect(problems(c)).toEqual([
      { path: 'indicators.0.method.upper', message: 'upper (60) must be greater than lower (90)' },
      { path: 'indicators.10.method.benchmark', message: 'benchmark (80) must be less than threshold (40) when lower is better' },
    ]);
  });

  it('wants both or neither of threshold and benchmark', () => {
    const c = copy();
    at(c, 1).method = { kind: 'achievement-improvement', threshold: 50 };
    expect(problems(c)).toEqual([
      { path: 'indicators.1.method.benchmark', message: 'set both threshold and benchmark, or neither to derive them from the baseline' },
    ]);
  });

  it('finds unsorted, overlapping, gapped and wrongly open-ended bands', () => {
    const c = copy();
    at(c, 5).method = {
      kind: 'bands',
      bands: [
        { lower: 0, upper: 6, points: 0 },
        { lower: 5, upper: 15, points: 5 },
        { lower: 16, points: 8 },
        { lower: 12, upper: 30, points: 10 },
      ],
    };
    expect(problems(c)).toEqual([
      { path: 'indicators.5.method.bands.1.lower', message: 'overlaps band 0, which runs to 6' },
      { path: 'indicators.5.method.bands.2.upper', message: 'only the last band may be open-ended; give an upper bound' },
      { path: 'indicators.5.method.bands.2.lower', message: 'leaves a gap after band 1, which ends at 15' },
      { path: 'indicators.5.method.bands.3.upper', message: 'the last band is open-ended; remove its upper bound' },
      { path: 'indicators.5.method.bands.3.lower', message: "bands must be sorted: lower (12) is not above band 2's lower (16)" },
    ]);
  });

  it('names unknown metric codes in indicators and gates', () => {
    const c = copy();
    at(c, 0).source = { ratio: { numerator: 'htn-followup-done', denominator: 'htn-followups-due' } };
    c.gates = [{ kind: 'floor', source: { metric: 'complaints' }, min: 1, effect: 'void' }];
    expect(problems(c)).toEqual([
      { path: 'indicators.0.source.ratio.denominator', message: 'unknown metric code "htn-followups-due"' },
      { path: 'gates.0.source.metric', message: 'unknown metric code "complaints"' },
    ]);
    expect(validateCriteria(c)).toEqual([]);
  });

  it('finds duplicate codes, unknown domains, percentages out of range and a minimum n without a denominator', () => {
    const c = copy();
    at(c, 1).code = 'htn-followup-rate';
    at(c, 2).domain = 'prevention';
    at(c, 3).method = { kind: 'pass-fail', target: 101, maxPoints: 5 };
    at(c, 4).minN = 10;
    expect(problems(c)).toEqual([
      { path: 'indicators.1.code', message: 'code "htn-followup-rate" is already used by indicator 0' },
      { path: 'indicators.3.method.target', message: '101 is outside 0–100 for a percentage' },
      { path: 'indicators.4.minN', message: 'this source has no denominator or responses to set a minimum for' },
      { path: 'indicators.2.domain', message: 'unknown domain "prevention"' },
      { path: 'domains.1', message: 'weights of the indicators in domain "public-health" add up to 70, not 100' },
    ]);
  });

  it('reports shape errors with their paths', () => {
    const c = copy() as unknown as { indicators: Record<string, unknown>[]; gates: Record<string, unknown>[] };
    c.indicators[0] = { ...c.indicators[0], weight: 'forty' };
    delete c.indicators[1]?.label;
    c.gates[1] = { ...c.gates[1], effect: { capPercent: 150 } };
    const paths = problems(c).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['indicators.0.weight', 'indicators.1.label', 'gates.1.effect.capPercent']));
    expect(problems({ insufficientData: 'maybe', indicators: [] }).map((p) => p.path)).toEqual(['insufficientData', 'indicators']);
  });
});
