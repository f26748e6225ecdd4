import { describe, expect, it } from 'vitest';
import { criteriaOf, firstIndicator, followUp, indicator, metricValue, scoreAlone, scoreIn, team } from './helpers.ts';

const homeVisits = criteriaOf([
  indicator({
    code: 'home-visits',
    label: { en: 'home visits 80+', zh: '80岁以上上门服务' },
    source: { metric: 'value' },
    method: {
      kind: 'bands',
      bands: [
        { lower: 2, upper: 5, points: 2 },
        { lower: 5, upper: 15, points: 5 },
        { lower: 15, points: 10 },
      ],
    },
  }),
]);

describe('bands', () => {
  it('includes the lower bound and excludes the upper one', () => {
    const at5 = firstIndicator(scoreAlone(homeVisits, metricValue('t', 5)));
    expect(at5.points).toBe('5.0000');
    expect(at5.detail).toEqual({ kind: 'bands', band: 1 });
    expect(at5.explanation).toEqual({
      en: 'home visits 80+ 5 in band 5–15: 5 of 10 points',
      zh: '80岁以上上门服务 5，位于 5–15 区间：得 5 分（满分 10 分）',
    });
    expect(firstIndicator(scoreAlone(homeVisits, metricValue('t', '14.9999'))).points).toBe('5.0000');
    expect(firstIndicator(scoreAlone(homeVisits, metricValue('t', 15))).points).toBe('10.0000');
  });

  it('leaves the last band open-ended and scores 0 below the first', () => {
    const high = firstIndicator(scoreAlone(homeVisits, metricValue('t', 1000)));
    expect(high.points).toBe('10.0000');
    expect(high.explanation.en).toBe('home visits 80+ 1000 in band ≥ 15: 10 of 10 points');
    const low = firstIndicator(scoreAlone(homeVisits, metricValue('t', 1)));
    expect(low.points).toBe('0.0000');
    expect(low.detail).toEqual({ kind: 'bands', band: null });
    expect(low.explanation).toEqual({
      en: 'home visits 80+ 1 below 2: 0 of 10 points',
      zh: '80岁以上上门服务 1，低于 2：得 0 分（满分 10 分）',
    });
  });

  it('reports a missing metric as insufficient, not as zero', () => {
    const score = firstIndicator(scoreAlone(homeVisits, team('t', {})));
    expect(score).toMatchObject({ status: 'insufficient', reason: 'missing', value: null });
  });
});

const standing = (higherIsBetter = true, bands?: { lower: number; upper?: number; points: number }[]) =>
  criteriaOf([
    indicator({
      code: 'referrals',
      label: { en: 'referrals back down', zh: '下转人次' },
      source: { metric: 'value' },
      higherIsBetter,
      method: bands ? { kind: 'relative-standing', maxPoints: 10, bands } : { kind: 'relative-standing', maxPoints: 10 },
    }),
  ]);

const four = [metricValue('a', 10), metricValue('b', 20), metricValue('c', 20), metricValue('d', 30)];

describe('relative standing', () => {
  it('percentile rank = (teams below + ½ × teams equal) / N × 100; ties share a rank', () => {
    const c = standing();
    expect(firstIndicator(scoreIn(c, four, 'a')).detail).toEqual({ kind: 'relative-standing', percentileRank: '12.50', teams: 4 });
    // b and c tie at 20: (1 + ½ × 2)/4 = 50 for both
    expect(firstIndicator(scoreIn(c, four, 'b')).points).toBe('5.0000');
    expect(firstIndicator(scoreIn(c, four, 'c')).points).toBe('5.0000');
    const d = firstIndicator(scoreIn(c, four, 'd'));
    expect(d.points).toBe('8.7500');
    expect(d.explanation).toEqual({
      en: 'referrals back down 30 at percentile rank 87.5 among 4 teams: 8.8 of 10 points',
      zh: '下转人次 30，在 4 个团队中百分位 87.5：得 8.8 分（满分 10 分）',
    });
  });

  it('counts worse as higher values when lower is better', () => {
    expect(firstIndicator(scoreIn(standing(false), four, 'a')).points).toBe('8.7500');
    expect(firstIndicator(scoreIn(standing(false), four, 'd')).points).toBe('1.2500');
  });

  it('maps the rank through bands for top-20 % schemes', () => {
    const top20 = standing(true, [
      { lower: 0, upper: 80, points: 0 },
      { lower: 80, points: 10 },
    ]);
    expect(firstIndicator(scoreIn(top20, four, 'd')).points).toBe('10.0000');
    expect(firstIndicator(scoreIn(top20, four, 'c')).points).toBe('0.0000');
  });

  it('ranks only teams with sufficient data; a sole team stands at 50', () => {
    const c = standing();
    const teams = [metricValue('a', 10), team('b', {})];
    expect(firstIndicator(scoreIn(c, teams, 'a')).detail).toEqual({ kind: 'relative-standing', percentileRank: '50.00', teams: 1 });
    expect(firstIndicator(scoreIn(c, teams, 'b')).status).toBe('insufficient');
  });
});

const vaccination = (higherIsBetter = true, target = 95) =>
  criteriaOf([
    indicator({
      code: 'vaccination',
      label: { en: 'child vaccination rate', zh: '儿童疫苗接种率' },
      higherIsBetter,
      method: { kind: 'pass-fail', target, maxPoints: 5 },
    }),
  ]);

describe('pass-fail', () => {
  it('gives full points exactly at the target and none just below', () => {
    const met = firstIndicator(scoreAlone(vaccination(), followUp('t', 95)));
    expect(met.points).toBe('5.0000');
    expect(met.explanation).toEqual({
      en: 'child vaccination rate 95.0 % meets target 95 %: 5 of 5 points',
      zh: '儿童疫苗接种率 95.0%，达到目标 95%：得 5 分（满分 5 分）',
    });
    const missed = firstIndicator(scoreAlone(vaccination(), followUp('t', 949, 1000)));
    expect(missed.points).toBe('0.0000');
    expect(missed.explanation.zh).toBe('儿童疫苗接种率 94.9%，未达到目标 95%：得 0 分（满分 5 分）');
  });

  it('meets a lower-is-better target at or below it', () => {
    expect(firstIndicator(scoreAlone(vaccination(false, 5), followUp('t', 5))).points).toBe('5.0000');
    const missed = firstIndicator(scoreAlone(vaccination(false, 5), followUp('t', 51, 1000)));
    expect(missed.points).toBe('0.0000');
    expect(missed.explanation.en).toBe('child vaccination rate 5.1 % misses target of at most 5 %: 0 of 5 points');
  });
});
