/**
 * The demo district, modelled on Haidian: 51 community health service centres (a handful
 * social-run), 512 "2 + X" teams with named members, and contracted residents
 * (SEED_RESIDENTS_PER_TEAM, default 8, scales them up). Written with batch writes straight
 * from the repositories' item builders, so the key design stays in one place.
 */
import { addDays, fromDayNumber, toDayNumber } from '#shared/domain/dates.ts';
import { type KeyPopulation, maxChargeFen, renewedEnd, termEnd, withDerivedKeyPopulations } from '#shared/domain/contracts.ts';
import { maskIdentityNumber } from '#shared/domain/identity-number.ts';
import { MEMBER_ROLES, type MemberRole } from '#shared/domain/teams.ts';
import { batchPut } from '#shared/data/batch.ts';
import { contractImportItems, type Contract } from '#shared/data/contracts.ts';
import type { Db } from '#shared/data/db.ts';
import { DEFAULT_DISTRICT_SETTINGS, type District, districtItem } from '#shared/data/districts.ts';
import { type Institution, institutionItem } from '#shared/data/institutions.ts';
import { type Team, teamItem } from '#shared/data/teams.ts';
import type { ResidentKeyer } from '#shared/security/resident-key.ts';
import { fictionalIdentityNumber } from './identity-numbers.ts';
import { personName, STREETS } from './names.ts';
import { seededRandom } from './random.ts';

export const DEMO_DISTRICT_ID = 'haidian';
export const DEMO_TEAM_COUNT = 512;
export const DEMO_SOCIAL_RUN = 5;
export const DEFAULT_RESIDENTS_PER_TEAM = 12;

export interface DemoDistrict {
  district: District;
  institutions: Institution[];
  teams: Team[];
  contracts: Contract[];
  /** identity numbers of the first few residents, for demo sign-in (fictional) */
  sampleResidents: { identityNumber: string; teamId: string }[];
}

const OPTIONAL_ROLES = MEMBER_ROLES.slice(2) as MemberRole[];
const DECLARED_TAGS: [KeyPopulation, number][] = [
  ['hypertension', 0.22],
  ['diabetes', 0.1],
  ['pregnant', 0.02],
  ['severe-mental-disorder', 0.01],
  ['tuberculosis', 0.005],
  ['disability', 0.03],
  ['special-family-planning', 0.01],
  ['low-income', 0.04],
];

