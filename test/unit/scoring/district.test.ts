import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CriteriaSet, TeamFacts, TeamValues } from '#shared/domain/scoring/index.ts';
import {
  computeIndicatorValues,
  finaliseStatistics,
  fingerprint,
  mergeSummaries,
  rankTeams,
  Ratio,
  scoreDistrict,
  scoreTeam,
  summariseValues,
} from '#shared/domain/scoring/index.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { districtCriteria, syntheticTeams } from './fixtures.ts';

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Phases 1 and 3 in batches of `size`, phase 2 from merged per-batch summaries. */
function scoreInBatches(criteria: CriteriaSet, teams: TeamFacts[], baseline: TeamFacts[], size: number) {
  const baselineById = new Map(baseline.map((b) => [b.teamId, b]));
  const valueBatches: TeamValues[][] = chunks(teams, size).map((batch) => batch.map((t) => computeIndicatorValues(criteria, t, baselineById.get(t.teamId))));
  const baselineBatches = chunks(baseline, size).map((batch) => batch.map((t) => computeIndicatorValues(criteria, t)));
  const summaries = [...valueBatches.map((batch) => summariseValues(criteria, batch)), ...baselineBatches.map((batch) => summariseValues(criteria, [], batch))];
  // the statistics would travel between workers as JSON
  const statistics = JSON.parse(JSON.stringify(finaliseStatistics(criteria, mergeSummaries(summaries))));
  const scores = valueBatches.flatMap((batch) => JSON.parse(JSON.stringify(batch)).map((v: TeamValues) => scoreTeam(criteria, statistics, v)));
  return { statistics, teams: scores, ranking: rankTeams(scores) };
}

const teams = syntheticTeams(60, 11);
const baseline = syntheticTeams(60, 12);

describe('scoreDistrict and the batch phases', () => {
  it('batches of 7 give byte-identical results to the one-go run', () => {
    const whole = scoreDistrict(districtCriteria, teams, baseline);
    const batched = scoreInBatches(districtCriteria, teams, baseline, 7);
    expect(JSON.stringify(batched)).toBe(JSON.stringify(whole));
    expect(fingerprint(batched)).toBe(fingerprint(whole));
  });

  it('any batch size gives the same results', () => {
    const whole = JSON.stringify(scoreDistrict(districtCriteria, teams, baseline));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 61 }), (size) => {
        expect(JSON.stringify(scoreInBatches(districtCriteria, teams, baseline, size))).toBe(whole);
      }),
      { numRuns: 25 },
    );
  });

  it('district statistics do not depend on the order of the teams', () => {
    const reversed = [...teams].reverse();
    expect(scoreDistrict(districtCriteria, reversed, baseline).statistics).toEqual(scoreDistrict(districtCriteria, teams, baseline).statistics);
  });

  it('is deterministic: the same inputs give the same fingerprint', () => {
    const a = scoreDistrict(districtCriteria, syntheticTeams(30, 5), syntheticTeams(30, 6));
    const b = scoreDistrict(districtCriteria, syntheticTeams(30, 5), syntheticTeams(30, 6));
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('derives thresholds and benchmarks and explains every indicator', () => {
    const result = scoreDistrict(districtCriteria, teams, baseline);
    expect(result.statistics.indicators['dm-followup-rate']).toMatchObject({ kind: 'achievement-improvement', baselineTeams: expect.any(Number) });
    for (const score of result.teams) {
      for (const x of score.indicators) {
        expect(x.explanation.en.length).toBeGreaterThan(10);
        expect(x.explanation.zh).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(result.ranking).toHaveLength(60);
  });

  it('rejects a team listed twice', () => {
    const [first] = teams;
    expect(() => scoreDistrict(districtCriteria, [first as TeamFacts, first as TeamFacts])).toThrow(DomainError);
  });

  it('rejects an invalid criteria set with its problems', () => {
    const broken = { ...districtCriteria, domains: districtCriteria.domains?.map((d) => ({ ...d, weight: 10 })) };
    try {
      scoreDistrict(broken, teams.slice(0, 2));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details.problems).toEqual([{ path: 'domains', message: 'domain weights add up to 30, not 100' }]);
    }
  });
});

const count = fc.integer({ min: 0, max: 2_000 });
const arbitraryFacts: fc.Arbitrary<TeamFacts> = fc
  .record({
    uploaded: fc.boolean(),
    metrics: fc.dictionary(
      fc.constantFrom(
        'htn-followup-due',
        'htn-followup-done',
        'dm-followup-due',
        'dm-followup-done',
        'elderly-checkup-due',
        'elderly-checkup-done',
        'child-vaccinations-due',
        'child-vaccinations-done',
        'home-visits-80plus',
        'referrals-up',
        'referrals-down',
        'newborn-visits',
        'remote-consultations',
      ),
      count,
    ),
    renewals: fc.record({ renewed: count, due: count }),
    keyPopulation: fc.record({ covered: count, eligible: count }),
    survey: fc.record({ responses: count, topBox: count }),
  })
  .map(({ uploaded, metrics, renewals, keyPopulation, survey }) => ({
    teamId: 'x',
    uploaded,
    metrics,
    registry: { renewals, keyPopulation },
    survey,
  }));

describe('properties', () => {
  it('the total is always within 0–100, for either insufficient-data rule', () => {
    fc.assert(
      fc.property(fc.array(arbitraryFacts, { minLength: 1, maxLength: 8 }), fc.constantFrom('redistribute', 'zero'), (facts, rule) => {
        const criteria: CriteriaSet = { ...districtCriteria, insufficientData: rule };
        const district = facts.map((f, i) => ({ ...f, teamId: `t${i}` }));
        for (const score of scoreDistrict(criteria, district, district).teams) {
          if (score.total === null) {
            expect(rule).toBe('redistribute');
            continue;
          }
          const total = Ratio.decimal(score.total);
          expect(total.sign() >= 0 && total.le(Ratio.of(100))).toBe(true);
          for (const x of score.indicators) {
            if (x.points !== null) expect(Ratio.decimal(x.points).le(Ratio.decimal(x.maxPoints))).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
