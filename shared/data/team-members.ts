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
 * Each is a transaction with its general audit log entry when the caller names who acts.
 */
import type { AuditActor } from '../domain/audit-log.ts';
import { conflict, notFound, ruleBroken } from '../domain/errors.ts';
import { MAX_MEMBER_ENTRIES } from '../domain/teams.ts';
import { auditLogPut } from './audit-log.ts';
import type { Db } from './db.ts';
import { keys } from './keys.ts';
import { getTeam, type Team, type TeamMember } from './teams.ts';
import { transactWrite } from './transact.ts';

/** Who changes the team, for its general audit log entry (./audit-log.ts), written in the change's transaction. */
export interface MemberChangeLog {
  actor: AuditActor;
  team: Pick<Team, 'teamId' | 'districtId' | 'institutionId' | 'name'>;
  at: string;
}

function memberLogPut(db: Db, log: MemberChangeLog, action: 'team.member-join' | 'team.member-leave', member: Pick<TeamMember, 'name' | 'role'>, day: string) {
  const { actor, team, at } = log;
  const summary = { name: team.name, member: member.name, memberRole: member.role, [action === 'team.member-join' ? 'joinedOn' : 'leftOn']: day };
  return auditLogPut(db, {
    at,
    by: actor.subject,
    byRole: actor.role,
    action,
    entityType: 'team',
    entityId: team.teamId,
    districtId: team.districtId,
    institutionId: team.institutionId,
    summary,
  });
}

async function teamAfterWrite(db: Db, teamId: string): Promise<Team> {
  const team = await getTeam(db, teamId, true);
  if (!team) throw notFound('team', `Team ${teamId}`);
  return team;
}

/** Appends a member; refused with `team-member-limit` when the team already keeps MAX_MEMBER_ENTRIES entries. */
export async function appendTeamMember(db: Db, teamId: string, member: TeamMember, log?: MemberChangeLog): Promise<Team> {
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.team(teamId),
        UpdateExpression: 'SET members = list_append(members, :member)',
        ConditionExpression: 'attribute_exists(pk) AND size(members) < :max',
        ExpressionAttributeValues: { ':member': [member], ':max': MAX_MEMBER_ENTRIES },
      },
    },
    ...(log ? [memberLogPut(db, log, 'team.member-join', member, member.joinedOn)] : []),
  ]);
  if (result.ok) return teamAfterWrite(db, teamId);
  if (!(await getTeam(db, teamId, true))) throw notFound('team', `Team ${teamId}`);
  throw ruleBroken('team-member-limit', `A team keeps at most ${MAX_MEMBER_ENTRIES} members, past ones included`, { max: MAX_MEMBER_ENTRIES });
}

/**
 * Sets the member at `index` (read by the caller, checked here) as left on `leftOn`; refused with
 * `member-already-left` when they have a leave date already (another leave won).
 */
export async function setMemberLeftOn(db: Db, teamId: string, index: number, memberId: string, leftOn: string, log?: MemberChangeLog): Promise<Team> {
  if (!Number.isInteger(index) || index < 0) throw notFound('member', `Member ${memberId}`);
  const known = log ? (await getTeam(db, teamId, true))?.members[index] : undefined;
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.team(teamId),
        UpdateExpression: `SET members[${index}].leftOn = :leftOn`,
        ConditionExpression: `members[${index}].memberId = :memberId AND attribute_not_exists(members[${index}].leftOn)`,
        ExpressionAttributeValues: { ':leftOn': leftOn, ':memberId': memberId },
      },
    },
    ...(log && known ? [memberLogPut(db, log, 'team.member-leave', known, leftOn)] : []),
  ]);
  if (result.ok) return teamAfterWrite(db, teamId);
  const member = (await getTeam(db, teamId, true))?.members[index];
  if (member?.memberId !== memberId) throw notFound('member', `Member ${memberId}`);
  throw conflict('member-already-left', `${member.name} already left the team on ${member.leftOn}`, { leftOn: member.leftOn, name: member.name });
}
