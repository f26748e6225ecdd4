import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CriteriaSet, Indicator } from '#shared/domain/scoring/index.ts';
import { Ratio, renormalise } from '#shared/domain/scoring/index.ts';
import { criteriaOf, indicator, scoreAlone, team } from './helpers.ts';

/** Three rate indicators out of `a`, `b`, `c` metrics, weights 50/30/20, each needing n ≥ 30. */
function threeRates(extra: Partial<CriteriaSet> = {}, domains?: [string, string, string]): CriteriaSet {
  const rate = (code: string, weight: number, domain?: string): Indicator =>
    indicator({
      code,
      label: { en: `${code} rate`, zh: `${code} 率` },
      weight,
      source: { ratio: { numerator: `${code}-done`, denominator: `${code}-due` } },
      minN: 30,
      method: { kind: 'threshold-linear', lower: 0, upper: 100, maxPoints: 10 },
      ...(domain ? { domain } : {}),
    });
  return criteriaOf([rate('a', 50, domains?.[0]), rate('b', 30, domains?.[1]), rate('c', 20, domains?.[2])], extra);
}

/** Rates as percentages out of 100, or a too-small denominator for null. */
function rates(a: number | null, b: number | null, c: number | null) {
  const metrics: Record<string, number> = {};
  for (const [code, rate] of [
    ['a', a],
    ['b', b],
    ['c', c],
  ] as const) {
    metrics[`${code}-done`] = rate === null ? 1 : rate;
    metrics[`${code}-due`] = rate === null ? 8 : 100;
  }
  return team('t', metrics);
}

describe('weights and insufficient data', () => {
  it('sums weight × points / max points into a 0–100 total rounded once to 2 decimals', () => {
    const score = scoreAlone(threeRates(), rates(80, 70, 33.3));
    // 50 × 0.8 + 30 × 0.7 + 20 × 0.333 = 40 + 21 + 6.66
    expect(score.total).toBe('67.66');
    expect(score.indicators.map((x) => [x.weight, x.contribution])).toEqual([
      ['50.0000', '40.0000'],
      ['30.0000', '21.0000'],
      ['20.0000', '6.6600'],
    ]);
  });

  it('redistribute drops an insufficient indicator and renormalises the rest to 100', () => {
    const score = scoreAlone(threeRates(), rates(80, 70, null));
    expect(score.indicators.map((x) => x.weight)).toEqual(['62.5000', '37.5000', '0.0000']);
    // 62.5 × 0.8 + 37.5 × 0.7 = 50 + 26.25
    expect(score.total).toBe('76.25');
    expect(score.indicators[2]).toMatchObject({ status: 'insufficient', reason: 'below-minimum', n: 8, points: null, contribution: '0.0000' });
  });

  it('zero keeps the weights and scores the insufficient indicator 0', () => {
    const score = scoreAlone(threeRates({ insufficientData: 'zero' }), rates(80, 70, null));
    expect(score.indicators.map((x) => x.weight)).toEqual(['50.0000', '30.0000', '20.0000']);
    expect(score.total).toBe('61.00');
    expect(score.indicators[2]?.points).toBe('0.0000');
    expect(score.indicators[2]?.explanation).toEqual({
      en: 'c rate: insufficient data (n = 8, minimum 30): 0 of 10 points',
      zh: 'c 率：数据不足（样本 8，最少 30）：得 0 分（满分 10 分）',
    });
  });

  it('a domain without sufficient indicators drops out (redistribute) or scores 0 (zero)', () => {
    const domains = [
      { id: 'x', label: { en: 'X', zh: '甲' }, weight: 60 },
      { id: 'y', label: { en: 'Y', zh: '乙' }, weight: 40 },
    ];
    const withDomains = (rule: 'redistribute' | 'zero') => {
      const c = threeRates({ insufficientData: rule, domains }, ['x', 'x', 'y']);
      // within domain x: a 50, b 30 → must add to 100
      for (const x of c.indicators) x.weight = x.code === 'a' ? 60 : x.code === 'b' ? 40 : 100;
      return c;
    };
    const redistributed = scoreAlone(withDomains('redistribute'), rates(80, 70, null));
    expect(redistributed.domains).toEqual([
      { id: 'x', label: { en: 'X', zh: '甲' }, status: 'scored', score: '76.00', weight: '100.0000' },
      { id: 'y', label: { en: 'Y', zh: '乙' }, status: 'insufficient', score: null, weight: '0.0000' },
    ]);
    expect(redistributed.total).toBe('76.00');
    const zeroed = scoreAlone(withDomains('zero'), rates(80, 70, null));
    expect(zeroed.domains.map((d) => [d.status, d.score, d.weight])).toEqual([
      ['scored', '76.00', '60.0000'],
      ['insufficient', '0.00', '40.0000'],
    ]);
    // 60 × 0.76
    expect(zeroed.total).toBe('45.60');
  });

  it('a domain needs its minimum number of sufficient indicators', () => {
    const c = threeRates({ domains: [{ id: 'x', label: { en: 'X', zh: '甲' }, weight: 100, minIndicators: 3 }] }, ['x', 'x', 'x']);
    const score = scoreAlone(c, rates(80, 70, null));
    expect(score.status).toBe('insufficient');
    expect(score.total).toBeNull();
  });

  it('renormalised weights always sum to exactly 100', () => {
    const weight = fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 4 }));
    fc.assert(
      fc.property(fc.array(weight, { minLength: 1, maxLength: 20 }), (ws) => {
        const weights = ws.map(([n, places]) => Ratio.of(n, 10 ** places));
        const total = renormalise(weights).reduce((s, w) => s.add(w), Ratio.of(0));
        expect(total.toString()).toBe('100');
      }),
    );
  });
});

