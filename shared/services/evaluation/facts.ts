/**
 * Gathering a team's facts for a period: its current metric upload row, its survey aggregate
 * (headline question) and its registry figures from its contracts. Scoring reads only these.
 */
import { parsePeriod, type Period } from '../../domain/periods.ts';
import { registryFigures } from '../../domain/registry-figures.ts';
import type { TeamFacts } from '../../domain/scoring/index.ts';
import { type AggregateCounters, scoringFacts } from '../../domain/surveys/aggregate.ts';
import type { Instrument } from '../../domain/surveys/instrument.ts';
import { allContractsOfTeam } from '../../data/contracts.ts';
import type { Db } from '../../data/db.ts';
import { allMetricsRows, currentVersionsOfDistrict, type MetricsVersion } from '../../data/metrics.ts';
import { aggregatesOfDistrict, currentInstrument } from '../../data/surveys.ts';
import type { Team } from '../../data/teams.ts';

export interface PeriodFactsSource {
  period: Period;
  uploads: Map<string, MetricsVersion>;
  aggregates: Map<string, AggregateCounters>;
  instrument: Instrument;
  rowsByInstitution: Map<string, Promise<Map<string, Record<string, number>>>>;
}

export async function periodFactsSource(db: Db, districtId: string, periodId: string): Promise<PeriodFactsSource> {
  const [uploads, aggregates, instrument] = await Promise.all([
    currentVersionsOfDistrict(db, districtId, periodId),
    aggregatesOfDistrict(db, districtId, periodId),
    currentInstrument(db, districtId),
  ]);
  return {
    period: parsePeriod(periodId)!,
    uploads: new Map(uploads.map((u) => [u.institutionId, u])),
    aggregates,
    instrument,
    rowsByInstitution: new Map(),
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

export async function factsOfTeam(db: Db, source: PeriodFactsSource, team: Team): Promise<TeamFacts> {
  const [rows, contracts] = await Promise.all([metricRowsOf(db, source, team.institutionId), collect(allContractsOfTeam(db, team.teamId))]);
  const counters = source.aggregates.get(team.teamId);
  return {
    teamId: team.teamId,
    uploaded: source.uploads.has(team.institutionId),
    metrics: rows.get(team.teamId) ?? {},
    registry: registryFigures(contracts, source.period),
    ...(counters ? { survey: scoringFacts(source.instrument, counters) } : {}),
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs fn over items with at most `limit` in flight, keeping order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
