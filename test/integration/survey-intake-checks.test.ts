/**
 * What survey intake relies on now that a response reads only the resident's current-contract
 * item and takes the instrument from memory: the transaction itself refuses a contract that
 * stopped being current, and a version published by
 * another process is taken without waiting for the memory to expire.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelContract, getContract, getCurrentContractTerms } from '#shared/data/contracts.ts';
import { createDb } from '#shared/data/db.ts';
import { surveyKeys } from '#shared/data/keys.ts';
import { getAggregate, publishInstrument, recordResponse } from '#shared/data/surveys.ts';
import type { DomainError } from '#shared/domain/errors.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, testIdentityNumbers, type TestDistrict } from '../support/fixtures.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
const PERIOD = '2026Q4';
const ANSWERS = { overall: 5, attitude: 4, communication: 5, access: 3, recommend: 9 };
let stack: TestStack;
let district: TestDistrict;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, 'sic-d', { teamsPerInstitution: 3 });
  admin = await stack.token('admin');
});

async function signResident(teamId: string, offset: number): Promise<{ identityNumber: string; contractId: string }> {
  const [identityNumber] = testIdentityNumbers(1, offset);
  const response = await stack.request('POST', '/contracts', {
    token: admin,
    body: { teamId, identityNumber, insured: true, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } },
  });
  expect(response.status).toBe(201);
  return { identityNumber: identityNumber!, contractId: ((await response.json()) as { contractId: string }).contractId };
}

async function itemsOf(pk: string): Promise<number> {
  const result = await stack.db.doc.send(
    new QueryCommand({ TableName: stack.db.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Select: 'COUNT' }),
  );
  return result.Count ?? 0;
}

describe('the response transaction', () => {
  it('refuses with no-active-contract and writes nothing when the contract was cancelled after it was read', async () => {
    const team = district.teams[0]!;
    const { identityNumber, contractId } = await signResident(team.teamId, 10);
    const residentRef = stack.keyer(identityNumber);
    const terms = (await getCurrentContractTerms(stack.db, residentRef))!;
    expect(terms).toEqual({
      contractId,
      teamId: team.teamId,
      institutionId: team.institutionId,
      districtId: 'sic-d',
      startDate: '2026-07-01',
      endDate: expect.any(String),
    });

    await cancelContract(
      stack.db,
      (await getContract(stack.db, contractId))!,
      { noticeDate: '2026-11-01', reason: '迁出', effectiveDate: '2026-11-20' },
      '2026-11-22',
    );
    const error = (await recordResponse(stack.db, {
      ...terms,
      period: PERIOD,
      residentRef,
      instrumentVersion: 0,
      answers: ANSWERS,
      increments: { n: 1, 'q.overall.sum': 5 },
      channel: 'app',
      submittedOn: '2026-11-22',
      nowEpochSeconds: Math.floor(NOW.getTime() / 1000),
    }).then(
      () => null,
      (e: unknown) => e,
    )) as DomainError | null;
    expect(error).toMatchObject({ kind: 'forbidden', code: 'no-active-contract' });
    // only the current-contract item, its place released by the cancellation (it is kept to date the next signing)
    expect(await itemsOf(`RESIDENT#${residentRef}`)).toBe(1);
    expect(await itemsOf(surveyKeys.answersOfTeam(team.teamId, PERIOD).pk)).toBe(0);
    expect(await getAggregate(stack.db, 'sic-d', PERIOD, team.teamId, true)).toEqual({});
  });
});

describe('the remembered instrument', () => {
  it('takes answers to a version another process published a moment ago', async () => {
    const team = district.teams[2]!;
    const first = await signResident(team.teamId, 30);
    const second = await signResident(team.teamId, 31);
    const answered = await stack.request('POST', '/surveys', { token: await stack.token('resident', first), body: { answers: ANSWERS } });
    expect(await answered.json()).toMatchObject({ instrumentVersion: 0 });

    // another function instance: its own client, so nothing it does touches this process's memory
    const elsewhere = createDb({ tableName: stack.db.tableName, endpoint: inject('dynamoDbEndpoint'), region: 'local' });
    const questions = [{ code: 'waiting', type: 'scale5' as const, required: true, label: { zh: '候诊时间', en: 'Waiting time' } }];
    await publishInstrument(elsewhere, 'sic-d', questions, 'evaluator', NOW.toISOString());
    elsewhere.doc.destroy();

    const response = await stack.request('POST', '/surveys', { token: await stack.token('resident', second), body: { answers: { waiting: 4 } } });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ instrumentVersion: 1 });
    expect(await getAggregate(stack.db, 'sic-d', PERIOD, team.teamId, true)).toMatchObject({ n: 2, 'q.waiting.sum': 4 });
  });
});
