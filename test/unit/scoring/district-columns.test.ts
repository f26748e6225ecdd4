/**
 * scoreDistrict computes totals, ranks and gate verdicts from columns of exact values and builds
 * each scorecard (with its explanations) on demand. These tests hold it to the eager path, team
 * by team and byte for byte: phase 1 per team, phase 2 from the summaries, scoreTeam per team.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CriteriaSet, RankedTeam, TeamFacts, TeamScore } from '#shared/domain/scoring/index.ts';
import {
  computeIndicatorValues,
  finaliseStatistics,
  fingerprint,
  Ratio,
  rankTeams,
  scoreDistrict,
  scoreTeam,
  summariseValues,
} from '#shared/domain/scoring/index.ts';
import { districtCriteria, syntheticTeams } from './fixtures.ts';

/** Every scorecard built eagerly, the way an evaluation run's batches build them. */
function eagerScores(criteria: CriteriaSet, teams: readonly TeamFacts[], baseline: readonly TeamFacts[]) {
  const baselineById = new Map(baseline.map((b) => [b.teamId, b]));
  const values = teams.map((t) => computeIndicatorValues(criteria, t, baselineById.get(t.teamId) ?? null));
  const baselineValues = baseline.map((t) => computeIndicatorValues(criteria, t));
  const statistics = finaliseStatistics(criteria, summariseValues(criteria, values, baselineValues));
  return { statistics, teams: values.map((v) => scoreTeam(criteria, statistics, v)) };
}

/** The ranking rule written out plainly: by total (as a number), then teamId; competition ranks. */
function plainRanking(scores: readonly Pick<TeamScore, 'teamId' | 'total' | 'eligibility' | 'capPercent'>[]): RankedTeam[] {
  const byId = (a: { teamId: string }, b: { teamId: string }) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0);
  const ranked = scores.filter((s) => s.total !== null).sort((a, b) => Number(b.total) - Number(a.total) || byId(a, b));
  const n = ranked.length;
  const out: RankedTeam[] = ranked.map((s) => {
    const above = ranked.filter((r) => Number(r.total) > Number(s.total)).length;
    const tied = ranked.filter((r) => Number(r.total) === Number(s.total)).length;
    const below = n - above - tied;
    return {
      teamId: s.teamId,
      total: s.total,
      rank: above + 1,
      percentile: Ratio.of(100 * (2 * below + tied), 2 * n).toFixed(2),
      eligibility: s.eligibility,
      capPercent: s.capPercent,
    };
  });
  const unranked = scores.filter((s) => s.total === null).sort(byId);
  return [
    ...out,
    ...unranked.map((s) => ({ teamId: s.teamId, total: null, rank: null, percentile: null, eligibility: s.eligibility, capPercent: s.capPercent })),
  ];
}

function expectSameAsEager(criteria: CriteriaSet, teams: TeamFacts[], baseline: TeamFacts[]): void {
  const lazy = scoreDistrict(criteria, teams, baseline);
  const eager = eagerScores(criteria, teams, baseline);
  expect(lazy.statistics).toEqual(eager.statistics);
  lazy.teams.forEach((score, i) => {
    const reference = eager.teams[i] as TeamScore;
    expect([score.teamId, score.status, score.total, score.eligibility, score.capPercent]).toEqual([
      reference.teamId,
      reference.status,
      reference.total,
      reference.eligibility,
      reference.capPercent,
    ]);
    // the scorecard built on demand: same lines, explanations (en, zh), domains and gates
    expect(score.indicators).toEqual(reference.indicators);
    expect(score.domains).toEqual(reference.domains);
    expect(score.gates).toEqual(reference.gates);
    expect(JSON.stringify(score)).toBe(JSON.stringify(reference));
  });
  expect(lazy.ranking).toEqual(plainRanking(eager.teams));
  expect(fingerprint(lazy)).toBe(fingerprint({ ...eager, ranking: plainRanking(eager.teams) }));
}

