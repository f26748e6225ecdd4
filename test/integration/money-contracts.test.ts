/**
 * Money rules on contracts and teams (issue 13, rules 2–5) against DynamoDB Local, through the
 * API, reading the table back: the start window and the administrator's correction, one
 * contract per resident per day (future-effective cancellations, racing signings), the district's
 * capacity cap, and fees at signing.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#shared/domain/dates.ts';
import { allContractsOfResident, type Contract, getContract, signContract } from '#shared/data/contracts.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import { keys } from '#shared/data/keys.ts';
import { getDistrict } from '#shared/data/districts.ts';
import { createTeam, getTeam, listTeamsOfDistrict } from '#shared/data/teams.ts';
import { reconcileContracts } from '#shared/services/contract-reconcile.ts';
import { createTestDistrict, type TestDistrict, testIdentityNumber, testIdentityNumbers } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const TODAY = '2026-11-22';
const NOW = new Date(`${TODAY}T08:00:00Z`);
let stack: TestStack;
let district: TestDistrict;
let other: TestDistrict;
let clerk: string;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, 'mr-d', { institutions: 1, teamsPerInstitution: 3, settings: { teamCapacity: 30 } });
  other = await createTestDistrict(stack.db, 'mr-other', { institutions: 1, teamsPerInstitution: 1 });
  clerk = await stack.token('clerk', { districtId: 'mr-d', institutionId: district.institutionIds[0] });
  admin = await stack.token('admin');
});

function sign(teamId: string, identityNumber: string, startDate: string, options: { token?: string; insured?: boolean; extra?: Record<string, unknown> } = {}) {
  return stack.request('POST', '/contracts', {
    token: options.token ?? clerk,
    body: { teamId, identityNumber, insured: options.insured ?? true, startDate, ...options.extra },
  });
}

async function body<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function currentItem(identityNumber: string) {
  const result = await stack.db.doc.send(
    new GetCommand({ TableName: stack.db.tableName, Key: keys.residentCurrentContract(stack.keyer(identityNumber)), ConsistentRead: true }),
  );
  return result.Item;
}

/** Independent of the code under test: no two of the resident's stored terms share a day. */
function overlapping(contracts: Contract[]): boolean {
  const sorted = [...contracts].sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
  return sorted.some((c, i) => i > 0 && c.startDate <= sorted[i - 1]!.endDate);
}

describe('rule 2: contract dates', () => {
  it('accepts a start from today − grace (7 days) to today + 90 days and refuses one outside, naming the window', async () => {
    const team = district.teams[0]!.teamId;
    const ids = testIdentityNumbers(4, 2000);
    expect((await sign(team, ids[0]!, addDays(TODAY, -7))).status).toBe(201);
    expect((await sign(team, ids[1]!, addDays(TODAY, 90))).status).toBe(201);
    const early = await sign(team, ids[2]!, addDays(TODAY, -8));
    expect(early.status).toBe(422);
    expect(await body(early)).toMatchObject({ code: 'contract-start-outside-window', earliest: '2026-11-15', latest: '2027-02-20' });
    const late = await sign(team, ids[3]!, addDays(TODAY, 91));
    expect(late.status).toBe(422);
    expect((await body(late)).code).toBe('contract-start-outside-window');
  });

  it('takes the grace from the district setting (at most 31 days), changed only by an administrator', async () => {
    const refused = await stack.request('PATCH', '/districts/mr-d/settings', { token: clerk, body: { contractStartGraceDays: 31 } });
    expect(refused.status).toBe(403);
    expect((await stack.request('PATCH', '/districts/mr-d/settings', { token: admin, body: { contractStartGraceDays: 32 } })).status).toBe(400);
    const changed = await stack.request('PATCH', '/districts/mr-d/settings', { token: admin, body: { contractStartGraceDays: 31 } });
    expect(changed.status).toBe(200);
    expect((await sign(district.teams[0]!.teamId, testIdentityNumber('1960-01-01', 901), addDays(TODAY, -31))).status).toBe(201);
    expect((await sign(district.teams[0]!.teamId, testIdentityNumber('1960-01-01', 902), addDays(TODAY, -32))).status).toBe(422);
    expect((await stack.request('PATCH', '/districts/mr-d/settings', { token: admin, body: { contractStartGraceDays: 7 } })).status).toBe(200);
  });

  it('lets only an administrator enter a historical contract, keeps the reason, and never stores it active once ended', async () => {
    const identityNumber = testIdentityNumber('1955-05-05', 903);
    const correction = { correction: { reason: '纸质合同补录' } };
    const byClerk = await sign(district.teams[1]!.teamId, identityNumber, '2020-01-01', { extra: correction });
    expect(byClerk.status).toBe(403);
    expect((await body(byClerk)).code).toBe('correction-admin-only');

    const entered = await sign(district.teams[1]!.teamId, identityNumber, '2020-01-01', { token: admin, extra: correction });
    expect(entered.status).toBe(201);
    const { contractId } = await body<{ contractId: string }>(entered);
    const stored = (await getContract(stack.db, contractId))!;
    expect(stored).toMatchObject({
      status: 'ended',
      startDate: '2020-01-01',
      endDate: '2020-12-31',
      correction: { reason: '纸质合同补录', by: expect.any(String) },
    });
    // the resident's latest term: their current-contract item names it, so no signing can overlap it, and it holds no place
    expect(await currentItem(identityNumber)).toMatchObject({ contractId, endDate: '2020-12-31' });

    // the same resident's later history must not overlap it
    const overlapping = await sign(district.teams[1]!.teamId, identityNumber, '2020-06-01', { token: admin, extra: correction });
    expect(overlapping.status).toBe(409);
    expect((await body(overlapping)).code).toBe('resident-contract-overlaps');
    // and a current contract is still possible
    expect((await sign(district.teams[1]!.teamId, identityNumber, TODAY)).status).toBe(201);
  });

  it('answers dates outside 1900–2100 with 400, never 500', async () => {
    for (const date of ['1899-12-31', '2101-01-01', '0001-01-01', '9999-12-31']) {
      const response = await sign(district.teams[0]!.teamId, testIdentityNumber('1970-01-01', 904), date, {
        token: admin,
        extra: { correction: { reason: 'x' } },
      });
      expect(response.status).toBe(400);
    }
  });
});

