/**
 * Property test of rule 3 (issue 13) against DynamoDB Local, through the API: for random
 * sequences of sign / cancel (effective today, in the past or in the future) / renew / sign with
 * a team elsewhere (another institution, another district), with a simulated clock that advances
 * days and runs the daily step (which ends the contracts past their end date), no resident ever
 * has two contracts covering one day and every team counter equals its active contracts. The
 * table is read back after every step, independently of the code under test; after each daily
 * step no contract past its end date is still stored active.
 */
import fc from 'fast-check';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#shared/domain/dates.ts';
import type { Contract } from '#shared/data/contracts.ts';
import { keys } from '#shared/data/keys.ts';
import { getTeam } from '#shared/data/teams.ts';
import { endContractsPastTheirTerm } from '#shared/services/contracts.ts';
import { createTestDistrict, testIdentityNumber } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let today = '2026-11-22';
let stack: TestStack;
let admin: string;
let run = 0;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date(`${today}T08:00:00Z`) });
  admin = await stack.token('admin');
});

type Step =
  | { kind: 'sign'; resident: number; team: number; startIn: number }
  | { kind: 'cancel'; resident: number; effectiveIn: number }
  | { kind: 'renew'; resident: number }
  | { kind: 'wait'; days: number };

const RESIDENTS = 3;
const TEAMS = 3; // two institutions in one district, one team in another district
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('sign' as const), resident: fc.nat(RESIDENTS - 1), team: fc.nat(TEAMS - 1), startIn: fc.integer({ min: -7, max: 40 }) }),
  fc.record({ kind: fc.constant('cancel' as const), resident: fc.nat(RESIDENTS - 1), effectiveIn: fc.integer({ min: -3, max: 40 }) }),
  fc.record({ kind: fc.constant('renew' as const), resident: fc.nat(RESIDENTS - 1) }),
  fc.record({ kind: fc.constant('wait' as const), days: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 300, max: 380 })) }),
);

async function query(index: 'gsi2' | 'gsi3', partition: Record<string, string>, sortKeyPrefix?: { attribute: string; prefix: string }): Promise<Contract[]> {
  const [name, value] = Object.entries(partition)[0]!;
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      IndexName: index,
      KeyConditionExpression: `${name} = :v${sortKeyPrefix ? ` AND begins_with(${sortKeyPrefix.attribute}, :s)` : ''}`,
      ExpressionAttributeValues: { ':v': value, ...(sortKeyPrefix ? { ':s': sortKeyPrefix.prefix } : {}) },
    }),
  );
  return (result.Items ?? []) as Contract[];
}

async function latestContractOf(residentRef: string): Promise<Contract | undefined> {
  const all = await query('gsi2', keys.contractsOfResident(residentRef));
  return all.sort((a, b) => (a.signedAt < b.signedAt ? -1 : a.signedAt > b.signedAt ? 1 : a.startDate < b.startDate ? -1 : 1)).at(-1);
}

async function checkInvariants(teams: { institutionId: string; teamId: string }[], residentRefs: string[], afterDailyStep: boolean): Promise<void> {
  for (const ref of residentRefs) {
    const terms = (await query('gsi2', keys.contractsOfResident(ref))).sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
    for (let i = 1; i < terms.length; i++) expect(terms[i]!.startDate > terms[i - 1]!.endDate, `resident ${ref}: ${JSON.stringify(terms)}`).toBe(true);
  }
  for (const { institutionId, teamId } of teams) {
    const contracts = await query('gsi3', keys.contractsOfInstitution(institutionId), keys.contractsOfTeam(teamId));
    const active = contracts.filter((c) => c.status === 'active');
    const team = (await getTeam(stack.db, teamId, true))!;
    expect(team.activeContracts, `team ${teamId}: ${JSON.stringify(contracts)}`).toBe(active.length);
    expect(team.activeContracts).toBeLessThanOrEqual(team.capacity);
    if (afterDailyStep) expect(active.filter((c) => c.endDate < today).map((c) => c.contractId)).toEqual([]);
  }
}

describe('rule 3 as a property', () => {
  it('never two contracts of a resident on one day; every counter equals its active contracts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
        run++;
        today = '2026-11-22';
        const here = await createTestDistrict(stack.db, `pp-${run}`, { institutions: 2, teamsPerInstitution: 1, capacity: 2 });
        const there = await createTestDistrict(stack.db, `pq-${run}`, { institutions: 1, teamsPerInstitution: 1, capacity: 2 });
        const teams = [...here.teams, ...there.teams];
        const teamIds = teams.map((t) => t.teamId);
        const identityNumbers = Array.from({ length: RESIDENTS }, (_, i) => testIdentityNumber('1970-01-01', run * 10 + i));
        const residentRefs = identityNumbers.map((id) => stack.keyer(id));
        for (const s of steps) {
          if (s.kind === 'wait') {
            // day by day, the daily step each night
            for (let day = 0; day < s.days; day += s.days > 40 ? 30 : 1) {
              today = addDays(today, Math.min(s.days > 40 ? 30 : 1, s.days - day));
              await endContractsPastTheirTerm({ db: stack.db, now: () => new Date(`${today}T08:00:00Z`) });
            }
          } else if (s.kind === 'sign') {
            const response = await stack.request('POST', '/contracts', {
              token: admin,
              body: { teamId: teamIds[s.team]!, identityNumber: identityNumbers[s.resident]!, insured: true, startDate: addDays(today, s.startIn) },
            });
            expect([201, 409, 422], await response.clone().text()).toContain(response.status);
          } else {
            const latest = await latestContractOf(residentRefs[s.resident]!);
            if (latest) {
              const response =
                s.kind === 'cancel'
                  ? await stack.request('POST', `/contracts/${latest.contractId}/cancel`, {
                      token: admin,
                      body: {
                        noticeDate: today < addDays(today, s.effectiveIn) ? today : addDays(today, s.effectiveIn),
                        reason: '迁出',
                        effectiveDate: addDays(today, s.effectiveIn),
                      },
                    })
                  : await stack.request('POST', `/contracts/${latest.contractId}/renew`, { token: admin });
              expect([200, 409, 422]).toContain(response.status);
            }
          }
          await checkInvariants(teams, residentRefs, s.kind === 'wait');
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