export async function seedDemoDistrict(
  db: Db,
  keyer: ResidentKeyer,
  options: { residentsPerTeam?: number; today: string; log?: (line: string) => void },
): Promise<DemoDistrict> {
  const random = seededRandom(20170801);
  const residentsPerTeam = options.residentsPerTeam ?? DEFAULT_RESIDENTS_PER_TEAM;
  const createdAt = `${options.today}T00:00:00.000Z`;
  const district: District = {
    districtId: DEMO_DISTRICT_ID,
    name: '海淀区',
    province: '北京市',
    settings: { ...DEFAULT_DISTRICT_SETTINGS },
    createdAt,
  };

  const institutions: Institution[] = STREETS.map((street, i) => {
    const social = i >= STREETS.length - DEMO_SOCIAL_RUN;
    return {
      institutionId: `inst-${String(i + 1).padStart(3, '0')}`,
      districtId: DEMO_DISTRICT_ID,
      name: social ? `${street}康安社区卫生服务中心` : `${street}社区卫生服务中心`,
      ownership: social ? 'social' : 'government',
      level: 'community-health-centre',
      servicePackages: [
        { code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 },
        { code: 'chronic', name: '慢病管理包', kind: 'personalised', feeFen: social ? 30_000 : 10_000 },
        { code: 'elderly', name: '老年健康包', kind: 'personalised', feeFen: social ? 20_000 : 8_000 },
        { code: 'maternal-child', name: '母婴健康包', kind: 'personalised', feeFen: social ? 25_000 : 9_000 },
      ],
      createdAt,
    };
  });

  const teams: Team[] = [];
  for (let t = 0; t < DEMO_TEAM_COUNT; t++) {
    const institution = institutions[t % institutions.length]!;
    const gp = personName(random);
    const members = [
      { role: 'general-practitioner' as MemberRole, name: gp },
      { role: 'community-nurse' as MemberRole, name: personName(random) },
      ...Array.from({ length: random.int(0, 3) }, () => ({ role: random.pick(OPTIONAL_ROLES), name: personName(random) })),
    ].map((m, i) => ({ ...m, memberId: `m-${String(t + 1).padStart(4, '0')}-${i + 1}`, joinedOn: '2024-01-01' }));
    teams.push({
      teamId: `team-${String(t + 1).padStart(4, '0')}`,
      institutionId: institution.institutionId,
      districtId: DEMO_DISTRICT_ID,
      name: `${gp}家庭医生团队`,
      members,
      capacity: district.settings.teamCapacity,
      activeContracts: residentsPerTeam,
      createdAt,
    });
  }

  const institutionById = new Map(institutions.map((i) => [i.institutionId, i]));
  const institutionOf = (team: Team) => institutionById.get(team.institutionId)!;
  const contractItems: Record<string, unknown>[] = [];
  const contracts: Contract[] = [];
  const sampleResidents: DemoDistrict['sampleResidents'] = [];
  const used = new Set<string>();
  const firstStart = toDayNumber(addDays(options.today, -480));
  const lastStart = toDayNumber(addDays(options.today, -150));
  let sequence = 0;
  for (const team of teams) {
    for (let r = 0; r < residentsPerTeam; r++) {
      let identityNumber: string;
      let birthDate: string;
      do {
        birthDate = fromDayNumber(toDayNumber('1936-01-01') + random.int(0, 32_000));
        identityNumber = fictionalIdentityNumber(birthDate, sequence++);
      } while (used.has(identityNumber));
      used.add(identityNumber);
      const startDate = fromDayNumber(random.int(firstStart, lastStart));
      const declared = DECLARED_TAGS.filter(([, p]) => random.chance(p)).map(([tag]) => tag);
      const keyPopulations = withDerivedKeyPopulations(declared, birthDate, startDate);
      const paid = keyPopulations.length > 0 && random.chance(0.3);
      const firstEnd = termEnd(startDate, district.settings.contractTermMonths);
      const due = firstEnd < options.today;
      const renewed = due && random.chance(0.88);
      const insured = random.chance(0.88);
      const endDate = renewed ? renewedEnd(firstEnd, district.settings.contractTermMonths) : firstEnd;
      // the package the institution publishes, charged at most what the fee rules allow (docs/money-rules.md)
      const pkg = institutionOf(team).servicePackages.find((p) => p.code === (paid ? 'chronic' : 'basic'))!;
      const priceFen = maxChargeFen({
        ownership: institutionOf(team).ownership,
        kind: pkg.kind,
        publishedFeeFen: pkg.feeFen,
        insured,
        subsidyPerYearFen: district.settings.subsidyPerResidentYearFen,
      });
      const contract: Contract = {
        contractId: `contract-${team.teamId.slice(5)}-${String(r + 1).padStart(5, '0')}`,
        teamId: team.teamId,
        institutionId: team.institutionId,
        districtId: DEMO_DISTRICT_ID,
        residentRef: keyer(identityNumber),
        identityMasked: maskIdentityNumber(identityNumber),
        insured,
        keyPopulations,
        servicePackage: { kind: pkg.kind, code: pkg.code, priceFen },
        startDate,
        endDate,
        // active until its end date has passed; a term that ran out unrenewed is stored ended (as the daily step does the day after) and holds no place
        status: endDate < options.today ? 'ended' : 'active',
        ...(endDate < options.today ? { endedAt: `${addDays(endDate, 1)}T18:00:00.000Z` } : {}),
        renewals: renewed ? 1 : 0,
        // renewed two weeks before the first term ran out: the days the renewal added exist from then (docs/money-rules.md §9, rule 7)
        ...(renewed ? { renewedEnds: [firstEnd], renewedAt: [`${addDays(firstEnd, -14)}T10:00:00.000Z`] } : {}),
        signedAt: `${startDate}T09:00:00.000Z`,
      };
      contractItems.push(...contractImportItems(contract));
      contracts.push(contract);
      if (contract.status === 'ended') team.activeContracts--;
      if (sampleResidents.length < 3 && contract.endDate >= options.today && !sampleResidents.some((s) => s.teamId === team.teamId))
        sampleResidents.push({ identityNumber, teamId: team.teamId });
    }
  }

  await batchPut(db, [districtItem(district), ...institutions.map(institutionItem), ...teams.map(teamItem)]);
  options.log?.(`  district, ${institutions.length} institutions and ${teams.length} teams written`);
  await batchPut(db, contractItems, 8);
  options.log?.(`  ${contracts.length} contracts written`);
  return { district, institutions, teams, contracts, sampleResidents };
}
