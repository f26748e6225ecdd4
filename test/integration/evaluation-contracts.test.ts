/**
 * An evaluation batch reads contracts with one gsi3 query per institution: each team gets exactly
 * the contracts, in the order, that its own query (gsi3 narrowed to the team) lists, whatever happened to them since signing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allContractsOfTeam } from '#shared/data/contracts.ts';
import { contractsReader } from '#shared/services/evaluation/facts.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, testIdentityNumbers, type TestDistrict } from '../support/fixtures.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
let stack: TestStack;
let district: TestDistrict;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, 'evc-d', { institutions: 2, teamsPerInstitution: 3 });
  admin = await stack.token('admin');
});

function sign(teamId: string, identityNumber: string, startDate: string) {
  return stack.request('POST', '/contracts', { token: admin, body: { teamId, identityNumber, insured: true, keyPopulations: ['hypertension'], startDate } });
}

async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('contracts of a batch, read per institution', () => {
  it('gives each team what its own query lists, after signings on different days and a cancellation', async () => {
    const residents = testIdentityNumbers(9, 4100);
    // teams 0-1 and 3-4 get contracts (some started on different days), teams 2 and 5 none
    const plan: [number, number, string][] = [
      [0, 0, '2026-11-21'],
      [0, 1, '2026-11-20'],
      [1, 2, '2026-11-20'],
      [3, 3, '2026-11-20'],
      [3, 4, '2026-11-21'],
      [3, 5, '2026-11-20'],
      [4, 6, '2026-11-20'],
    ];
    const signed: { contractId: string }[] = [];
    for (const [team, resident, start] of plan) {
      const response = await sign(district.teams[team]!.teamId, residents[resident]!, start);
      expect(response.status).toBe(201);
      signed.push((await response.json()) as { contractId: string });
    }
    const cancel = await stack.request('POST', `/contracts/${signed[1]!.contractId}/cancel`, {
      token: admin,
      body: { noticeDate: '2026-11-01', reason: '搬家', effectiveDate: '2026-11-20' },
    });
    expect(cancel.status).toBe(200);

    const read = contractsReader(stack.db);
    for (const team of district.teams) {
      const own = await toArray(allContractsOfTeam(stack.db, team));
      expect(await read(team)).toEqual(own);
    }
    expect((await read(district.teams[0]!)).map((c) => c.status)).toEqual(['cancelled', 'active']);
    expect(await read(district.teams[2]!)).toEqual([]);
    expect((await read(district.teams[3]!)).length).toBe(3);
  });
});
