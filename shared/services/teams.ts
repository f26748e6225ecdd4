/**
 * Creating a "2 + X" team: the use case the API (POST /institutions/{id}/teams) and the clerk's
 * teams page both call. A general practitioner and a community nurse are required; the capacity
 * stays within the district's cap (the cap is also checked in the write's transaction).
 */
import { ruleBroken } from '../domain/errors.ts';
import { type MemberRole, missingRequiredRoles } from '../domain/teams.ts';
import { requireDistrict } from '../data/districts.ts';
import type { Institution } from '../data/institutions.ts';
import { newId } from '../data/items.ts';
import { createTeam, type Team } from '../data/teams.ts';
import type { Deps } from '../deps.ts';

export interface NewTeam {
  name: string;
  members: { name: string; role: MemberRole; joinedOn: string }[];
  capacity?: number | undefined;
}

export async function createInstitutionTeam(deps: Deps, institution: Institution, body: NewTeam): Promise<Team> {
  const missing = missingRequiredRoles(body.members);
  if (missing.length > 0) {
    throw ruleBroken('team-roles', `A team needs a general practitioner and a community nurse; missing: ${missing.join(', ')}`, { field: 'body.members' });
  }
  const district = await requireDistrict(deps.db, institution.districtId);
  if (body.capacity !== undefined && body.capacity > district.settings.teamCapacity) {
    throw ruleBroken('capacity-above-district-cap', `A team's capacity cannot exceed the district's cap of ${district.settings.teamCapacity}`, {
      field: 'body.capacity',
      capacity: body.capacity,
      cap: district.settings.teamCapacity,
    });
  }
  return createTeam(deps.db, {
    teamId: newId('team'),
    institutionId: institution.institutionId,
    districtId: institution.districtId,
    name: body.name,
    members: body.members.map((m) => ({ ...m, memberId: newId('m') })),
    capacity: body.capacity ?? district.settings.teamCapacity,
    activeContracts: 0,
    createdAt: deps.now().toISOString(),
  });
}
