/**
 * Reconciliation of contracts and team counters: every team's `activeContracts` must equal its
 * contracts stored `active` (those hold its places, shared/data/contracts.ts), and no resident may
 * have two contracts on one day (anywhere, across districts). Both are kept by the signing,
 * cancellation, renewal and daily-ending transactions; drift means something outside them
 * changed the table. It also lists the active contracts whose end date has passed (the daily
 * step ends them; many means it has not run) and active contracts missing from the end schedule
 * (signed before it existed). `fix` overwrites drifting counters with the count and schedules the
 * missing ends.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Contract, allContractsOfResident, allContractsOfTeam, scheduleEnds, withoutEndSchedule } from '../data/contracts.ts';
import type { Db } from '../data/db.ts';
import { keys } from '../data/keys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';

export interface ContractReconcileReport {
  districtId: string;
  teamsChecked: number;
  contractsChecked: number;
  counterDrift: { teamId: string; stored: number; active: number }[];
  /** residents (by masked identity) with two contracts on one day */
  overlaps: { identityMasked: string; contractIds: [string, string]; from: string; to: string }[];
  /** active contracts whose end date is before `today`: the daily step has yet to end them */
  pastEnd: { contractId: string; teamId: string; endDate: string }[];
  /** active contracts with no entry in the end schedule (the daily step would never end them) */
  unscheduled: string[];
  fixed: boolean;
}

/** The first day two contracts share, if any (each term inclusive). */
function sharedDays(a: Contract, b: Contract): { from: string; to: string } | null {
  const from = a.startDate > b.startDate ? a.startDate : b.startDate;
  const to = a.endDate < b.endDate ? a.endDate : b.endDate;
  return from <= to ? { from, to } : null;
}

export async function reconcileContracts(db: Db, districtId: string, today: string, fix = false): Promise<ContractReconcileReport> {
  const report: ContractReconcileReport = {
    districtId,
    teamsChecked: 0,
    contractsChecked: 0,
    counterDrift: [],
    overlaps: [],
    pastEnd: [],
    unscheduled: [],
    fixed: fix,
  };
  const residents = new Set<string>();
  for await (const team of allTeamsOfDistrict(db, districtId)) {
    report.teamsChecked++;
    const contracts: Contract[] = [];
    for await (const contract of allContractsOfTeam(db, team)) contracts.push(contract);
    report.contractsChecked += contracts.length;
    for (const c of contracts) residents.add(c.residentRef);
    const active = contracts.filter((c) => c.status === 'active');
    for (const c of active) if (c.endDate < today) report.pastEnd.push({ contractId: c.contractId, teamId: c.teamId, endDate: c.endDate });
    const unscheduled = await withoutEndSchedule(db, active);
    report.unscheduled.push(...unscheduled.map((c) => c.contractId));
    if (fix && unscheduled.length > 0) await scheduleEnds(db, unscheduled);
    if (active.length === team.activeContracts) continue;
    report.counterDrift.push({ teamId: team.teamId, stored: team.activeContracts, active: active.length });
    if (fix) {
      await db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: keys.team(team.teamId),
          UpdateExpression: 'SET activeContracts = :n',
          ExpressionAttributeValues: { ':n': active.length },
        }),
      );
    }
  }
  for (const residentRef of residents) {
    const history = await allContractsOfResident(db, residentRef);
    for (let i = 0; i < history.length; i++) {
      for (let j = i + 1; j < history.length; j++) {
        const shared = sharedDays(history[i]!, history[j]!);
        if (shared)
          report.overlaps.push({ identityMasked: history[i]!.identityMasked, contractIds: [history[i]!.contractId, history[j]!.contractId], ...shared });
      }
    }
  }
  return report;
}
