/**
 * Inviting a staff member: a role and its scope (evaluator and finance: a district; clerk: an
 * institution of that district; admin: none), handed to the user directory. Deployed with
 * Cognito, the directory creates the user (AdminCreateUser with the e-mail, name and the
 * custom:districtId / custom:institutionId attributes) and puts them in the role's group
 * (functions/registry/user-directory.ts); locally there is no directory of people, and the invite
 * answers with the demo identity to sign in as at /login.
 * Deployed with an external OIDC issuer, accounts are made in that identity provider: inviting is
 * refused with rule 422 `accounts-in-identity-provider`.
 * Errors: rule 422 `invite-scope-missing` (a district or institution the role needs),
 * `invite-institution-outside-district`; not-found 404 for an unknown district or institution.
 */
import type { AuditActor } from '../domain/audit-log.ts';
import { DomainError, ruleBroken } from '../domain/errors.ts';
import { putAuditLogEntry } from '../data/audit-log.ts';
import { requireDistrict } from '../data/districts.ts';
import { requireInstitution } from '../data/institutions.ts';
import type { Deps } from '../deps.ts';

export const INVITABLE_ROLES = ['admin', 'evaluator', 'finance', 'clerk'] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

export interface Invitation {
  email: string;
  name: string;
  role: InvitableRole;
  districtId?: string | undefined;
  institutionId?: string | undefined;
}

export type InviteOutcome =
  | { kind: 'invited'; username: string }
  | { kind: 'demo'; role: InvitableRole; districtId?: string; institutionId?: string; subject: string };

export interface UserDirectory {
  /** accounts live in an external identity provider (an OIDC issuer): nothing can be invited here */
  external?: boolean;
  invite(invitation: Invitation): Promise<InviteOutcome>;
}

function accountsManagedElsewhere(): DomainError {
  return new DomainError('rule', 'accounts-in-identity-provider', 'Accounts are created and managed in the external identity provider, not invited here');
}

/** Deployed with an external OIDC issuer: accounts are made in that identity provider. */
export const externalUserDirectory: UserDirectory = {
  external: true,
  invite: async () => {
    throw accountsManagedElsewhere();
  },
};

/** Locally: no directory of people; the outcome names the demo identity to sign in as. */
export const demoUserDirectory: UserDirectory = {
  invite: async (invitation) => ({
    kind: 'demo',
    role: invitation.role,
    ...(invitation.districtId ? { districtId: invitation.districtId } : {}),
    ...(invitation.institutionId ? { institutionId: invitation.institutionId } : {}),
    subject: invitation.email.split('@')[0]!.replace(/[^A-Za-z0-9._@-]/g, '-'),
  }),
};

/**
 * Checks the scope the role needs, invites through the directory, then records the invitation in
 * the district's audit log (role, scope and the invitee's name; never the e-mail address). The
 * account lives in the identity provider, so this entry follows the change instead of sharing its
 * transaction; an administrator's invitation (no district) has no district log to go to.
 */
export async function inviteUser(deps: Deps, directory: UserDirectory, actor: AuditActor, invitation: Invitation): Promise<InviteOutcome> {
  if (directory.external) throw accountsManagedElsewhere();
  const { role } = invitation;
  const scoped: Invitation = { email: invitation.email, name: invitation.name, role };
  if (role !== 'admin') {
    if (!invitation.districtId) throw ruleBroken('invite-scope-missing', `A ${role} needs a district`, { field: 'districtId' });
    await requireDistrict(deps.db, invitation.districtId);
    scoped.districtId = invitation.districtId;
  }
  if (role === 'clerk') {
    if (!invitation.institutionId) throw ruleBroken('invite-scope-missing', 'A clerk needs an institution', { field: 'institutionId' });
    const institution = await requireInstitution(deps.db, invitation.institutionId);
    if (institution.districtId !== invitation.districtId) {
      throw ruleBroken('invite-institution-outside-district', `Institution ${institution.institutionId} is not in district ${invitation.districtId}`, {
        field: 'institutionId',
      });
    }
    scoped.institutionId = institution.institutionId;
  }
  const outcome = await directory.invite(scoped);
  if (scoped.districtId) {
    await putAuditLogEntry(deps.db, {
      at: deps.now().toISOString(),
      by: actor.subject,
      byRole: actor.role,
      action: 'user.invite',
      entityType: 'user',
      // a Cognito user name is the e-mail address: the entity is named by the invitee's name instead
      entityId: outcome.kind === 'invited' ? scoped.name : outcome.subject,
      districtId: scoped.districtId,
      institutionId: scoped.institutionId,
      summary: { name: scoped.name, role: scoped.role },
    });
  }
  return outcome;
}
