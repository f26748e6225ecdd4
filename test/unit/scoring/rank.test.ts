import { describe, expect, it } from 'vitest';
import { rankTeams } from '#shared/domain/scoring/index.ts';

const scored = (teamId: string, total: string | null) => ({ teamId, total, eligibility: 'eligible' as const, capPercent: 100 });

describe('rankTeams', () => {
  it('uses competition ranking (1224), percentile with ties as half, unscored teams last', () => {
    const ranking = rankTeams([scored('d', '70.00'), scored('c', '85.00'), scored('x', null), scored('b', '85.00'), scored('a', '90.00')]);
    expect(ranking.map((r) => [r.teamId, r.rank, r.percentile])).toEqual([
      ['a', 1, '87.50'],
      ['b', 2, '50.00'],
      ['c', 2, '50.00'],
      ['d', 4, '12.50'],
      ['x', null, null],
    ]);
  });

  it('gives a single team rank 1 at the 50th percentile and copes with no teams', () => {
    expect(rankTeams([scored('a', '10.00')])).toEqual([{ ...scored('a', '10.00'), rank: 1, percentile: '50.00' }]);
    expect(rankTeams([])).toEqual([]);
  });

  it('compares totals as numbers, not text', () => {
    const ranking = rankTeams([scored('a', '9.50'), scored('b', '10.00'), scored('c', '100.00')]);
    expect(ranking.map((r) => r.teamId)).toEqual(['c', 'b', 'a']);
  });
});
