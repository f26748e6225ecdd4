import { describe, expect, it } from 'vitest';
import { achievementPoints, improvementPoints, percentile, Ratio, topDecileMean } from '#shared/domain/scoring/index.ts';
import { criteriaOf, firstIndicator, followUp, indicator, metricValue, scoreAlone, scoreIn } from './helpers.ts';

const d = (x: string | number) => Ratio.decimal(x);

const handSet = criteriaOf([
  indicator({
    code: 'control',
    label: { en: 'blood pressure control', zh: '血压控制率' },
    source: { metric: 'value' },
    method: { kind: 'achievement-improvement', threshold: '0.50', benchmark: '0.65' },
  }),
]);

describe('achievement points (CMS VBP)', () => {
  it('computes 9 × 0.09/0.15 + 0.5 = 5.9 exactly and rounds it to 6', () => {
    expect(achievementPoints(d('0.59'), d('0.50'), d('0.65'))).toBe(6);
    expect(firstIndicator(scoreAlone(handSet, metricValue('t', 0.59))).points).toBe('6.0000');
  });

  it('rounds an exact half up where binary floating point falls just short', () => {
    // 9 × 0.10/0.15 + 0.5 is exactly 6.5; in doubles it is 6.4999999999999982
    const float = 9 * ((0.6 - 0.5) / (0.65 - 0.5)) + 0.5;
    expect(Math.floor(float + 0.5)).toBe(6);
    expect(achievementPoints(d(0.6), d(0.5), d(0.65))).toBe(7);
    expect(firstIndicator(scoreAlone(handSet, metricValue('t', 0.6))).points).toBe('7.0000');
  });

  it('gives 1 point exactly at the threshold, 10 exactly at the benchmark, 0 below the threshold', () => {
    expect(achievementPoints(d('0.50'), d('0.50'), d('0.65'))).toBe(1);
    expect(achievementPoints(d('0.65'), d('0.50'), d('0.65'))).toBe(10);
    expect(achievementPoints(d('0.4999'), d('0.50'), d('0.65'))).toBe(0);
    expect(achievementPoints(d('0.99'), d('0.50'), d('0.65'))).toBe(10);
    // just under the benchmark: 9 × 0.1499/0.15 + 0.5 = 9.494 → 9
    expect(achievementPoints(d('0.6499'), d('0.50'), d('0.65'))).toBe(9);
  });
});

describe('improvement points (CMS VBP)', () => {
  it('round(10 × (score − own baseline)/(B − own baseline) − 0.5), exact halves up', () => {
    // 10 × 0.18/0.25 − 0.5 = 6.7 → 7
    expect(improvementPoints(d('0.58'), d('0.40'), d('0.65'))).toBe(7);
    // 10 × 0.1/0.25 − 0.5 = 3.5 → 4 (ties up)
    expect(improvementPoints(d('0.50'), d('0.40'), d('0.65'))).toBe(4);
    expect(improvementPoints(d('0.40'), d('0.40'), d('0.65'))).toBe(0);
    expect(improvementPoints(d('0.30'), d('0.40'), d('0.65'))).toBe(0);
    expect(improvementPoints(d('0.65'), d('0.40'), d('0.65'))).toBe(10);
  });

  it('counts the better of achievement and improvement and explains both', () => {
    const score = firstIndicator(scoreAlone(handSet, metricValue('t', '0.58'), metricValue('t', '0.40')));
    // achievement round(9 × 0.08/0.15 + 0.5) = round(5.3) = 5; improvement 7
    expect(score.points).toBe('7.0000');
    expect(score.detail).toEqual({
      kind: 'achievement-improvement',
      threshold: '0.5',
      benchmark: '0.65',
      achievement: 5,
      improvement: 7,
      ownBaseline: '0.4',
    });
    expect(score.explanation).toEqual({
      en: 'blood pressure control 0.6: achievement 5 (threshold 0.5, benchmark 0.65), improvement 7 (own baseline 0.4): 7 of 10 points',
      zh: '血压控制率 0.6：达标分 5（阈值 0.5，标杆 0.65），改进分 7（自身基线 0.4）：得 7 分（满分 10 分）',
    });
  });

  it('without an own baseline only achievement counts', () => {
    const score = firstIndicator(scoreAlone(handSet, metricValue('t', '0.58')));
    expect(score.points).toBe('5.0000');
    expect(score.explanation.en).toContain('improvement n/a (no own baseline)');
  });

  it('mirrors for lower-is-better', () => {
    const lower = criteriaOf([
      indicator({
        code: 'up-share',
        label: { en: 'upward referral share', zh: '上转占比' },
        higherIsBetter: false,
        method: { kind: 'achievement-improvement', threshold: 80, benchmark: 40 },
      }),
    ]);
    // 9 × (80 − 60)/(80 − 40) + 0.5 = 5 → 5
    expect(firstIndicator(scoreAlone(lower, followUp('t', 60))).points).toBe('5.0000');
    expect(firstIndicator(scoreAlone(lower, followUp('t', 40))).points).toBe('10.0000');
    expect(firstIndicator(scoreAlone(lower, followUp('t', 81))).points).toBe('0.0000');
    // improvement from own baseline 90 to 60 against benchmark 40: 10 × 30/50 − 0.5 = 5.5 → 6
    expect(firstIndicator(scoreAlone(lower, followUp('t', 60), followUp('t', 90))).points).toBe('6.0000');
  });
});

