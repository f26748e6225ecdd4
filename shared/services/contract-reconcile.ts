/**
 * Reconciliation of contracts and team counters: every team's `activeContracts` must equal the
 * contracts holding a place in it (named by their resident's current-contract item, place not
 * released), and no resident may have two contracts on one day (anywhere, across districts).
 * Both are kept by the signing, cancellation and renewal transactions; drift means something
 * outside the API changed the table. `fix` overwrites drifting counters with the count.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Contract, allContractsOfResident, allContractsOfTeam, currentContractsOf } from '../data/contracts.ts';
import type { Db } from '../data/db.ts';
import { keys } from '../data/keys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';

export interface ContractReconcileReport {
  districtId: string;
  teamsChecked: number;
  contractsChecked: number;
  counterDrift: { teamId: string; stored: number; placesHeld: number }[];
  /** residents (by masked identity) with two contracts on one day */
  overlaps: { identityMasked: string; contractIds: [string, string]; from: string; to: string }[];
  fixed: boolean;
}

/** The first day two contracts share, if any (each term inclusive). */
function sharedDays(a: Contract, b: Contract): { from: string; to: string } | null {
  const from = a.startDate > b.startDate ? a.startDate : b.startDate;
  const to = a.endDate < b.endDate ? a.endDate : b.endDate;
  return from <= to ? { from, to } : null;
}

export async function reconcileContracts(db: Db, districtId: string, fix = false): Promise<ContractReconcileReport> {
  const report: ContractReconcileReport = { districtId, teamsChecked: 0, contractsChecked: 0, counterDrift: [], overlaps: [], fixed: fix };
  const residents = new Set<string>();
  for await (const team of allTeamsOfDistrict(db, districtId)) {
    report.teamsChecked++;
    const contracts: Contract[] = [];
    for await (const contract of allContractsOfTeam(db, team.teamId)) contracts.push(contract);
    report.contractsChecked += contracts.length;
    const current = await currentContractsOf(db, [...new Set(contracts.map((c) => c.residentRef))]);
    const placesHeld = contracts.filter((c) => {
      const item = current.get(c.residentRef);
      return item?.contractId === c.contractId && !item.released;
    }).length;
    for (const c of contracts) residents.add(c.residentRef);
    if (placesHeld === team.activeContracts) continue;
    report.counterDrift.push({ teamId: team.teamId, stored: team.activeContracts, placesHeld });
    if (fix) {
      await db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: keys.team(team.teamId),
          UpdateExpression: 'SET activeContracts = :n',
          ExpressionAttributeValues: { ':n': placesHeld },
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
