/**
 * Teams repository.
 * Keys: TEAM#{teamId} / TEAM; gsi2 DISTRICT#{districtId}#TEAMS / INSTITUTION#{id}#TEAM#{teamId} lists a
 * district's teams grouped by institution, and an institution's teams with the sort key prefix
 * INSTITUTION#{id}#TEAM# (the team is in no other index: every contract signed rewrites its counter,
 * and with it the team's copy in each index it is in). `activeContracts` is the capacity counter that
 * contract transactions increment under the condition `activeContracts < capacity`: it counts the
 * contracts that hold a place, i.e. that their resident's current-contract item names without
 * `released` (shared/data/contracts.ts). A team is created in one transaction with its
 * district's cap condition (`settings.teamCapacity >= capacity`), which also keeps the district's
 * `maxTeamCapacity` (shared/data/districts.ts `districtCapItem`), and, when someone creates it
 * (not the demo seed), its general audit log entry.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditActor } from '../domain/audit-log.ts';
import { conflict, ruleBroken } from '../domain/errors.ts';
import type { MemberRole } from '../domain/teams.ts';
import { auditLogPut } from './audit-log.ts';
import type { Db } from './db.ts';
import { districtCapItem, getDistrict } from './districts.ts';
import { entityOf } from './items.ts';
import { keys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryAll, queryPage } from './query.ts';
import { transactWrite } from './transact.ts';

export interface TeamMember {
  memberId: string;
  name: string;
  role: MemberRole;
  /** first and last day in the team; absent leftOn means still a member */
  joinedOn: string;
  leftOn?: string;
}

export interface Team {
  teamId: string;
  institutionId: string;
  districtId: string;
  name: string;
  members: TeamMember[];
  capacity: number;
  activeContracts: number;
  createdAt: string;
}

/**
 * Every Team field, and only those: lists project them, so DynamoDB sends and the SDK unmarshals none
 * of the key and index attributes of each team (pk, sk, gsi2pk, gsi2sk, entity, and gsi1 keys an old
 * item may still carry) that entityOf would drop anyway (a field added to Team must be added here, or
 * the type check fails). A single GetItem is not projected: measured,
 * the expression cost about what the smaller answer saved.
 */
const TEAM_FIELDS: Record<keyof Team, true> = {
  teamId: true,
  institutionId: true,
  districtId: true,
  name: true,
  members: true,
  capacity: true,
  activeContracts: true,
  createdAt: true,
};
const TEAM_ATTRIBUTES = Object.keys(TEAM_FIELDS);

export function teamItem(team: Team): Record<string, unknown> {
  return {
    ...keys.team(team.teamId),
    ...keys.teamListEntries(team.districtId, team.institutionId, team.teamId),
    entity: 'team',
    ...team,
  };
}

/** Creates a team; refused with `capacity-above-district-cap` when its capacity exceeds the district's cap at that moment. */
export async function createTeam(db: Db, team: Team, actor?: AuditActor): Promise<Team> {
  const { teamId, districtId, institutionId, name, capacity, createdAt: at } = team;
  const summary = { name, capacity, members: team.members.map((m) => m.role).join(', ') };
  const log = actor
    ? [
        auditLogPut(db, {
          at,
          by: actor.subject,
          byRole: actor.role,
          action: 'team.create',
          entityType: 'team',
          entityId: teamId,
          districtId,
          institutionId,
          summary,
        }),
      ]
    : [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const district = await getDistrict(db, team.districtId, true);
    if (district && district.settings.teamCapacity < team.capacity) break;
    const result = await transactWrite(db, [
      { Put: { TableName: db.tableName, Item: teamItem(team), ConditionExpression: 'attribute_not_exists(pk)' } },
      districtCapItem(db, team.districtId, team.capacity, district?.maxTeamCapacity),
      ...log,
    ]);
    if (result.ok) return team;
    if (result.reasons[0] === 'ConditionalCheckFailed') throw conflict('team-exists', `Team ${team.teamId} already exists`);
    // the cap was lowered, or another team raised the largest capacity meanwhile: look again
  }
  throw ruleBroken('capacity-above-district-cap', `A team's capacity (${team.capacity}) cannot exceed the district's cap`, {
    field: 'body.capacity',
    capacity: team.capacity,
  });
}

export async function getTeam(db: Db, teamId: string, consistent = false): Promise<Team | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.team(teamId), ConsistentRead: consistent }));
  return result.Item ? entityOf<Team>(result.Item) : null;
}

/** An institution's teams, in team id order (the district's team index, narrowed to the institution). */
export function listTeamsOfInstitution(
  db: Db,
  institution: { districtId: string; institutionId: string },
  limit: number,
  cursor?: string,
): Promise<Page<Team>> {
  const request = { partition: keys.teamsOfDistrict(institution.districtId), sortKeyPrefix: keys.teamsOfInstitution(institution.institutionId) };
  return queryPage(db, { index: 'gsi2', ...request, limit, cursor, attributes: TEAM_ATTRIBUTES }, entityOf<Team>);
}

export function listTeamsOfDistrict(db: Db, districtId: string, limit: number, cursor?: string): Promise<Page<Team>> {
  return queryPage(db, { index: 'gsi2', partition: keys.teamsOfDistrict(districtId), limit, cursor, attributes: TEAM_ATTRIBUTES }, entityOf<Team>);
}

/** All of a district's teams, for background jobs (evaluation, settlement), page by page. */
export async function* allTeamsOfDistrict(db: Db, districtId: string): AsyncGenerator<Team> {
  for await (const raw of queryAll(db, { index: 'gsi2', partition: keys.teamsOfDistrict(districtId) })) yield entityOf<Team>(raw);
}

/** How many teams a district has (reads only the keys). */
export async function countTeamsOfDistrict(db: Db, districtId: string): Promise<number> {
  let count = 0;
  for await (const _ of allTeamsOfDistrict(db, districtId)) count++;
  return count;
}
