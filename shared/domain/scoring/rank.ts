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

type Rankable = Pick<TeamScore, 'teamId' | 'total' | 'eligibility' | 'capPercent'>;

/** Best first; ties and unranked teams in teamId order. */
export function rankTeams(results: readonly Rankable[]): RankedTeam[] {
  const byId = inIdOrder(results);
  const hundredths = new Int32Array(results.length);
  let ranked = 0;
  for (const i of byId) {
    const total = (results[i] as Rankable).total;
    if (total === null) continue;
    const h = Math.round(Number(total) * 100);
    // totals have at most 2 decimals and lie within 0–100; anything else is ranked by its exact double
    if (!(h >= 0 && h <= 10_000 && h / 100 === Number(total))) return rankByComparison(results);
    hundredths[i] = h;
    ranked++;
  }
  // a stable counting sort by total, best first, keeps teamId order within each total
  const starts = new Int32Array(10_002);
  for (const i of byId) if ((results[i] as Rankable).total !== null) (starts[10_000 - (hundredths[i] as number) + 1] as number)++;
  for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
  const order = new Int32Array(ranked);
  const next = starts.slice();
  for (const i of byId) {
    if ((results[i] as Rankable).total === null) continue;
    const bucket = 10_000 - (hundredths[i] as number);
    order[next[bucket] as number] = i;
    next[bucket] = (next[bucket] as number) + 1;
  }
  const out: RankedTeam[] = [];
  for (let bucket = 0; bucket <= 10_000; bucket++) {
    const start = starts[bucket] as number;
    const end = starts[bucket + 1] as number;
    if (start === end) continue;
    const percentile = Ratio.of(100 * (2 * (ranked - end) + (end - start)), 2 * ranked).toFixed(2);
    for (let k = start; k < end; k++) {
      const r = results[order[k] as number] as Rankable;
      out.push({ teamId: r.teamId, total: r.total, rank: start + 1, percentile, eligibility: r.eligibility, capPercent: r.capPercent });
    }
  }
  for (const i of byId) {
    const r = results[i] as Rankable;
    if (r.total === null) out.push({ teamId: r.teamId, total: null, rank: null, percentile: null, eligibility: r.eligibility, capPercent: r.capPercent });
  }
  return out;
}

/** Indices of the results in teamId order (usually they already are). */
function inIdOrder(results: readonly Rankable[]): number[] {
  const order = Array.from(results, (_, i) => i);
  for (let i = 1; i < results.length; i++) {
    if (compareIds((results[i - 1] as Rankable).teamId, (results[i] as Rankable).teamId) > 0) {
      return order.sort((a, b) => compareIds((results[a] as Rankable).teamId, (results[b] as Rankable).teamId));
    }
  }
  return order;
}

/** The general rule, for totals outside the reported form. */
function rankByComparison(results: readonly Rankable[]): RankedTeam[] {
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
