/**
 * Scope rules, after the role check in `access`: an administrator sees everything; district
 * staff see their district; a clerk sees their institution. A scope miss on a path's
 * district is 403; on an entity loaded by id it is 404, so ids of other districts leak nothing.
 */
import { notFound } from '../domain/errors.ts';
import type { Principal } from './principal.ts';
import { problems } from './problem.ts';

export function canSeeDistrict(principal: Principal, districtId: string): boolean {
  return principal.role === 'admin' || principal.districtId === districtId;
}

export function canSeeInstitution(principal: Principal, institution: { districtId: string; institutionId: string }): boolean {
  if (principal.role === 'clerk') return principal.institutionId === institution.institutionId;
  return canSeeDistrict(principal, institution.districtId);
}

export function assertDistrictInPath(principal: Principal, districtId: string): void {
  if (!canSeeDistrict(principal, districtId))
    throw problems.forbidden(`You have no access to district ${districtId}`, { code: 'no-access-district', details: { districtId } });
}

export function assertInstitutionInPath(principal: Principal, institution: { districtId: string; institutionId: string }): void {
  if (!canSeeInstitution(principal, institution))
    throw problems.forbidden(`You have no access to institution ${institution.institutionId}`, {
      code: 'no-access-institution',
      details: { institutionId: institution.institutionId },
    });
}

/** For entities addressed by their own id: out of scope looks exactly like absent. */
export function visibleOr404<T>(entity: T | null, visible: (entity: T) => boolean, what: string): T {
  if (entity === null || !visible(entity)) throw notFound('not-found', what);
  return entity;
}
