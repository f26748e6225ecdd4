import { describe, expect, it } from 'vitest';
import { criteriaOf, firstIndicator, followUp, indicator, metricValue, scoreAlone } from './helpers.ts';

const qof = criteriaOf([indicator({ method: { kind: 'threshold-linear', lower: 60, upper: 90, maxPoints: 10 }, minN: 20 })]);

describe('threshold-linear (QOF)', () => {
  it('scales linearly between the thresholds and explains it in both languages', () => {
    const score = firstIndicator(scoreAlone(qof, followUp('t1', 82)));
    // (82 − 60)/(90 − 60) × 10 = 22/3
    expect(score.points).toBe('7.3333');
    expect(score.value).toBe('82.0000');
    expect(score.n).toBe(100);
    expect(score.detail).toEqual({ kind: 'threshold-linear', position: 'between' });
    expect(score.explanation).toEqual({
      en: 'follow-up rate 82.0 % between 60 % and 90 %: 7.3 of 10 points',
      zh: '随访率 82.0%，介于 60% 与 90% 之间：得 7.3 分（满分 10 分）',
    });
  });

  it('gives 0 exactly at the lower threshold and all points exactly at the upper one', () => {
    const atLower = firstIndicator(scoreAlone(qof, followUp('t1', 60)));
    expect(atLower.points).toBe('0.0000');
    expect(atLower.explanation.en).toBe('follow-up rate 60.0 % at or below 60 %: 0 of 10 points');
    expect(atLower.explanation.zh).toBe('随访率 60.0%，不高于 60%：得 0 分（满分 10 分）');
    const atUpper = firstIndicator(scoreAlone(qof, followUp('t1', 90)));
    expect(atUpper.points).toBe('10.0000');
    expect(atUpper.explanation.en).toBe('follow-up rate 90.0 % at or above 90 %: 10 of 10 points');
    expect(firstIndicator(scoreAlone(qof, followUp('t1', 100))).points).toBe('10.0000');
  });

  it('keeps points exact: a third of a percent above the lower threshold', () => {
    // 181/300 = 60.333…%: (1/3)/30 × 10 = 1/9 point
    const score = scoreAlone(qof, followUp('t1', 181, 300));
    expect(firstIndicator(score).points).toBe('0.1111');
    expect(score.total).toBe('1.11');
  });

  it('mirrors for lower-is-better: all points at or below lower, none at or above upper', () => {
    const lower = criteriaOf([
      indicator({
        code: 'waiting',
        label: { en: 'waiting days', zh: '等待天数' },
        source: { metric: 'value' },
        higherIsBetter: false,
        method: { kind: 'threshold-linear', lower: 5, upper: 20, maxPoints: 10 },
      }),
    ]);
    expect(firstIndicator(scoreAlone(lower, metricValue('t', 5))).points).toBe('10.0000');
    expect(firstIndicator(scoreAlone(lower, metricValue('t', 20))).points).toBe('0.0000');
    const middle = firstIndicator(scoreAlone(lower, metricValue('t', '12.5')));
    expect(middle.points).toBe('5.0000');
    expect(middle.explanation.en).toBe('waiting days 12.5 between 5 and 20: 5 of 10 points');
  });

  it('is insufficient below the minimum denominator', () => {
    const score = scoreAlone(qof, followUp('t1', 10, 12));
    expect(firstIndicator(score)).toMatchObject({ status: 'insufficient', reason: 'below-minimum', n: 12, points: null });
    expect(firstIndicator(score).explanation).toEqual({
      en: 'follow-up rate: insufficient data (n = 12, minimum 20); weight redistributed',
      zh: '随访率：数据不足（样本 12，最少 20），权重重新分配',
    });
    expect(score.status).toBe('insufficient');
    expect(score.total).toBeNull();
  });
});
