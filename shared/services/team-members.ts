/**
 * Team members joining and leaving with dates, for the JSON API (functions/registry/app.ts) and
 * the clerk's team members page. The caller has loaded the team and checked the principal may
 * change it; each change is recorded in the general audit log, naming `actor`. Errors (kind → HTTP status):
 *   rule 422  `member-leaves-before-joining` (body.leftOn), `team-member-limit`
 *   conflict 409  `member-already-left`
 *   not-found 404  `member`
 */
import type { AuditActor } from '../domain/audit-log.ts';
import { notFound, ruleBroken } from '../domain/errors.ts';
import { canLeaveOn, type MemberRole } from '../domain/teams.ts';
import { newId } from '../data/items.ts';
import { appendTeamMember, setMemberLeftOn } from '../data/team-members.ts';
import { getTeam, type Team } from '../data/teams.ts';
import type { Deps } from '../deps.ts';

export interface NewMember {
  name: string;
  role: MemberRole;
  joinedOn: string;
}

export function addTeamMember(deps: Deps, team: Team, input: NewMember, actor: AuditActor): Promise<Team> {
  const member = { memberId: newId('m'), name: input.name, role: input.role, joinedOn: input.joinedOn };
  return appendTeamMember(deps.db, team.teamId, member, { actor, team, at: deps.now().toISOString() });
}

/** Records that a member left on `leftOn` (their last day in the team); the entry stays, with its dates. */
export function recordMemberLeave(deps: Deps, team: Team, memberId: string, leftOn: string, actor: AuditActor): Promise<Team> {
  const index = team.members.findIndex((m) => m.memberId === memberId);
  const member = team.members[index];
  if (!member) throw notFound('member', `Member ${memberId}`);
  if (!canLeaveOn(member, leftOn)) {
    throw ruleBroken('member-leaves-before-joining', `${member.name} joined on ${member.joinedOn}; the leave date ${leftOn} is before that`, {
      field: 'body.leftOn',
      name: member.name,
      joinedOn: member.joinedOn,
      leftOn,
    });
  }
  return setMemberLeftOn(deps.db, team.teamId, index, memberId, leftOn, { actor, team, at: deps.now().toISOString() });
}

export function teamOf(deps: Deps, teamId: string, consistent = false): Promise<Team | null> {
  return getTeam(deps.db, teamId, consistent);
}
