/** Contract rules against DynamoDB Local, including the two invariants that must hold under concurrency. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { allContractsOfTeam } from '#shared/data/contracts.ts';
import { checkCharacter } from '#shared/domain/identity-number.ts';
import { keys } from '#shared/data/keys.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import { createTeam, getTeam } from '#shared/data/teams.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, testIdentityNumber, testIdentityNumbers, type TestDistrict } from '../support/fixtures.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
let stack: TestStack;
let district: TestDistrict;
let clerk: string;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, 'con-d', { institutions: 1, teamsPerInstitution: 3 });
  clerk = await stack.token('clerk', { districtId: 'con-d', institutionId: district.institutionIds[0] });
  admin = await stack.token('admin');
});

async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function sign(teamId: string, identityNumber: string, startDate = '2026-11-20', token = clerk, extra: Record<string, unknown> = {}) {
  return stack.request('POST', '/contracts', { token, body: { teamId, identityNumber, insured: true, keyPopulations: ['hypertension'], startDate, ...extra } });
}

const HISTORY = { correction: { reason: 'paper contract entered late' } };

describe('signing, renewing and cancelling', () => {
  it('signs a one-year contract, stores only a keyed hash and shows a masked number', async () => {
    const identityNumber = testIdentityNumber('1950-02-03', 11);
    const response = await sign(district.teams[0]!.teamId, identityNumber);
    expect(response.status).toBe(201);
    const contract = (await response.json()) as Record<string, unknown>;
    expect(contract).toMatchObject({ startDate: '2026-11-20', endDate: '2027-11-19', keyPopulations: ['elderly-65', 'hypertension'] });
    expect(contract.identityMasked).toBe(`990***********${identityNumber.slice(14)}`);
    expect(JSON.stringify(contract)).not.toContain(identityNumber);
    expect(contract).not.toHaveProperty('residentRef');
    const stored = await stack.db.doc.send(new GetCommand({ TableName: stack.db.tableName, Key: keys.contract(contract.contractId as string) }));
    expect(JSON.stringify(stored.Item)).not.toContain(identityNumber);
    expect(stored.Item?.residentRef).toBe(stack.keyer(identityNumber));
  });

  it('refuses a second team while the first contract is in force, and allows it after a written cancellation', async () => {
    const identityNumber = testIdentityNumber('1988-08-08', 22);
    const first = (await (await sign(district.teams[0]!.teamId, identityNumber)).json()) as { contractId: string };
    const refused = await sign(district.teams[1]!.teamId, identityNumber);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'resident-has-active-contract-until', until: '2027-11-19', availableFrom: '2027-11-20' });

    const before = (await getTeam(stack.db, district.teams[0]!.teamId))!.activeContracts;
    const cancelled = await stack.request('POST', `/contracts/${first.contractId}/cancel`, {
      token: clerk,
      body: { noticeDate: '2026-11-01', reason: '搬家', effectiveDate: '2026-11-20' },
    });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', endDate: '2026-11-20', cancellation: { noticeDate: '2026-11-01' } });
    expect((await getTeam(stack.db, district.teams[0]!.teamId))!.activeContracts).toBe(before - 1);
    expect(
      (await stack.request('POST', `/contracts/${first.contractId}/cancel`, { token: clerk, body: { noticeDate: '2026-11-01', reason: 'x' } })).status,
    ).toBe(409);

    expect((await sign(district.teams[1]!.teamId, identityNumber, '2026-11-21')).status).toBe(201);
  });

  it("names the resident's other contract in a 409 only to a caller who may already see it", async () => {
    const other = await createTestDistrict(stack.db, 'con-other', { institutions: 2, teamsPerInstitution: 1 });
    const identityNumber = testIdentityNumber('1977-07-07', 44);
    const first = (await (await sign(district.teams[0]!.teamId, identityNumber)).json()) as { contractId: string; teamId: string };
    const named = { currentTeamId: first.teamId, currentContractId: first.contractId };
    const secrets = [first.contractId, first.teamId, district.institutionIds[0]!];

    const foreignClerks = [
      await stack.token('clerk', { districtId: 'con-other', institutionId: other.institutionIds[0] }),
      await stack.token('clerk', { districtId: 'con-other', institutionId: other.institutionIds[1] }),
    ];
    for (const [i, token] of foreignClerks.entries()) {
      const refused = await sign(other.teams[i]!.teamId, identityNumber, '2026-11-20', token);
      expect(refused.status).toBe(409);
      const text = await refused.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'resident-has-active-contract-until' });
      for (const secret of secrets) expect(text).not.toContain(secret);
    }

    // a clerk of the same district, another institution: told no more than a foreign one
    await createInstitution(stack.db, {
      institutionId: 'con-d-inst-9',
      districtId: 'con-d',
      name: 'n',
      ownership: 'government',
      level: 'community-health-centre',
      servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
      createdAt: '',
    });
    const neighbourTeam = await createTeam(stack.db, {
      ...district.teams[0]!,
      teamId: 'con-d-inst-9-team-1',
      institutionId: 'con-d-inst-9',
      activeContracts: 0,
    });
    const neighbourClerk = await stack.token('clerk', { districtId: 'con-d', institutionId: 'con-d-inst-9' });
    const neighbour = await sign(neighbourTeam.teamId, identityNumber, '2026-11-20', neighbourClerk);
    expect(neighbour.status).toBe(409);
    const neighbourText = await neighbour.text();
    for (const secret of secrets) expect(neighbourText).not.toContain(secret);

    for (const token of [clerk, admin, await stack.token('resident', { identityNumber })]) {
      const refused = await sign(district.teams[1]!.teamId, identityNumber, '2026-11-20', token);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ code: 'resident-has-active-contract-until', ...named });
    }
  });

  it('renews inside the renewal window only', async () => {
    const early = (await (await sign(district.teams[2]!.teamId, testIdentityNumber('1990-01-01', 33))).json()) as { contractId: string };
    const tooEarly = await stack.request('POST', `/contracts/${early.contractId}/renew`, { token: clerk });
    expect(tooEarly.status).toBe(422);

    const due = (await (await sign(district.teams[2]!.teamId, testIdentityNumber('1990-01-01', 34), '2025-12-10', admin, HISTORY)).json()) as {
      contractId: string;
      endDate: string;
    };
    expect(due.endDate).toBe('2026-12-09');
    const renewed = await stack.request('POST', `/contracts/${due.contractId}/renew`, { token: clerk });
    expect(renewed.status).toBe(200);
    expect(await renewed.json()).toMatchObject({ endDate: '2027-12-09', renewals: 1 });
  });

  it('lets a resident see their own contract only', async () => {
    const identityNumber = testIdentityNumber('1970-10-10', 44);
    await sign(district.teams[2]!.teamId, identityNumber);
    const resident = await stack.token('resident', { identityNumber });
    const mine = await stack.request('GET', '/me/contract', { token: resident });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ contract: { teamId: district.teams[2]!.teamId }, team: { name: district.teams[2]!.name } });
    const stranger = await stack.token('resident', { identityNumber: testIdentityNumber('1970-10-10', 45) });
    expect((await stack.request('GET', '/me/contract', { token: stranger })).status).toBe(404);
  });
});

describe('identity numbers outside a demo', () => {
  it("refuses a number whose first two digits are no GB/T 2260 province (the demo's 99…), naming the code, not the number", async () => {
    const real = await createTestStack({ now: () => NOW, demo: false });
    const home = await createTestDistrict(real.db, 'con-real', { institutions: 1, teamsPerInstitution: 1 });
    const token = await real.token('clerk', { districtId: 'con-real', institutionId: home.institutionIds[0] });
    const body = (identityNumber: string) => ({ teamId: home.teams[0]!.teamId, identityNumber, insured: true, startDate: '2026-11-20' });
    const demoNumber = testIdentityNumber('1970-03-03', 7);
    const refused = await real.request('POST', '/contracts', { token, body: body(demoNumber) });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'identity-number-province', errors: [{ field: 'body.identityNumber' }] });
    expect(text).not.toContain(demoNumber);
    const first17 = `11010819700303${demoNumber.slice(14, 17)}`;
    expect((await real.request('POST', '/contracts', { token, body: body(first17 + checkCharacter(first17)) })).status).toBe(201);
  });
});

describe('invariants under concurrency', () => {
  it('two simultaneous signings for a team at capacity − 1 leave it exactly full', async () => {
    const small = await createTestDistrict(stack.db, 'cap-d', { teamsPerInstitution: 1, capacity: 20 });
    const team = small.teams[0]!;
    const smallAdmin = admin;
    const residents = testIdentityNumbers(21, 1000);
    for (const id of residents.slice(0, 19)) expect((await sign(team.teamId, id, '2026-11-20', smallAdmin)).status).toBe(201);

    const [a, b] = await Promise.all([
      sign(team.teamId, residents[19]!, '2026-11-20', smallAdmin),
      sign(team.teamId, residents[20]!, '2026-11-20', smallAdmin),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = (await (a.status === 409 ? a : b).json()) as { code: string };
    expect(loser.code).toBe('team-full');

    expect((await getTeam(stack.db, team.teamId, true))!.activeContracts).toBe(20);
    expect(await toArray(allContractsOfTeam(stack.db, team))).toHaveLength(20);
  });

  it('one resident signing with two teams at once ends with one contract', async () => {
    const two = await createTestDistrict(stack.db, 'race-d', { teamsPerInstitution: 2 });
    const identityNumber = testIdentityNumber('1966-06-06', 66);
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => sign(two.teams[i % 2]!.teamId, identityNumber, '2026-11-20', admin)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(5);
    const contracts = [...(await toArray(allContractsOfTeam(stack.db, two.teams[0]!))), ...(await toArray(allContractsOfTeam(stack.db, two.teams[1]!)))];
    expect(contracts).toHaveLength(1);
    const counts = await Promise.all(two.teams.map(async (t) => (await getTeam(stack.db, t.teamId, true))!.activeContracts));
    expect(counts.reduce((a, b) => a + b)).toBe(1);
  });
});