describe('rule 3: one contract per resident per day, everywhere', () => {
  it('keeps a contract cancelled with a future effective date active until then; another team can start the day after', async () => {
    const [teamA, teamB] = [district.teams[0]!.teamId, district.teams[2]!.teamId];
    const identityNumber = testIdentityNumber('1981-01-01', 905);
    const first = await body<{ contractId: string }>(await sign(teamA, identityNumber, TODAY));
    const [aBefore, bBefore] = [(await getTeam(stack.db, teamA, true))!.activeContracts, (await getTeam(stack.db, teamB, true))!.activeContracts];

    const effective = addDays(TODAY, 20);
    const cancelled = await stack.request('POST', `/contracts/${first.contractId}/cancel`, {
      token: clerk,
      body: { noticeDate: TODAY, reason: '迁出', effectiveDate: effective },
    });
    expect(cancelled.status).toBe(200);
    expect(await body(cancelled)).toMatchObject({ status: 'active', endDate: effective, cancellation: { effectiveDate: effective } });
    expect((await getTeam(stack.db, teamA, true))!.activeContracts).toBe(aBefore);

    const tooEarly = await sign(teamB, identityNumber, effective);
    expect(tooEarly.status).toBe(409);
    expect(await body(tooEarly)).toMatchObject({ code: 'resident-has-active-contract-until', until: effective, availableFrom: addDays(effective, 1) });
    // in another district too
    const elsewhere = await sign(other.teams[0]!.teamId, identityNumber, addDays(TODAY, 5), { token: admin });
    expect(elsewhere.status).toBe(409);
    expect((await body(elsewhere)).code).toBe('resident-has-active-contract-until');

    expect((await sign(teamB, identityNumber, addDays(effective, 1))).status).toBe(201);
    // the first contract stays active (and counted) until the daily step ends it after its end date (money-contract-ends.test.ts)
    expect((await getTeam(stack.db, teamA, true))!.activeContracts).toBe(aBefore);
    expect((await getTeam(stack.db, teamB, true))!.activeContracts).toBe(bBefore + 1);
    expect((await getContract(stack.db, first.contractId))!.status).toBe('active');
    expect(overlapping(await allContractsOfResident(stack.db, stack.keyer(identityNumber)))).toBe(false);
  });

  it('refuses to renew a contract whose cancellation is pending', async () => {
    const identityNumber = testIdentityNumber('1950-02-02', 906);
    const due = await body<{ contractId: string }>(
      await sign(district.teams[0]!.teamId, identityNumber, '2025-12-10', { token: admin, extra: { correction: { reason: 'x' } } }),
    );
    expect(
      (
        await stack.request('POST', `/contracts/${due.contractId}/cancel`, {
          token: admin,
          body: { noticeDate: TODAY, reason: 'x', effectiveDate: '2026-12-01' },
        })
      ).status,
    ).toBe(200);
    const renewal = await stack.request('POST', `/contracts/${due.contractId}/renew`, { token: admin });
    expect(renewal.status).toBe(422);
    expect((await body(renewal)).code).toBe('contract-cancelled');
  });

  it('cancellations racing signings here and in another district: never two contracts on one day, counters equal their contracts', async () => {
    const [teamA, teamB, teamC] = district.teams.map((t) => t.teamId) as [string, string, string];
    const residents = testIdentityNumbers(8, 3000);
    const firsts = await Promise.all(residents.map(async (id) => body<{ contractId: string; endDate: string }>(await sign(teamA, id, TODAY))));
    const effective = addDays(TODAY, 10);
    await Promise.all(
      residents.flatMap((id, i) => [
        stack.request('POST', `/contracts/${firsts[i]!.contractId}/cancel`, {
          token: clerk,
          body: { noticeDate: TODAY, reason: '迁出', effectiveDate: i % 2 ? effective : TODAY },
        }),
        sign(teamB, id, addDays(TODAY, 11)),
        sign(teamC, id, addDays(TODAY, 1)),
        sign(other.teams[0]!.teamId, id, addDays(TODAY, 30), { token: admin }),
      ]),
    );
    for (const id of residents) {
      const history = await allContractsOfResident(stack.db, stack.keyer(id));
      expect(overlapping(history)).toBe(false);
    }
    const report = await reconcileContracts(stack.db, 'mr-d', TODAY);
    expect(report.counterDrift).toEqual([]);
    expect(report.overlaps).toEqual([]);
    expect((await reconcileContracts(stack.db, 'mr-other', TODAY)).counterDrift).toEqual([]);
  });
});