const gated = (gates: CriteriaSet['gates']): CriteriaSet => ({ ...threeRates(), gates });
const satisfaction = (responses: number, topBox: number) => ({ survey: { responses, topBox } });

describe('gates', () => {
  const floor = {
    kind: 'floor' as const,
    label: { en: 'satisfaction', zh: '满意度' },
    source: { survey: 'topBoxShare' as const },
    min: 60,
    minN: 30,
    effect: { capPercent: 50 },
  };

  it('a floor below its minimum caps the incentive, whatever the score', () => {
    const facts = { ...rates(100, 100, 100), ...satisfaction(100, 59) };
    const score = scoreAlone(gated([floor]), facts);
    expect(score.total).toBe('100.00');
    expect(score.eligibility).toBe('capped');
    expect(score.capPercent).toBe(50);
    expect(score.gates[0]).toMatchObject({ status: 'triggered', value: '59' });
    expect(score.gates[0]?.explanation).toEqual({
      en: 'satisfaction 59.0 % below floor 60 %: incentive capped at 50 %',
      zh: '满意度 59.0%，低于底线 60%：激励封顶 50%',
    });
  });

  it('passes exactly at the floor, and is not applied without enough responses', () => {
    expect(scoreAlone(gated([floor]), { ...rates(50, 50, 50), ...satisfaction(100, 60) }).eligibility).toBe('eligible');
    const few = scoreAlone(gated([floor]), { ...rates(50, 50, 50), ...satisfaction(10, 1) });
    expect(few.eligibility).toBe('eligible');
    expect(few.capPercent).toBe(100);
    expect(few.gates[0]?.status).toBe('insufficient');
  });

  it('a missing upload voids; the strictest of several triggered gates wins', () => {
    const gates: CriteriaSet['gates'] = [floor, { kind: 'missing-upload', effect: 'void' }];
    const facts = { ...rates(50, 50, 50), ...satisfaction(100, 10), uploaded: false };
    const score = scoreAlone(gated(gates), facts);
    expect(score.eligibility).toBe('void');
    expect(score.capPercent).toBe(0);
    expect(score.gates.map((g) => g.status)).toEqual(['triggered', 'triggered']);
    expect(score.gates[1]?.explanation).toEqual({
      en: 'metrics upload: missing for the period: incentive void',
      zh: '指标上报：本期未上报：取消激励',
    });
  });

  it('two caps give the lower one', () => {
    const gates: CriteriaSet['gates'] = [floor, { ...floor, min: 80, effect: { capPercent: 30 } }];
    const score = scoreAlone(gated(gates), { ...rates(50, 50, 50), ...satisfaction(100, 55) });
    expect([score.eligibility, score.capPercent]).toEqual(['capped', 30]);
  });
});
