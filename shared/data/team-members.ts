/**
 * Team members repository. A team's members live in the team's own item (TEAM#{teamId} / TEAM,
 * shared/data/teams.ts) as its `members` list, in the order they joined. An entry is never
 * removed: leaving sets `leftOn` on it, so the history stays for the pro-rated member split
 * (shared/domain/money/member-split.ts) and the team page.
 * - join: `list_append` under `attribute_exists(pk) AND size(members) < MAX_MEMBER_ENTRIES`;
 *   concurrent joins all land, because the append is one atomic update of the item.
 * - leave: `SET members[i].leftOn` under `members[i].memberId = :memberId AND
 *   attribute_not_exists(members[i].leftOn)`. Index i is stable because entries are never
 *   removed; of two concurrent leaves of one member exactly one passes the condition.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound, ruleBroken } from '../domain/errors.ts';
import { MAX_MEMBER_ENTRIES } from '../domain/teams.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { keys } from './keys.ts';
import { getTeam, type Team, type TeamMember } from './teams.ts';

/** Appends a member; refused with `team-member-limit` when the team already keeps MAX_MEMBER_ENTRIES entries. */
export async function appendTeamMember(db: Db, teamId: string, member: TeamMember): Promise<Team> {
  try {
    const result = await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.team(teamId),
        UpdateExpression: 'SET members = list_append(members, :member)',
        ConditionExpression: 'attribute_exists(pk) AND size(members) < :max',
        ExpressionAttributeValues: { ':member': [member], ':max': MAX_MEMBER_ENTRIES },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return entityOf<Team>(result.Attributes!);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    if (!(await getTeam(db, teamId, true))) throw notFound('team', `Team ${teamId}`);
    throw ruleBroken('team-member-limit', `A team keeps at most ${MAX_MEMBER_ENTRIES} members, past ones included`, { max: MAX_MEMBER_ENTRIES });
  }
}

/**
 * Sets the member at `index` (read by the caller, checked here) as left on `leftOn`; refused with
 * `member-already-left` when they have a leave date already (another leave won).
 */
export async function setMemberLeftOn(db: Db, teamId: string, index: number, memberId: string, leftOn: string): Promise<Team> {
  if (!Number.isInteger(index) || index < 0) throw notFound('member', `Member ${memberId}`);
  try {
    const result = await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.team(teamId),
        UpdateExpression: `SET members[${index}].leftOn = :leftOn`,
        ConditionExpression: `members[${index}].memberId = :memberId AND attribute_not_exists(members[${index}].leftOn)`,
        ExpressionAttributeValues: { ':leftOn': leftOn, ':memberId': memberId },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return entityOf<Team>(result.Attributes!);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const member = (await getTeam(db, teamId, true))?.members[index];
    if (member?.memberId !== memberId) throw notFound('member', `Member ${memberId}`);
    throw conflict('member-already-left', `${member.name} already left the team on ${member.leftOn}`, { leftOn: member.leftOn, name: member.name });
  }
}