/** All five methods on one flat set, lower-is-better variants, decimals, and the zero rule. */
const flatCriteria: CriteriaSet = {
  insufficientData: 'zero',
  indicators: [
    {
      code: 'followup',
      label: { en: 'follow-up rate', zh: '随访率' },
      weight: 20,
      source: { ratio: { numerator: 'done', denominator: 'due' } },
      higherIsBetter: true,
      minN: 3,
      method: { kind: 'threshold-linear', lower: '33.3', upper: 90, maxPoints: '7.5' },
    },
    {
      code: 'waits',
      label: { en: 'waiting days', zh: '等待天数' },
      weight: 15,
      source: { metric: 'waits' },
      higherIsBetter: false,
      method: { kind: 'threshold-linear', lower: 2, upper: 9, maxPoints: 10 },
    },
    {
      code: 'referrals',
      label: { en: 'referral share', zh: '转诊占比' },
      weight: 15,
      source: { ratio: { numerator: 'up', denominator: 'down' } },
      higherIsBetter: false,
      method: { kind: 'achievement-improvement', threshold: 80, benchmark: 40 },
    },
    {
      code: 'derived',
      label: { en: 'derived CMS', zh: '派生' },
      weight: 10,
      source: { ratio: { numerator: 'done', denominator: 'due' } },
      higherIsBetter: true,
      method: { kind: 'achievement-improvement' },
    },
    {
      code: 'mean',
      label: { en: 'mean score', zh: '平均分' },
      weight: 10,
      source: { survey: 'mean100' },
      higherIsBetter: true,
      minN: 2,
      method: {
        kind: 'bands',
        bands: [
          { lower: 0, upper: '60.5', points: 0 },
          { lower: '60.5', upper: 75, points: '2.5' },
          { lower: 75, points: 10 },
        ],
      },
    },
    {
      code: 'standing',
      label: { en: 'visits', zh: '访视' },
      weight: 10,
      source: { metric: 'visits' },
      higherIsBetter: false,
      method: {
        kind: 'relative-standing',
        maxPoints: 10,
        bands: [
          { lower: 0, upper: 50, points: 0 },
          { lower: 50, points: 10 },
        ],
      },
    },
    {
      code: 'share-standing',
      label: { en: 'share', zh: '占比' },
      weight: 10,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
    {
      code: 'target',
      label: { en: 'target', zh: '目标' },
      weight: 10,
      source: { ratio: { numerator: 'up', denominator: 'due' } },
      higherIsBetter: false,
      method: { kind: 'pass-fail', target: '12.5', maxPoints: 10 },
    },
  ],
  gates: [
    { kind: 'missing-upload', effect: { capPercent: 70 } },
    { kind: 'floor', source: { survey: 'topBoxShare' }, min: 25, effect: 'void' },
  ],
};

const small = fc.integer({ min: 0, max: 12 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 6 });
const flatFacts: fc.Arbitrary<Omit<TeamFacts, 'teamId'>> = fc.record({
  uploaded: fc.boolean(),
  metrics: fc.record({
    done: maybe(small),
    due: maybe(small),
    up: maybe(small),
    down: maybe(small),
    waits: maybe(fc.oneof(small, fc.constantFrom('2', '5.5', '9', 3.25))),
    visits: maybe(small),
  }),
  survey: maybe(
    fc.record({
      responses: small,
      topBox: small,
      mean100: maybe(fc.oneof(fc.constantFrom(60.5, 75, '74.9', 80), fc.integer({ min: 0, max: 100 }))),
    }),
  ),
});

const district = (facts: Omit<TeamFacts, 'teamId'>[], prefix: string): TeamFacts[] =>
  facts.map((f, i) => ({ ...f, teamId: `${prefix}${String((i * 7) % facts.length).padStart(3, '0')}-${i}` }));

describe('scoreDistrict against the eager path', () => {
  it('a realistic district with domains: same totals, ranks, gates and scorecards', () => {
    expectSameAsEager(districtCriteria, syntheticTeams(300, 21), syntheticTeams(300, 22));
  });

  it('the zero rule on the same district', () => {
    expectSameAsEager({ ...districtCriteria, insufficientData: 'zero' }, syntheticTeams(120, 23), syntheticTeams(120, 24));
  });

  it('small counts, values on the limits, decimals and gaps, for either rule', () => {
    fc.assert(
      fc.property(
        fc.array(flatFacts, { minLength: 1, maxLength: 25 }),
        fc.array(flatFacts, { maxLength: 25 }),
        fc.constantFrom<CriteriaSet['insufficientData']>('redistribute', 'zero'),
        (current, previous, rule) => {
          const teams = district(current, 't');
          const baseline = district(previous, 't');
          expectSameAsEager({ ...flatCriteria, insufficientData: rule }, teams, baseline);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a district read and scored in several batches: the same JSON as the eager path', () => {
    const teams = syntheticTeams(9_000, 25);
    const baseline = syntheticTeams(9_000, 26);
    const lazy = scoreDistrict(districtCriteria, teams, baseline);
    const eager = eagerScores(districtCriteria, teams, baseline);
    expect(JSON.stringify(lazy.statistics)).toBe(JSON.stringify(eager.statistics));
    expect(JSON.stringify(lazy.teams)).toBe(JSON.stringify(eager.teams));
    expect(JSON.stringify(lazy.ranking)).toBe(JSON.stringify(rankTeams(eager.teams)));
  }, 60_000);

  it('invalid facts in a large district: the first error in team order, as reading the teams one by one gives', () => {
    const teams = syntheticTeams(6_000, 27);
    const baseline = syntheticTeams(6_000, 28);
    // a relative-standing value is read for every team before the rest; the earlier team's problem still comes first
    const spoil = (index: number, metric: string) => {
      const facts = teams[index] as TeamFacts;
      teams[index] = { ...facts, uploaded: true, metrics: { ...facts.metrics, [metric]: 'many' } };
    };
    spoil(4_500, 'htn-followup-done');
    spoil(5_500, 'referrals-down');
    let expected: unknown = null;
    try {
      eagerScores(districtCriteria, teams, baseline);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(Error);
    expect(() => scoreDistrict(districtCriteria, teams, baseline)).toThrow((expected as Error).message);
  });

  it('a scorecard is built once and then kept', () => {
    const result = scoreDistrict(districtCriteria, syntheticTeams(5, 3));
    const first = result.teams[0] as TeamScore;
    expect(first.indicators).toBe(first.indicators);
  });
});

describe('rankTeams', () => {
  const total = fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: 10_000 }).map((h) => (h / 100).toFixed(2)),
  );
  it('ranks like the plain rule for any totals and teamId order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), total), { selector: ([id]) => id, maxLength: 40 }), (rows) => {
        const scores = rows.map(([teamId, t]) => ({ teamId, total: t, eligibility: 'eligible' as const, capPercent: 100 }));
        expect(rankTeams(scores)).toEqual(plainRanking(scores));
      }),
      { numRuns: 200 },
    );
  });
});
