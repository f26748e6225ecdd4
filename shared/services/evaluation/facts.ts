/**
 * Gathering a team's facts for a period: its current metric upload row, its survey aggregate
 * (headline question) and its registry figures from its contracts. Scoring reads only these.
 */
import { parsePeriod, type Period } from '../../domain/periods.ts';
import { registryFigures } from '../../domain/registry-figures.ts';
import type { TeamFacts } from '../../domain/scoring/index.ts';
import { type AggregateCounters, scoringFacts } from '../../domain/surveys/aggregate.ts';
import type { Instrument } from '../../domain/surveys/instrument.ts';
import { allContractsOfInstitution, type Contract } from '../../data/contracts.ts';
import type { Db } from '../../data/db.ts';
import { allMetricsRows, currentVersionsOfDistrict, type MetricsVersion, teamIdsOfInstitution } from '../../data/metrics.ts';
import { aggregatesOfDistrict, aggregatesOfTeams, currentInstrument, getAggregate } from '../../data/surveys.ts';
import type { Team } from '../../data/teams.ts';

export interface PeriodFactsSource {
  districtId: string;
  period: Period;
  uploads: Map<string, MetricsVersion>;
  /** every team's aggregate when the whole district is read; else those of each institution asked about */
  aggregates: Map<string, AggregateCounters> | null;
  instrument: Instrument;
  rowsByInstitution: Map<string, Promise<Map<string, Record<string, number>>>>;
  aggregatesByInstitution: Map<string, Promise<InstitutionAggregates>>;
}

interface InstitutionAggregates {
  /** the institution's teams when they were read: a team created since is read by itself */
  teamIds: Set<string>;
  byTeam: Map<string, AggregateCounters>;
}

/**
 * What facts of a period are read from. `wholeDistrict` reads all survey aggregates with one
 * query (a preview of every team); a batch of a run reads the aggregates of the institutions of
 * its teams, one BatchGetItem per 100 teams, as it reads their metric rows per institution.
 */
export async function periodFactsSource(db: Db, districtId: string, periodId: string, options: { wholeDistrict?: boolean } = {}): Promise<PeriodFactsSource> {
  const [uploads, aggregates, instrument] = await Promise.all([
    currentVersionsOfDistrict(db, districtId, periodId),
    options.wholeDistrict ? aggregatesOfDistrict(db, districtId, periodId) : null,
    currentInstrument(db, districtId),
  ]);
  return {
    districtId,
    period: parsePeriod(periodId)!,
    uploads: new Map(uploads.map((u) => [u.institutionId, u])),
    aggregates,
    instrument,
    rowsByInstitution: new Map(),
    aggregatesByInstitution: new Map(),
  };
}

function metricRowsOf(db: Db, source: PeriodFactsSource, institutionId: string): Promise<Map<string, Record<string, number>>> {
  let rows = source.rowsByInstitution.get(institutionId);
  if (!rows) {
    const upload = source.uploads.get(institutionId);
    rows = (async () => {
      const byTeam = new Map<string, Record<string, number>>();
      if (upload) for await (const row of allMetricsRows(db, upload.uploadId)) byTeam.set(row.teamId, row.values);
      return byTeam;
    })();
    source.rowsByInstitution.set(institutionId, rows);
  }
  return rows;
}

/**
 * A team's aggregate, read with those of its whole institution (the teams of a batch are
 * consecutive by institution; an institution split over two batches is read by both).
 */
async function aggregateOf(db: Db, source: PeriodFactsSource, team: Team): Promise<AggregateCounters | undefined> {
  if (source.aggregates) return source.aggregates.get(team.teamId);
  let institution = source.aggregatesByInstitution.get(team.institutionId);
  if (!institution) {
    institution = (async () => {
      const teamIds = await teamIdsOfInstitution(db, team);
      return { teamIds, byTeam: await aggregatesOfTeams(db, source.districtId, source.period.id, teamIds) };
    })();
    source.aggregatesByInstitution.set(team.institutionId, institution);
  }
  const { teamIds, byTeam } = await institution;
  return teamIds.has(team.teamId) ? byTeam.get(team.teamId) : getAggregate(db, source.districtId, source.period.id, team.teamId);
}

/**
 * Reads teams' contracts with one query per institution (gsi3) instead of one per team, each
 * institution once per reader; a team's contracts are then used for every period's registry
 * figures. Every contract carries its team's institution, so the institution's query holds all
 * of a team's contracts, in the per-team query's order (start date, then id).
 */
export function contractsReader(db: Db): (team: Team) => Promise<Contract[]> {
  const byInstitution = new Map<string, Promise<Map<string, Contract[]>>>();
  return async (team) => {
    let institution = byInstitution.get(team.institutionId);
    if (!institution) {
      institution = (async () => {
        const byTeam = new Map<string, Contract[]>();
        for await (const contract of allContractsOfInstitution(db, team.institutionId)) {
          const list = byTeam.get(contract.teamId);
          if (list) list.push(contract);
          else byTeam.set(contract.teamId, [contract]);
        }
        return byTeam;
      })();
      byInstitution.set(team.institutionId, institution);
    }
    return (await institution).get(team.teamId) ?? [];
  };
}

/** A team's facts of a period; its contracts may still be on their way (read alongside the metric rows and aggregates). */
export async function factsOfTeam(
  db: Db,
  source: PeriodFactsSource,
  team: Team,
  contractsOfTeam: readonly Contract[] | Promise<readonly Contract[]>,
): Promise<TeamFacts> {
  const [rows, counters, contracts] = await Promise.all([metricRowsOf(db, source, team.institutionId), aggregateOf(db, source, team), contractsOfTeam]);
  return {
    teamId: team.teamId,
    uploaded: source.uploads.has(team.institutionId),
    metrics: rows.get(team.teamId) ?? {},
    registry: registryFigures(contracts, source.period),
    ...(counters && counters.n !== undefined ? { survey: scoringFacts(source.instrument, counters) } : {}),
  };
}
