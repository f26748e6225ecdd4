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
