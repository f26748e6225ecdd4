/**
 * Reconciliation: recompute every team's survey aggregate from the raw answers and report
 * any drift from the stored counters (optionally overwriting them). Aggregates are written
 * in the same transaction as each response, so drift means something outside the API
 * changed the table.
 */
import { addCounters, type AggregateCounters, counterDrift, responseIncrements } from '../domain/surveys/aggregate.ts';
import type { Instrument } from '../domain/surveys/instrument.ts';
import { aggregatesOfDistrict, answersOfTeam, getInstrument, overwriteAggregate } from '../data/surveys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';
import type { Db } from '../data/db.ts';

export interface ReconcileReport {
  period: string;
  teamsChecked: number;
  teamsWithDrift: number;
  fixed: boolean;
  drift: { teamId: string; differences: { key: string; stored: number; recomputed: number }[] }[];
}

export async function reconcileSurveyAggregates(db: Db, districtId: string, period: string, fix: boolean): Promise<ReconcileReport> {
  const stored = await aggregatesOfDistrict(db, districtId, period);
  const instruments = new Map<number, Instrument>();
  const report: ReconcileReport = { period, teamsChecked: 0, teamsWithDrift: 0, fixed: fix, drift: [] };
  for await (const team of allTeamsOfDistrict(db, districtId)) {
    report.teamsChecked++;
    const recomputed: AggregateCounters = {};
    for await (const response of answersOfTeam(db, team.teamId, period)) {
      let instrument = instruments.get(response.instrumentVersion);
      if (!instrument) {
        instrument = (await getInstrument(db, districtId, response.instrumentVersion)) ?? undefined;
        if (!instrument) continue;
        instruments.set(response.instrumentVersion, instrument);
      }
      addCounters(recomputed, responseIncrements(instrument, response.answers));
    }
    const differences = counterDrift(stored.get(team.teamId) ?? {}, recomputed);
    if (differences.length === 0) continue;
    report.teamsWithDrift++;
    report.drift.push({ teamId: team.teamId, differences });
    if (fix) await overwriteAggregate(db, { districtId, period, teamId: team.teamId, institutionId: team.institutionId }, recomputed);
  }
  return report;
}
