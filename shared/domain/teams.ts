/** "2 + X" family-doctor teams: a general practitioner and a community nurse, plus optional roles. */
export const REQUIRED_ROLES = ['general-practitioner', 'community-nurse'] as const;
export const OPTIONAL_ROLES = [
  'public-health-physician',
  'specialist',
  'pharmacist',
  'health-manager',
  'psychological-counsellor',
  'nutritionist',
  'rehabilitation-therapist',
  'social-worker',
  'grid-administrator',
] as const;
export const MEMBER_ROLES = [...REQUIRED_ROLES, ...OPTIONAL_ROLES] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Names of the required roles a member list lacks. */
export function missingRequiredRoles(members: readonly { role: MemberRole }[]): MemberRole[] {
  return REQUIRED_ROLES.filter((role) => !members.some((m) => m.role === role));
}

/** How many member entries (current and past) one team item keeps: members are never removed, so history counts too. */
export const MAX_MEMBER_ENTRIES = 60;

/** Whether a leave date is allowed: not before the member joined (leaving on the joining day is one day in the team). */
export function canLeaveOn(member: { joinedOn: string }, leftOn: string): boolean {
  return leftOn >= member.joinedOn;
}

/** Members in the team on a day: joined on or before it and not left before it. */
export function membersOn<T extends { joinedOn: string; leftOn?: string | undefined }>(members: readonly T[], day: string): T[] {
  return members.filter((m) => m.joinedOn <= day && (m.leftOn === undefined || m.leftOn >= day));
}
