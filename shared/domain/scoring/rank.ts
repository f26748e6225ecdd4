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
  const hundredths = new Int32Array(results.length);
  for (let i = 0; i < results.length; i++) {
    const h = hundredthsOf((results[i] as Rankable).total);
    if (h === OUTSIDE) return rankByComparison(results);
    hundredths[i] = h;
  }
  return rankByHundredths(results, hundredths);
}

/** No total. */
export const UNRANKED = -1;
/** A total not of the reported form: only the general rule ranks it. */
const OUTSIDE = -2;

/** A total's hundredths when it has at most 2 decimals and lies within 0–100 (the reported form), else OUTSIDE; UNRANKED for none. */
export function hundredthsOf(total: string | null): number {
  if (total === null) return UNRANKED;
  const value = Number(total);
  const h = Math.round(value * 100);
  return h >= 0 && h <= 10_000 && h / 100 === value ? h : OUTSIDE;
}

/**
 * rankTeams when each result's total is known as hundredths (hundredthsOf), UNRANKED without
 * one: a stable counting sort, best first, keeps teamId order within each total.
 */
export function rankByHundredths(results: readonly Rankable[], hundredths: Int32Array): RankedTeam[] {
  const byId = inIdOrder(results);
  for (let i = 0; i < hundredths.length; i++) if ((hundredths[i] as number) < UNRANKED) return rankByComparison(results);
  const starts = new Int32Array(10_002);
  let ranked = 0;
  for (let i = 0; i < hundredths.length; i++) {
    const h = hundredths[i] as number;
    if (h === UNRANKED) continue;
    (starts[10_000 - h + 1] as number)++;
    ranked++;
  }
  for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
  const order = new Int32Array(ranked);
  const next = starts.slice();
  for (let k = 0; k < byId.length; k++) {
    const i = byId[k] as number;
    const h = hundredths[i] as number;
    if (h === UNRANKED) continue;
    const bucket = 10_000 - h;
    order[next[bucket] as number] = i;
    next[bucket] = (next[bucket] as number) + 1;
  }
  const out: RankedTeam[] = new Array(results.length);
  let written = 0;
  for (let bucket = 0; bucket <= 10_000; bucket++) {
    const start = starts[bucket] as number;
    const end = starts[bucket + 1] as number;
    if (start === end) continue;
    const percentile = Ratio.of(100 * (2 * (ranked - end) + (end - start)), 2 * ranked).toFixed(2);
    for (let k = start; k < end; k++) {
      const r = results[order[k] as number] as Rankable;
      out[written++] = { teamId: r.teamId, total: r.total, rank: start + 1, percentile, eligibility: r.eligibility, capPercent: r.capPercent };
    }
  }
  for (let k = 0; k < byId.length; k++) {
    const i = byId[k] as number;
    if (hundredths[i] !== UNRANKED) continue;
    const r = results[i] as Rankable;
    out[written++] = { teamId: r.teamId, total: null, rank: null, percentile: null, eligibility: r.eligibility, capPercent: r.capPercent };
  }
  return out;
}

/** Indices of the results in teamId order (usually they already are). */
function inIdOrder(results: readonly Rankable[]): Int32Array {
  const order = new Int32Array(results.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = 1; i < results.length; i++) {
    if (compareIds((results[i - 1] as Rankable).teamId, (results[i] as Rankable).teamId) > 0) {
      return Int32Array.from(Array.from(order).sort((a, b) => compareIds((results[a] as Rankable).teamId, (results[b] as Rankable).teamId)));
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
