/**
 * District ranking by total (as reported, 2 decimals). Competition ranking ("1224"): a team's
 * rank is 1 + the number of teams with a higher total, so tied teams share a rank and the next
 * rank is skipped. Percentile = (teams below + ½ × teams tied, itself included) / N × 100,
 * rounded half up to 2 decimals. Teams without a total are listed last, unranked.
 */
import { Ratio } from './ratio.ts';
import type { TeamScore } from './score-team.ts';

export interface RankedTeam {
  teamId: string;
  total: string | null;
  rank: number | null;
  percentile: string | null;
  eligibility: TeamScore['eligibility'];
  capPercent: number;
}

/** Best first; ties and unranked teams in teamId order. */
export function rankTeams(results: readonly Pick<TeamScore, 'teamId' | 'total' | 'eligibility' | 'capPercent'>[]): RankedTeam[] {
  // reported totals have at most 2 decimals and ≤ 100, so as doubles they compare exactly
  const ranked = results
    .filter((r) => r.total !== null)
    .map((r) => ({ r, total: Number(r.total) }))
    .sort((a, b) => b.total - a.total || compareIds(a.r.teamId, b.r.teamId));
  const n = ranked.length;
  const out: RankedTeam[] = [];
  let start = 0;
  while (start < n) {
    let end = start;
    while (end < n && ranked[end]?.total === ranked[start]?.total) end++;
    const tied = end - start;
    const below = n - end;
    const percentile = Ratio.of(100 * (2 * below + tied), 2 * n).toFixed(2);
    for (let k = start; k < end; k++) {
      const { r } = ranked[k] as (typeof ranked)[number];
      out.push({ teamId: r.teamId, total: r.total, rank: start + 1, percentile, eligibility: r.eligibility, capPercent: r.capPercent });
    }
    start = end;
  }
  const unranked = results.filter((r) => r.total === null).sort((a, b) => compareIds(a.teamId, b.teamId));
  for (const r of unranked) out.push({ teamId: r.teamId, total: null, rank: null, percentile: null, eligibility: r.eligibility, capPercent: r.capPercent });
  return out;
}

/** Code-unit order, independent of locale. */
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
