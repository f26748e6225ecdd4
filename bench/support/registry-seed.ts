/**
 * A synthetic registry for the DynamoDB sections: one district, its institutions and teams,
 * and contracts, written in bulk with the repositories' item builders (teamItem,
 * contractImportItems), as the demo seed does. Ids are zero-padded so they sort in order.
 */
import type { KeyPopulation } from '#shared/domain/contracts.ts';
import { batchPut } from '#shared/data/batch.ts';
import { type Contract, contractImportItems } from '#shared/data/contracts.ts';
import type { Db } from '#shared/data/db.ts';
import { DEFAULT_DISTRICT_SETTINGS, type District, districtItem } from '#shared/data/districts.ts';
import { type Institution, institutionItem } from '#shared/data/institutions.ts';
import { type Team, teamItem } from '#shared/data/teams.ts';

const CREATED_AT = '2025-01-01T00:00:00.000Z';

export interface BenchRegistry {
  district: District;
  institutions: Institution[];
  teams: Team[];
}

export function benchRegistry(districtId: string, institutionCount: number, teamsPerInstitution: number): BenchRegistry {
  const district: District = { districtId, name: `${districtId} 区`, province: '基准省', settings: { ...DEFAULT_DISTRICT_SETTINGS }, createdAt: CREATED_AT };
  const institutions: Institution[] = Array.from({ length: institutionCount }, (_, i) => ({
    institutionId: `${districtId}-inst-${String(i + 1).padStart(4, '0')}`,
    districtId,
    name: `基准社区卫生服务中心 ${i + 1}`,
    ownership: 'government',
    level: 'community-health-centre',
    servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
    createdAt: CREATED_AT,
  }));
  const teams: Team[] = institutions.flatMap((institution) =>
    Array.from({ length: teamsPerInstitution }, (_, t): Team => {
      const teamId = `${institution.institutionId}-team-${String(t + 1).padStart(3, '0')}`;
      return {
        teamId,
        institutionId: institution.institutionId,
        districtId,
        name: `基准团队 ${teamId}`,
        members: [
          { memberId: `${teamId}-gp`, name: '王医生', role: 'general-practitioner', joinedOn: '2024-01-01' },
          { memberId: `${teamId}-nurse`, name: '李护士', role: 'community-nurse', joinedOn: '2024-01-01' },
        ],
        capacity: DEFAULT_DISTRICT_SETTINGS.teamCapacity,
        activeContracts: 0,
        createdAt: CREATED_AT,
      };
    }),
  );
  return { district, institutions, teams };
}

export interface ContractTerms {
  startDate: string;
  endDate: string;
  insured: boolean;
  keyPopulations: KeyPopulation[];
  /** term ends that renewals extended */
  renewedEnds?: string[];
}

export function benchContract(team: Team, sequence: number, residentRef: string, terms: ContractTerms): Contract {
  return {
    contractId: `contract-${team.teamId}-${String(sequence).padStart(5, '0')}`,
    teamId: team.teamId,
    institutionId: team.institutionId,
    districtId: team.districtId,
    residentRef,
    identityMasked: '990108********001X',
    insured: terms.insured,
    keyPopulations: terms.keyPopulations,
    servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
    startDate: terms.startDate,
    endDate: terms.endDate,
    status: 'active',
    renewals: terms.renewedEnds?.length ?? 0,
    ...(terms.renewedEnds ? { renewedEnds: terms.renewedEnds } : {}),
    signedAt: `${terms.startDate}T09:00:00.000Z`,
  };
}

/**
 * Writes the registry and the contracts (team counters set from the contracts). Without
 * `residentPointers` only the contract items are written, not each resident's CURRENT_CONTRACT
 * pointer: enough for what reads a team's contracts (evaluation), half the items to write.
 */
export async function writeRegistry(
  db: Db,
  registry: BenchRegistry,
  contracts: readonly Contract[],
  options: { residentPointers?: boolean } = {},
): Promise<void> {
  const residentPointers = options.residentPointers ?? true;
  const perTeam = new Map<string, number>();
  for (const c of contracts) perTeam.set(c.teamId, (perTeam.get(c.teamId) ?? 0) + 1);
  await batchPut(
    db,
    [
      districtItem(registry.district),
      ...registry.institutions.map(institutionItem),
      ...registry.teams.map((team) => teamItem({ ...team, activeContracts: perTeam.get(team.teamId) ?? 0 })),
    ],
    16,
  );
  await batchPut(
    db,
    contracts.flatMap((c) => contractImportItems(c).filter((item) => residentPointers || item.entity === 'contract')),
    16,
  );
}
