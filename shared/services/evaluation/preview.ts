/**
 * Previewing a criteria version against a period without storing anything: every team scored
 * in memory with the same engine as a run, a histogram of totals, and the biggest movers
 * against another version.
 */
import { type CriteriaSet, scoreDistrict, type TeamFacts } from '../../domain/scoring/index.ts';
import type { Db } from '../../data/db.ts';
import { allTeamsOfDistrict, type Team } from '../../data/teams.ts';
import { mapLimited } from '../../domain/map-limited.ts';
import { contractsReader, factsOfTeam, periodFactsSource } from './facts.ts';

export interface PreviewTeam {
  teamId: string;
  name: string;
  total: string | null;
  rank: number | null;
  eligibility: string;
}

export interface Preview {
  teams: number;
  scored: number;
  histogram: number[];
  eligibility: { eligible: number; capped: number; void: number };
  top: PreviewTeam[];
  movers: { teamId: string; name: string; total: string | null; compareTotal: string | null; delta: string | null }[];
}

export async function loadDistrictFacts(
  db: Db,
  districtId: string,
  period: string,
  baselinePeriod: string | null,
): Promise<{ teams: Team[]; facts: TeamFacts[]; baseline: TeamFacts[] }> {
  const teams: Team[] = [];
  for await (const team of allTeamsOfDistrict(db, districtId)) teams.push(team);
  const contractsOf = contractsReader(db);
  const contracts = await mapLimited(teams, 8, contractsOf);
  const current = await periodFactsSource(db, districtId, period, { wholeDistrict: true });
  const facts = await mapLimited(teams, 8, (team, i) => factsOfTeam(db, current, team, contracts[i]!));
  if (!baselinePeriod) return { teams, facts, baseline: [] };
  const baselineSource = await periodFactsSource(db, districtId, baselinePeriod, { wholeDistrict: true });
  const baseline = await mapLimited(teams, 8, (team, i) => factsOfTeam(db, baselineSource, team, contracts[i]!));
  return { teams, facts, baseline };
}

function histogramOf(totals: (string | null)[]): number[] {
  const bins = new Array<number>(10).fill(0);
  for (const t of totals) if (t !== null) bins[Math.min(9, Math.floor(Number(t) / 10))]!++;
  return bins;
}

export function previewScores(
  input: { teams: Team[]; facts: TeamFacts[]; baseline: TeamFacts[] },
  criteria: CriteriaSet,
  compareWith: CriteriaSet | null,
): Preview {
  const names = new Map(input.teams.map((t) => [t.teamId, t.name]));
  const result = scoreDistrict(criteria, input.facts, input.baseline);
  const compared = compareWith ? scoreDistrict(compareWith, input.facts, input.baseline) : null;
  const compareTotals = new Map(compared?.teams.map((t) => [t.teamId, t.total]) ?? []);
  const rankOf = new Map(result.ranking.map((r) => [r.teamId, r.rank]));
  const hundredths = (t: string | null) => (t === null ? null : Math.round(Number(t) * 100));
  const movers = compared
    ? result.teams
        .map((t) => {
          const a = hundredths(t.total);
          const b = hundredths(compareTotals.get(t.teamId) ?? null);
          return {
            teamId: t.teamId,
            name: names.get(t.teamId) ?? t.teamId,
            total: t.total,
            compareTotal: compareTotals.get(t.teamId) ?? null,
            deltaHundredths: a !== null && b !== null ? a - b : null,
          };
        })
        .filter((m) => m.deltaHundredths !== null && m.deltaHundredths !== 0)
        .sort((x, y) => Math.abs(y.deltaHundredths!) - Math.abs(x.deltaHundredths!) || (x.teamId < y.teamId ? -1 : 1))
        .slice(0, 10)
        .map(({ deltaHundredths, ...m }) => ({ ...m, delta: (deltaHundredths! / 100).toFixed(2) }))
    : [];
  return {
    teams: result.teams.length,
    scored: result.teams.filter((t) => t.total !== null).length,
    histogram: histogramOf(result.teams.map((t) => t.total)),
    eligibility: {
      eligible: result.teams.filter((t) => t.eligibility === 'eligible').length,
      capped: result.teams.filter((t) => t.eligibility === 'capped').length,
      void: result.teams.filter((t) => t.eligibility === 'void').length,
    },
    top: result.ranking.slice(0, 10).map((r) => ({
      teamId: r.teamId,
      name: names.get(r.teamId) ?? r.teamId,
      total: r.total,
      rank: rankOf.get(r.teamId) ?? null,
      eligibility: r.eligibility,
    })),
    movers,
  };
}
