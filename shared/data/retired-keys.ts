/**
 * One-off upgrade of items written before teams and contracts left gsi1 (docs/deploy.md): a team
 * carried gsi1 INSTITUTION#{i}#TEAMS / TEAM#{t} and a contract gsi1 TEAM#{t}#CONTRACTS /
 * START#{date}#{id}. No query reads those copies any more, but DynamoDB still rewrites them with
 * every change of the item (a team's: every contract signed, cancelled or ended), so removing the two
 * attributes is what makes an existing table cheaper. Only items that still carry them are written,
 * each on the condition that it still does (a repeat run writes nothing).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { keys } from './keys.ts';
import { queryAll } from './query.ts';

const RETIRED = { team: 'INSTITUTION#', contract: 'TEAM#' } as const;

async function removeGsi1(db: Db, key: Record<string, string>, prefix: string): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'begins_with(gsi1pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

const retired = (item: Record<string, unknown>, prefix: string) => typeof item.gsi1pk === 'string' && item.gsi1pk.startsWith(prefix);

/** Drops the retired gsi1 keys of a district's teams and of their institutions' contracts; says how many items it changed. */
export async function dropRetiredListKeys(db: Db, districtId: string): Promise<{ teams: number; contracts: number }> {
  const changed = { teams: 0, contracts: 0 };
  const institutions = new Set<string>();
  for await (const team of queryAll(db, { index: 'gsi2', partition: keys.teamsOfDistrict(districtId) })) {
    institutions.add(String(team.institutionId));
    if (retired(team, RETIRED.team) && (await removeGsi1(db, keys.team(String(team.teamId)), RETIRED.team))) changed.teams++;
  }
  for (const institutionId of institutions) {
    for await (const contract of queryAll(db, { index: 'gsi3', partition: keys.contractsOfInstitution(institutionId) })) {
      if (retired(contract, RETIRED.contract) && (await removeGsi1(db, keys.contract(String(contract.contractId)), RETIRED.contract))) changed.contracts++;
    }
  }
  return changed;
}
