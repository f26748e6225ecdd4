/**
 * Teams and contracts are in one index less than before (docs/data-model.md, indexes): an
 * institution's teams are a gsi2 sort-key prefix, a team's contracts a gsi3 one. Their lists give
 * exactly their own items in order and page across their own items only; nothing writes the
 * retired gsi1 keys; and items of an older table that still carry them lose them with
 * dropRetiredListKeys (run by `npm run reconcile -- --fix`), once.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { listContractsOfTeam } from '#shared/data/contracts.ts';
import { keys } from '#shared/data/keys.ts';
import { teamIdsOfInstitution } from '#shared/data/metrics.ts';
import { dropRetiredListKeys } from '#shared/data/retired-keys.ts';
import { listTeamsOfInstitution } from '#shared/data/teams.ts';
import { createTestDistrict, testIdentityNumbers, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
let stack: TestStack;
let district: TestDistrict;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, 'lk-d', { institutions: 2, teamsPerInstitution: 3 });
  admin = await stack.token('admin');
});

const raw = async (key: Record<string, string>) => (await stack.db.doc.send(new GetCommand({ TableName: stack.db.tableName, Key: key }))).Item!;

async function sign(teamId: string, identityNumber: string, startDate: string): Promise<string> {
  const response = await stack.request('POST', '/contracts', { token: admin, body: { teamId, identityNumber, insured: true, startDate } });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { contractId: string }).contractId;
}

describe('lists without their own index', () => {
  it("an institution's teams: only its own, in team order, paged within the institution", async () => {
    const [first, second] = district.institutionIds.map((institutionId) => ({ districtId: district.districtId, institutionId }));
    const own = district.teams.filter((t) => t.institutionId === first!.institutionId).map((t) => t.teamId);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTeamsOfInstitution(stack.db, first!, 2, cursor);
      seen.push(...page.items.map((t) => t.teamId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...own].sort());
    const secondOwn = district.teams.filter((t) => t.institutionId === second!.institutionId).map((t) => t.teamId);
    expect([...(await teamIdsOfInstitution(stack.db, second!))].sort()).toEqual(secondOwn.sort());
    // a cursor of the first institution's list is refused for the second's
    const firstPage = await listTeamsOfInstitution(stack.db, first!, 1);
    await expect(listTeamsOfInstitution(stack.db, second!, 1, firstPage.nextCursor!)).rejects.toMatchObject({ code: 'bad-cursor' });
  });

  it("a team's contracts: only its own (not its institution's other teams'), by start date, and no gsi1 keys written", async () => {
    const [a, b] = district.teams;
    const people = testIdentityNumbers(3, 7100);
    const late = await sign(a!.teamId, people[0]!, '2026-11-22');
    const early = await sign(a!.teamId, people[1]!, '2026-11-20');
    const other = await sign(b!.teamId, people[2]!, '2026-11-20');
    expect((await listContractsOfTeam(stack.db, a!, 10)).items.map((c) => c.contractId)).toEqual([early, late]);
    expect((await listContractsOfTeam(stack.db, b!, 10)).items.map((c) => c.contractId)).toEqual([other]);
    const page = await listContractsOfTeam(stack.db, a!, 1);
    expect((await listContractsOfTeam(stack.db, a!, 1, page.nextCursor!)).items.map((c) => c.contractId)).toEqual([late]);
    await expect(listContractsOfTeam(stack.db, b!, 1, page.nextCursor!)).rejects.toMatchObject({ code: 'bad-cursor' });

    expect(await raw(keys.contract(late))).not.toHaveProperty('gsi1pk');
    expect(await raw(keys.team(a!.teamId))).not.toHaveProperty('gsi1pk');
    expect((await raw(keys.team(a!.teamId))).activeContracts).toBe(2);
  });

  it('drops the retired gsi1 keys of items written before, once, and the lists still find them', async () => {
    const team = district.teams[3]!;
    const contractId = await sign(team.teamId, testIdentityNumbers(1, 7200)[0]!, '2026-11-21');
    // as a table written before the change holds them
    const put = (key: Record<string, string>, gsi1pk: string, gsi1sk: string) =>
      stack.db.doc.send(
        new UpdateCommand({
          TableName: stack.db.tableName,
          Key: key,
          UpdateExpression: 'SET gsi1pk = :p, gsi1sk = :s',
          ExpressionAttributeValues: { ':p': gsi1pk, ':s': gsi1sk },
        }),
      );
    await put(keys.team(team.teamId), `INSTITUTION#${team.institutionId}#TEAMS`, `TEAM#${team.teamId}`);
    await put(keys.contract(contractId), `TEAM#${team.teamId}#CONTRACTS`, `START#2026-11-21#${contractId}`);

    expect(await dropRetiredListKeys(stack.db, district.districtId)).toEqual({ teams: 1, contracts: 1 });
    expect(await raw(keys.team(team.teamId))).not.toHaveProperty('gsi1pk');
    expect(await raw(keys.contract(contractId))).not.toHaveProperty('gsi1sk');
    expect(await dropRetiredListKeys(stack.db, district.districtId)).toEqual({ teams: 0, contracts: 0 });
    expect((await listContractsOfTeam(stack.db, team, 10)).items.map((c) => c.contractId)).toEqual([contractId]);
    expect((await listTeamsOfInstitution(stack.db, team, 10)).items.map((t) => t.teamId)).toContain(team.teamId);
    // the other districts' items and other gsi1 lists are untouched: the districts list still has this one
    expect(await raw(keys.district(district.districtId))).toHaveProperty('gsi1pk', 'DISTRICTS');
  });
});
