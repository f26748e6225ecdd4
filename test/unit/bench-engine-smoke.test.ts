/**
 * The engine bench's workload at unit scale: the synthetic district generator and
 * score-and-allocate over 200 teams give sane outputs (no timing asserts: timings belong to
 * `npm run bench`).
 */
import { describe, expect, it } from 'vitest';
import { validateCriteria } from '#shared/domain/scoring/index.ts';
import { BENCH_CRITERIA } from '../../bench/support/bench-criteria.ts';
import { poolFor, scoreAndAllocate } from '../../bench/support/engine-workload.ts';
import { syntheticDistrict } from '../../bench/support/synthetic-district.ts';
import { scoreTypedArrays, toTypedArrays } from '../../bench/support/typed-array-baseline.ts';

const TEAMS = 200;

describe('engine bench workload', () => {
  it('uses a valid criteria set of about a dozen indicators, several methods and both gate kinds', () => {
    expect(validateCriteria(BENCH_CRITERIA)).toEqual([]);
    expect(BENCH_CRITERIA.indicators).toHaveLength(12);
    expect(new Set(BENCH_CRITERIA.indicators.map((i) => i.method.kind)).size).toBe(5);
    expect(new Set(BENCH_CRITERIA.gates?.map((g) => g.kind))).toEqual(new Set(['missing-upload', 'floor']));
  });

  it('generates the same district from the same seed, with unique team ids', () => {
    const a = syntheticDistrict(TEAMS);
    const b = syntheticDistrict(TEAMS);
    expect(a).toEqual(b);
    expect(new Set(a.teams.map((t) => t.teamId)).size).toBe(TEAMS);
    expect(a.baseline.map((t) => t.teamId)).toEqual(a.teams.map((t) => t.teamId));
    expect(syntheticDistrict(TEAMS, 99).teams).not.toEqual(a.teams);
  });

  it('scores every team between 0 and 100 and allocates the whole pool to the fen', () => {
    const district = syntheticDistrict(TEAMS);
    const { scores, incentives } = scoreAndAllocate(BENCH_CRITERIA, district);

    expect(scores.teams).toHaveLength(TEAMS);
    expect(scores.ranking).toHaveLength(TEAMS);
    for (const team of scores.teams) {
      expect(team.indicators).toHaveLength(12);
      if (team.total !== null) {
        expect(Number(team.total)).toBeGreaterThanOrEqual(0);
        expect(Number(team.total)).toBeLessThanOrEqual(100);
      }
    }
    const totals = scores.teams.flatMap((t) => (t.total === null ? [] : [Number(t.total)]));
    expect(totals.length).toBeGreaterThan(TEAMS * 0.9);
    expect(new Set(totals).size).toBeGreaterThan(50); // scores spread, not all alike
    expect(scores.teams.some((t) => t.eligibility === 'void')).toBe(true); // some teams did not upload

    const pool = poolFor(TEAMS);
    expect(incentives.paid + incentives.unallocated).toBe(pool);
    expect(incentives.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(incentives.paid);
    expect(incentives.lines.every((line) => Number.isSafeInteger(line.amount) && line.amount >= 0)).toBe(true);
    const voided = new Set(scores.teams.filter((t) => t.eligibility === 'void').map((t) => t.teamId));
    expect(incentives.lines.filter((line) => voided.has(line.teamId)).every((line) => line.amount === 0)).toBe(true);
  });

  it('gives the typed-array baseline the same teams and indicators, with totals in range', () => {
    const district = syntheticDistrict(TEAMS);
    const arrays = toTypedArrays(BENCH_CRITERIA, district);
    expect(arrays.values).toHaveLength(TEAMS * 12);
    const { totals, amounts } = scoreTypedArrays(arrays, poolFor(TEAMS));
    expect(totals.every((t) => t >= 0 && t <= 100)).toBe(true);
    expect(amounts.reduce((sum, a) => sum + a, 0)).toBeLessThanOrEqual(poolFor(TEAMS));
  });
});
