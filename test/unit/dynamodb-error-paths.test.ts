/** Error paths DynamoDB Local never produces, driven with aws-sdk-client-mock. */
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDBClient,
  TransactionCanceledException,
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchPut } from '#shared/data/batch.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS } from '#shared/data/districts.ts';
import type { Db } from '#shared/data/db.ts';
import { signContract, type Contract } from '#shared/data/contracts.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { toProblem } from '#shared/http/on-error.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const db: Db = { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), tableName: 't' };

const contract: Contract = {
  contractId: 'contract-1',
  teamId: 'team-1',
  institutionId: 'inst-1',
  districtId: 'd',
  residentRef: 'ref',
  identityMasked: '990***********1234',
  insured: true,
  keyPopulations: [],
  servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  status: 'active',
  renewals: 0,
  signedAt: '2026-01-01T00:00:00Z',
};

function cancelled(...codes: string[]) {
  return new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

beforeEach(() => {
  docMock.reset();
  docMock.on(GetCommand).resolves({});
});

describe('conditional writes', () => {
  it('turns a conditional check failure on create into a conflict', async () => {
    docMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const error = await createDistrict(db, {
      districtId: 'd',
      name: 'd',
      province: 'p',
      settings: DEFAULT_DISTRICT_SETTINGS,
      createdAt: '',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(toProblem(error).status).toBe(409);
  });
});

describe('transaction cancellation', () => {
  it('names the full team from the per-item reason', async () => {
    docMock.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));
    const error = (await signContract(db, contract).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe('team-full');
  });

  it('retries a transaction conflict and succeeds once the conflict clears', async () => {
    docMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
      .resolves({});
    await expect(signContract(db, contract)).resolves.toEqual(contract);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers 503 when conflicts persist, having written nothing else', async () => {
    docMock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None', 'None'));
    const error = await signContract(db, contract).catch((e: unknown) => e);
    expect(toProblem(error).status).toBe(503);
    expect(docMock.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe('throttling', () => {
  it('maps throttling that outlasted the SDK retries to 503 without internals', async () => {
    docMock.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const error = await createDistrict(db, { districtId: 'd', name: 'd', province: 'p', settings: DEFAULT_DISTRICT_SETTINGS, createdAt: '' }).catch(
      (e: unknown) => e,
    );
    const problem = toProblem(error);
    expect(problem.status).toBe(503);
    expect(JSON.stringify(problem.toBody())).not.toContain('slow down');
  });
});

describe('unprocessed batch items', () => {
  it('resends unprocessed items until all are written', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ pk: `P#${i}`, sk: 'S' }));
    docMock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: items[3]! } }, { PutRequest: { Item: items[4]! } }] } })
      .resolves({});
    await batchPut(db, items, 1);
    const sent = docMock.commandCalls(BatchWriteCommand).flatMap((call) => call.args[0].input.RequestItems?.t ?? []);
    expect(sent).toHaveLength(32);
    const timesSent = (pk: string) => sent.filter((r) => r.PutRequest?.Item?.pk === pk).length;
    expect([timesSent('P#3'), timesSent('P#4'), timesSent('P#5')]).toEqual([2, 2, 1]);
  });

  it('gives up with 503 when items stay unprocessed', async () => {
    const item = { pk: 'P#1', sk: 'S' };
    docMock.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: [{ PutRequest: { Item: item } }] } });
    const error = await batchPut(db, [item], 1).catch((e: unknown) => e);
    expect(toProblem(error).status).toBe(503);
  }, 30_000);
});