describe('npm run reconcile: contracts against team counters', () => {
  it('reports a counter that drifted from the active contracts, and fixes it on request', async () => {
    const team = district.teams[1]!.teamId;
    const before = (await getTeam(stack.db, team, true))!.activeContracts;
    await stack.db.doc.send(
      new UpdateCommand({
        TableName: stack.db.tableName,
        Key: keys.team(team),
        UpdateExpression: 'SET activeContracts = :n',
        ExpressionAttributeValues: { ':n': before + 5 },
      }),
    );
    const report = await reconcileContracts(stack.db, 'mr-d', TODAY);
    expect(report.counterDrift).toEqual([{ teamId: team, stored: before + 5, active: before }]);
    await reconcileContracts(stack.db, 'mr-d', TODAY, true);
    expect((await getTeam(stack.db, team, true))!.activeContracts).toBe(before);
    expect((await reconcileContracts(stack.db, 'mr-d', TODAY)).counterDrift).toEqual([]);
  });
});

describe('rule 4: capacity never above the district cap', () => {
  it('refuses a team above the cap; only an administrator changes the cap, never below a team', async () => {
    const institutionId = district.institutionIds[0]!;
    const team = (capacity: number) => ({
      name: '新团队',
      members: [
        { name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
        { name: '李护士', role: 'community-nurse', joinedOn: '2025-01-01' },
      ],
      capacity,
    });
    const above = await stack.request('POST', `/institutions/${institutionId}/teams`, { token: clerk, body: team(10_000) });
    expect(above.status).toBe(422);
    expect(await body(above)).toMatchObject({ code: 'capacity-above-district-cap', cap: 30 });
    expect((await stack.request('POST', `/institutions/${institutionId}/teams`, { token: clerk, body: team(30) })).status).toBe(201);

    expect((await stack.request('PATCH', '/districts/mr-d/settings', { token: clerk, body: { teamCapacity: 10_000 } })).status).toBe(403);
    const lower = await stack.request('PATCH', '/districts/mr-d/settings', { token: admin, body: { teamCapacity: 20 } });
    expect(lower.status).toBe(422);
    expect((await body(lower)).code).toBe('cap-below-team-capacity');
    expect((await stack.request('PATCH', '/districts/mr-d/settings', { token: admin, body: { teamCapacity: 40 } })).status).toBe(200);
    expect((await stack.request('POST', `/institutions/${institutionId}/teams`, { token: clerk, body: team(40) })).status).toBe(201);
    expect((await stack.request('PATCH', '/districts/mr-d/settings', { token: admin, body: { teamCapacity: 30 } })).status).toBe(422);
  });

  it('a cap lowered while teams are created: no team ends above the cap that stands', async () => {
    const raced = await createTestDistrict(stack.db, 'mr-race', { institutions: 1, teamsPerInstitution: 0, settings: { teamCapacity: 50 } });
    const institutionId = raced.institutionIds[0]!;
    const raceClerk = await stack.token('clerk', { districtId: 'mr-race', institutionId });
    const members = [
      { name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
      { name: '李护士', role: 'community-nurse', joinedOn: '2025-01-01' },
    ];
    const results = await Promise.all([
      ...[50, 45, 40, 35].map((capacity) =>
        stack.request('POST', `/institutions/${institutionId}/teams`, { token: raceClerk, body: { name: `团队${capacity}`, members, capacity } }),
      ),
      stack.request('PATCH', '/districts/mr-race/settings', { token: admin, body: { teamCapacity: 30 } }),
      stack.request('PATCH', '/districts/mr-race/settings', { token: admin, body: { teamCapacity: 42 } }),
    ]);
    for (const r of results) expect([200, 201, 409, 422]).toContain(r.status);
    const district = (await getDistrict(stack.db, 'mr-race', true))!;
    const teams = (await listTeamsOfDistrict(stack.db, 'mr-race', 100)).items;
    for (const team of teams) expect(team.capacity).toBeLessThanOrEqual(district.settings.teamCapacity);
    expect(district.maxTeamCapacity ?? 0).toBe(Math.max(0, ...teams.map((t) => t.capacity)));
  });

  it('checks the cap inside the write: a team written straight through the repository above the cap is refused', async () => {
    const write = createTeam(stack.db, {
      teamId: 'mr-d-too-big',
      institutionId: district.institutionIds[0]!,
      districtId: 'mr-d',
      name: 'x',
      members: [],
      capacity: 100_000,
      activeContracts: 0,
      createdAt: NOW.toISOString(),
    });
    await expect(write).rejects.toMatchObject({ code: 'capacity-above-district-cap' });
    expect(await getTeam(stack.db, 'mr-d-too-big', true)).toBeNull();
  });
});

describe('rule 5: fees at signing', () => {
  let gov: TestDistrict;
  let socialTeam: string;
  let govClerk: string;
  let socialClerk: string;

  beforeAll(async () => {
    gov = await createTestDistrict(stack.db, 'fee-d', { institutions: 1, teamsPerInstitution: 1 });
    await createInstitution(stack.db, {
      institutionId: 'fee-d-social',
      districtId: 'fee-d',
      name: '康安社区卫生服务中心',
      ownership: 'social',
      level: 'community-health-centre',
      servicePackages: [
        { code: 'basic', name: '基础包', kind: 'basic', feeFen: 20_000 },
        { code: 'elderly', name: '老年健康包', kind: 'personalised', feeFen: 8_000 },
      ],
      createdAt: NOW.toISOString(),
    });
    const govInstitution = gov.institutionIds[0]!;
    // the government-run centre publishes a limited-price personalised package besides the free basic one
    await createInstitution(stack.db, {
      institutionId: `${govInstitution}-b`,
      districtId: 'fee-d',
      name: '政府办社区卫生服务中心',
      ownership: 'government',
      level: 'community-health-centre',
      servicePackages: [
        { code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 },
        { code: 'chronic', name: '慢病管理包', kind: 'personalised', feeFen: 10_000 },
      ],
      createdAt: NOW.toISOString(),
    });
    const members = [
      { memberId: 'fee-gp', name: '王医生', role: 'general-practitioner' as const, joinedOn: '2025-01-01' },
      { memberId: 'fee-nurse', name: '李护士', role: 'community-nurse' as const, joinedOn: '2025-01-01' },
    ];
    await createTeam(stack.db, {
      teamId: 'fee-gov-team',
      institutionId: `${govInstitution}-b`,
      districtId: 'fee-d',
      name: 'g',
      members,
      capacity: 100,
      activeContracts: 0,
      createdAt: '',
    });
    await createTeam(stack.db, {
      teamId: 'fee-social-team',
      institutionId: 'fee-d-social',
      districtId: 'fee-d',
      name: 's',
      members,
      capacity: 100,
      activeContracts: 0,
      createdAt: '',
    });
    socialTeam = 'fee-social-team';
    govClerk = await stack.token('clerk', { districtId: 'fee-d', institutionId: `${govInstitution}-b` });
    socialClerk = await stack.token('clerk', { districtId: 'fee-d', institutionId: 'fee-d-social' });
  });

  const pkg = (kind: string, code: string, priceFen: number) => ({ servicePackage: { kind, code, priceFen } });

  it('a government-run centre charges an insured resident no contract fee, and personalised services at most their published price', async () => {
    const ids = testIdentityNumbers(6, 4000);
    const basic150 = await sign('fee-gov-team', ids[0]!, TODAY, { token: govClerk, extra: pkg('basic', 'basic', 15_000) });
    expect(basic150.status).toBe(422);
    expect(await body(basic150)).toMatchObject({ code: 'fee-above-allowed', maxFen: 0 });
    expect((await sign('fee-gov-team', ids[0]!, TODAY, { token: govClerk, extra: pkg('basic', 'basic', 0) })).status).toBe(201);
    const over = await sign('fee-gov-team', ids[1]!, TODAY, { token: govClerk, extra: pkg('personalised', 'chronic', 10_001) });
    expect(await body(over)).toMatchObject({ code: 'fee-above-allowed', maxFen: 10_000 });
    expect((await sign('fee-gov-team', ids[1]!, TODAY, { token: govClerk, extra: pkg('personalised', 'chronic', 10_000) })).status).toBe(201);
  });

  it('a social-run centre charges an insured resident at most the published fee minus the subsidy, never below 0', async () => {
    const ids = testIdentityNumbers(4, 4100);
    const over = await sign(socialTeam, ids[0]!, TODAY, { token: socialClerk, extra: pkg('basic', 'basic', 8_001) });
    expect(await body(over)).toMatchObject({ code: 'fee-above-allowed', maxFen: 8_000, publishedFeeFen: 20_000 });
    expect((await sign(socialTeam, ids[0]!, TODAY, { token: socialClerk, extra: pkg('basic', 'basic', 8_000) })).status).toBe(201);
    // 80 yuan published − 120 yuan subsidy: nothing may be charged
    expect(await body(await sign(socialTeam, ids[1]!, TODAY, { token: socialClerk, extra: pkg('personalised', 'elderly', 1) }))).toMatchObject({ maxFen: 0 });
    // an uninsured resident pays at most the published fee
    expect((await sign(socialTeam, ids[2]!, TODAY, { token: socialClerk, insured: false, extra: pkg('basic', 'basic', 20_000) })).status).toBe(201);
    expect((await sign(socialTeam, ids[3]!, TODAY, { token: socialClerk, insured: false, extra: pkg('basic', 'basic', 20_001) })).status).toBe(422);
  });

  it('refuses a package the institution does not publish, or under another kind', async () => {
    const ids = testIdentityNumbers(2, 4200);
    const unknown = await sign(socialTeam, ids[0]!, TODAY, { token: socialClerk, extra: pkg('personalised', 'vip', 0) });
    expect(unknown.status).toBe(422);
    expect(await body(unknown)).toMatchObject({ code: 'package-not-published' });
    expect((await body(await sign(socialTeam, ids[1]!, TODAY, { token: socialClerk, extra: pkg('customised', 'elderly', 0) }))).code).toBe(
      'package-not-published',
    );
  });

  it('refuses inside the write when the published packages changed after the fee was checked', async () => {
    const identityNumber = testIdentityNumber('1977-07-07', 4300);
    const stale = [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 99_999 }];
    const write = signContract(
      stack.db,
      {
        contractId: 'contract-stale-fee',
        teamId: socialTeam,
        institutionId: 'fee-d-social',
        districtId: 'fee-d',
        residentRef: stack.keyer(identityNumber),
        identityMasked: 'x',
        insured: true,
        keyPopulations: [],
        servicePackage: { kind: 'basic', code: 'basic', priceFen: 80_000 },
        startDate: TODAY,
        endDate: addDays(TODAY, 364),
        status: 'active',
        renewals: 0,
        signedAt: NOW.toISOString(),
      },
      stale,
    );
    await expect(write).rejects.toMatchObject({ code: 'packages-changed' });
    expect(await getContract(stack.db, 'contract-stale-fee')).toBeNull();
    expect(await currentItem(identityNumber)).toBeUndefined();
  });
});
