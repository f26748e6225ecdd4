/**
 * Registry use cases the JSON API (functions/registry/app.ts) and the administrator pages
 * (functions/registry/pages/) both call: district settings and subsidy rates, institutions and
 * teams. Errors (kind → HTTP status):
 *   rule 422  `cap-below-team-capacity` (a cap below an existing team's capacity), `team-roles`
 *             (no GP or no nurse), `capacity-above-district-cap`
 *   conflict 409  the settings changed since they were read (shared/data/districts.ts)
 * Every change is written with its general audit log entry (shared/data/audit-log.ts), naming `actor`.
 */
import type { AuditActor } from '../domain/audit-log.ts';
import { ruleBroken } from '../domain/errors.ts';
import { missingRequiredRoles } from '../domain/teams.ts';
import { type District, type DistrictSettings, requireDistrict, type SubsidyRate, subsidyRatesOf, updateDistrictSettings } from '../data/districts.ts';
import { createInstitution, type Institution } from '../data/institutions.ts';
import { newId } from '../data/items.ts';
import { allTeamsOfDistrict, createTeam, type Team, type TeamMember } from '../data/teams.ts';
import type { Deps } from '../deps.ts';

export type SettingsChange = Partial<
  Pick<DistrictSettings, 'teamCapacity' | 'contractTermMonths' | 'surveyMinResponses' | 'contractStartGraceDays' | 'dataDeadlineDays' | 'reviewWindowDays'>
>;

type SettingsAction = 'district.settings' | 'district.subsidy-rate';

/** Writes the settings under the condition that they are what was read; refuses a cap below an existing team's capacity. */
async function changeSettings(
  deps: Deps,
  districtId: string,
  log: { actor: AuditActor; action: SettingsAction },
  change: (settings: DistrictSettings) => DistrictSettings,
): Promise<District> {
  const district = await requireDistrict(deps.db, districtId);
  const next = change(district.settings);
  if (next.teamCapacity < district.settings.teamCapacity) {
    for await (const team of allTeamsOfDistrict(deps.db, districtId)) {
      if (team.capacity > next.teamCapacity) {
        throw ruleBroken('cap-below-team-capacity', `Team ${team.teamId} has capacity ${team.capacity}; lower its capacity before the district cap`, {
          field: 'body.teamCapacity',
          teamId: team.teamId,
          teamName: team.name,
          capacity: team.capacity,
        });
      }
    }
  }
  await updateDistrictSettings(deps.db, districtId, district.settings, next, { ...log, at: deps.now().toISOString() });
  return { ...district, settings: next };
}

export function changeDistrictSettings(deps: Deps, districtId: string, patch: SettingsChange, actor: AuditActor): Promise<District> {
  return changeSettings(deps, districtId, { actor, action: 'district.settings' }, (settings) => ({ ...settings, ...patch }));
}

/** Sets the yearly subsidy in force from a date (replacing a rate of the same date); the latest rate is mirrored in `subsidyPerResidentYearFen`. */
export function addSubsidyRate(deps: Deps, districtId: string, rate: SubsidyRate, actor: AuditActor): Promise<District> {
  return changeSettings(deps, districtId, { actor, action: 'district.subsidy-rate' }, (settings) => {
    const rates = [...subsidyRatesOf(settings).filter((r) => r.from !== rate.from), rate].sort((a, b) => (a.from < b.from ? -1 : 1));
    return { ...settings, subsidyRates: rates, subsidyPerResidentYearFen: rates.at(-1)!.perYearFen };
  });
}

export type InstitutionInput = Pick<Institution, 'name' | 'ownership' | 'level' | 'servicePackages'>;

export async function registerInstitution(deps: Deps, districtId: string, input: InstitutionInput, actor: AuditActor): Promise<Institution> {
  await requireDistrict(deps.db, districtId);
  return createInstitution(deps.db, { institutionId: newId('inst'), districtId, ...input, createdAt: deps.now().toISOString() }, actor);
}

export interface TeamInput {
  name: string;
  members: Pick<TeamMember, 'name' | 'role' | 'joinedOn'>[];
  capacity?: number | undefined;
}

/** A "2 + X" team: a general practitioner and a community nurse required, its capacity within the district cap (default: the cap). */
export async function createTeamOf(deps: Deps, institution: Institution, input: TeamInput, actor: AuditActor): Promise<Team> {
  const missing = missingRequiredRoles(input.members);
  if (missing.length > 0) {
    throw ruleBroken('team-roles', `A team needs a general practitioner and a community nurse; missing: ${missing.join(', ')}`, {
      field: 'body.members',
      missing,
    });
  }
  const district = await requireDistrict(deps.db, institution.districtId);
  if (input.capacity !== undefined && input.capacity > district.settings.teamCapacity) {
    throw ruleBroken('capacity-above-district-cap', `A team's capacity cannot exceed the district's cap of ${district.settings.teamCapacity}`, {
      field: 'body.capacity',
      capacity: input.capacity,
      cap: district.settings.teamCapacity,
    });
  }
  return createTeam(
    deps.db,
    {
      teamId: newId('team'),
      institutionId: institution.institutionId,
      districtId: institution.districtId,
      name: input.name,
      members: input.members.map((m) => ({ ...m, memberId: newId('m') })),
      capacity: input.capacity ?? district.settings.teamCapacity,
      activeContracts: 0,
      createdAt: deps.now().toISOString(),
    },
    actor,
  );
}

// Reads the pages need, so that pages call services only.
export { listDistricts as districtsPage, requireDistrict as districtOf } from '../data/districts.ts';
export { listInstitutions as institutionsPage, requireInstitution as institutionOf } from '../data/institutions.ts';
export { listTeamsOfInstitution as teamsOfInstitutionPage } from '../data/teams.ts';
