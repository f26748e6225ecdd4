/** Small registries built straight through the repositories, for integration tests. */
import { checkCharacter } from '#shared/domain/identity-number.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS, type DistrictSettings } from '#shared/data/districts.ts';
import type { Db } from '#shared/data/db.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import type { Ownership } from '#shared/domain/institutions.ts';
import { createTeam, type Team } from '#shared/data/teams.ts';

const CREATED = '2026-01-01T00:00:00.000Z';

/** A valid, obviously fictional identity number (address code 99…) for a birth date and sequence. */
export function testIdentityNumber(birthDate = '1980-05-17', sequence = 1): string {
  const first17 = `990108${birthDate.replaceAll('-', '')}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** Distinct identity numbers: sequence i spreads over birth dates so 1000+ stay unique. */
export function testIdentityNumbers(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    const day = String((Math.floor(n / 1000) % 28) + 1).padStart(2, '0');
    return testIdentityNumber(`1975-03-${day}`, n);
  });
}

export interface TestDistrict {
  districtId: string;
  institutionIds: string[];
  teams: Team[];
}

export async function createTestDistrict(
  db: Db,
  districtId: string,
  options: { institutions?: number; teamsPerInstitution?: number; capacity?: number; ownership?: Ownership; settings?: Partial<DistrictSettings> } = {},
): Promise<TestDistrict> {
  const settings = { ...DEFAULT_DISTRICT_SETTINGS, ...options.settings };
  await createDistrict(db, { districtId, name: `${districtId} 区`, province: '测试省', settings, createdAt: CREATED });
  const institutionIds: string[] = [];
  const teams: Team[] = [];
  for (let i = 0; i < (options.institutions ?? 1); i++) {
    const institutionId = `${districtId}-inst-${i + 1}`;
    await createInstitution(db, {
      institutionId,
      districtId,
      name: `测试社区卫生服务中心 ${i + 1}`,
      ownership: options.ownership ?? 'government',
      level: 'community-health-centre',
      servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
      createdAt: CREATED,
    });
    institutionIds.push(institutionId);
    for (let t = 0; t < (options.teamsPerInstitution ?? 2); t++) {
      teams.push(
        await createTeam(db, {
          teamId: `${institutionId}-team-${t + 1}`,
          institutionId,
          districtId,
          name: `测试团队 ${i + 1}-${t + 1}`,
          members: [
            { memberId: `${institutionId}-${t}-gp`, name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
            { memberId: `${institutionId}-${t}-nurse`, name: '李护士', role: 'community-nurse', joinedOn: '2025-01-01' },
          ],
          capacity: options.capacity ?? settings.teamCapacity,
          activeContracts: 0,
          createdAt: CREATED,
        }),
      );
    }
  }
  return { districtId, institutionIds, teams };
}