describe('threshold and benchmark derived from the district baseline', () => {
  it('50th percentile interpolates linearly between closest ranks (type 7)', () => {
    const sorted = [1, 2, 3, 4].map((x) => Ratio.of(x));
    expect(percentile(sorted, Ratio.of(50))?.toString()).toBe('2.5');
    expect(percentile(sorted, Ratio.of(25))?.toString()).toBe('1.75');
    expect(percentile(sorted, Ratio.of(100))?.toString()).toBe('4');
    expect(percentile([Ratio.of(7)], Ratio.of(50))?.toString()).toBe('7');
    expect(percentile([], Ratio.of(50))).toBeNull();
  });

  it('benchmark is the mean of the best ⌈10 %⌉ values', () => {
    const ten = [50, 55, 60, 65, 70, 75, 80, 85, 90, 95].map((x) => Ratio.of(x));
    expect(topDecileMean(ten, true)?.toString()).toBe('95');
    expect(topDecileMean(ten, false)?.toString()).toBe('50');
    const eleven = [...ten, Ratio.of(99)].sort((a, b) => a.cmp(b));
    expect(topDecileMean(eleven, true)?.toString()).toBe('97');
  });

  it('scores against figures derived from baseline-period facts, rounded to 4 decimals', () => {
    const derived = criteriaOf([indicator({ minN: 10, method: { kind: 'achievement-improvement' } })]);
    // baseline rates 50, 55, …, 95 %: AT = 72.5, B = 95; one team too small to count
    const baseline = [50, 55, 60, 65, 70, 75, 80, 85, 90, 95].map((rate, i) => followUp(`b${i}`, rate));
    baseline.push(followUp('tiny', 1, 3));
    const teams = [followUp('a', 80), followUp('b', 72.5 * 2, 200)];
    const a = firstIndicator(scoreIn(derived, teams, 'a', baseline));
    // 9 × 7.5/22.5 + 0.5 = 3.5 → 4
    expect(a.points).toBe('4.0000');
    expect(a.detail).toMatchObject({ threshold: '72.5', benchmark: '95', achievement: 4 });
    expect(firstIndicator(scoreIn(derived, teams, 'b', baseline)).points).toBe('1.0000');
  });

  it('is insufficient for everyone when no baseline value is sufficient', () => {
    const derived = criteriaOf([indicator({ minN: 10, method: { kind: 'achievement-improvement' } })]);
    const score = firstIndicator(scoreIn(derived, [followUp('a', 80)], 'a', [followUp('a', 1, 3)]));
    expect(score).toMatchObject({ status: 'insufficient', reason: 'no-statistics', value: '80.0000' });
    expect(score.explanation.en).toBe('follow-up rate: insufficient data (no district baseline); weight redistributed');
  });
});
