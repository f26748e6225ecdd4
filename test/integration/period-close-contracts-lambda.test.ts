/**
 * The deployed period-close function runs the daily contract step (issue 13, rule 3): its
 * handler, configured as the stack configures it but pointed at DynamoDB Local, ends the contracts
 * whose end date has passed (by the real clock), leaves the others, and a second delivery of the
 * same firing changes nothing. The table is read back.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays, todayIso } from '#shared/domain/dates.ts';
import { batchPut } from '#shared/data/batch.ts';
import { type Contract, contractImportItems, getContract } from '#shared/data/contracts.ts';
import { keys } from '#shared/data/keys.ts';
import { getTeam } from '#shared/data/teams.ts';
import { createTestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const context = { awsRequestId: 'period-close-invocation', getRemainingTimeInMillis: () => 300_000 };
const saved: Record<string, string | undefined> = {};
let stack: TestStack;
let handler: Handler;

beforeAll(async () => {
  stack = await createTestStack();
  const values = {
    TABLE_NAME: stack.db.tableName,
    EVALUATION_STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:unused',
    AWS_REGION: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  for (const [name, value] of Object.entries(values)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  ({ handler } = (await import('../../functions/period-close/lambda.ts')) as unknown as { handler: Handler });
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('the period-close function', () => {
  it('ends the contracts past their end date once, however often it fires', async () => {
    const d = await createTestDistrict(stack.db, 'pcl-d', { institutions: 1, teamsPerInstitution: 1 });
    const team = d.teams[0]!;
    // China is at most a day ahead of UTC: two days ago has passed there too, tomorrow has not
    const today = todayIso();
    const ends = [addDays(today, -2), addDays(today, -40), addDays(today, 1)];
    const contracts: Contract[] = ends.map((endDate, i) => ({
      contractId: `pcl-${i}`,
      teamId: team.teamId,
      institutionId: team.institutionId,
      districtId: d.districtId,
      residentRef: `pcl-ref-${i}`,
      identityMasked: 'x',
      insured: true,
      keyPopulations: [],
      servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
      startDate: addDays(endDate, -364),
      endDate,
      status: 'active',
      renewals: 0,
      signedAt: `${addDays(endDate, -364)}T09:00:00.000Z`,
    }));
    await batchPut(stack.db, contracts.flatMap(contractImportItems));
    await stack.db.doc.send(
      new UpdateCommand({
        TableName: stack.db.tableName,
        Key: keys.team(team.teamId),
        UpdateExpression: 'SET activeContracts = :n',
        ExpressionAttributeValues: { ':n': 3 },
      }),
    );

    await Promise.all([handler({}, context), handler({}, context)]);
    await handler({}, context);
    expect((await Promise.all(contracts.map((c) => getContract(stack.db, c.contractId)))).map((c) => c!.status)).toEqual(['ended', 'ended', 'active']);
    expect((await getTeam(stack.db, team.teamId, true))!.activeContracts).toBe(1);
  });
});
