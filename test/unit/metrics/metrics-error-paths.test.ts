/** Idempotency conflicts and the upload's batch and transaction paths, driven with aws-sdk-client-mock. */
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '#shared/data/db.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '#shared/data/idempotency.ts';
import { chunkRows, decodeChunk, encodeChunk, type MetricsRow, type NewMetricsUpload, writeMetricsVersion } from '#shared/data/metrics.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { toProblem } from '#shared/http/on-error.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const db: Db = { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), tableName: 't' };
const NOW = new Date('2026-11-22T08:00:00Z');

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

beforeEach(() => {
  docMock.reset();
});

describe('idempotency keys', () => {
  const request = { scope: 'clerk-1\nPUT /institutions/i/metrics/2026Q3', key: 'k-1', requestHash: 'hash-a', now: NOW, waitMs: 60, pollMs: 10 };

  it('claims a fresh key with a conditional put', async () => {
    docMock.on(PutCommand).resolves({});
    const outcome = await claimIdempotencyKey(db, request);
    expect(outcome.kind).toBe('claimed');
    const put = docMock.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.ConditionExpression).toContain('attribute_not_exists(pk)');
    expect(put.Item).toMatchObject({ status: 'in-progress', requestHash: 'hash-a', expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400 });
    expect(String(put.Item?.pk)).toMatch(/^IDEMPOTENCY#[0-9a-f]{64}$/);
  });

  it('refuses the same key with a different body: 409 idempotency-key-reused', async () => {
    docMock.on(PutCommand).rejects(conditionFailed());
    docMock.on(GetCommand).resolves({ Item: { status: 'completed', requestHash: 'hash-b', owner: 'x', response: { status: 201, body: {} } } });
    const error = (await claimIdempotencyKey(db, request).catch((e: unknown) => e)) as DomainError;
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('idempotency-key-reused');
    expect(toProblem(error).status).toBe(409);
  });

  it('replays the stored result of a completed request with the same body', async () => {
    docMock.on(PutCommand).rejects(conditionFailed());
    docMock.on(GetCommand).resolves({ Item: { status: 'completed', requestHash: 'hash-a', owner: 'x', response: { status: 201, body: { version: 1 } } } });
    expect(await claimIdempotencyKey(db, request)).toEqual({ kind: 'replay', response: { status: 201, body: { version: 1 } } });
    expect(docMock.commandCalls(GetCommand)[0]!.args[0].input.ConsistentRead).toBe(true);
  });

  it('polls a request in progress, then answers 409 idempotency-in-progress', async () => {
    docMock.on(PutCommand).rejects(conditionFailed());
    docMock.on(GetCommand).resolves({ Item: { status: 'in-progress', requestHash: 'hash-a', owner: 'x', expiresAt: 9e9 } });
    const error = (await claimIdempotencyKey(db, request).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe('idempotency-in-progress');
    expect(docMock.commandCalls(GetCommand).length).toBeGreaterThan(1);
  });

  it('waits for a request in progress and replays its result once it completes', async () => {
    docMock.on(PutCommand).rejects(conditionFailed());
    docMock
      .on(GetCommand)
      .resolvesOnce({ Item: { status: 'in-progress', requestHash: 'hash-a', owner: 'x' } })
      .resolves({ Item: { status: 'completed', requestHash: 'hash-a', owner: 'x', response: { status: 200, body: { version: 2 } } } });
    expect(await claimIdempotencyKey(db, { ...request, waitMs: 5000 })).toEqual({ kind: 'replay', response: { status: 200, body: { version: 2 } } });
  });

  it('claims the key itself when the first request failed and released it', async () => {
    docMock.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    docMock.on(GetCommand).resolves({});
    expect((await claimIdempotencyKey(db, request)).kind).toBe('claimed');
    expect(docMock.commandCalls(PutCommand)).toHaveLength(2);
  });

  it('treats an expired record as absent', async () => {
    docMock.on(PutCommand).rejects(conditionFailed());
    docMock.on(GetCommand).resolves({ Item: { status: 'completed', requestHash: 'hash-b', owner: 'x', expiresAt: 1 } });
    const error = (await claimIdempotencyKey(db, request).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe('idempotency-in-progress');
  });

  it('completes and releases only as the owner, and tolerates having lost the lease', async () => {
    docMock.on(PutCommand).resolves({});
    const outcome = await claimIdempotencyKey(db, request);
    if (outcome.kind !== 'claimed') throw new Error('expected a claim');
    docMock.on(UpdateCommand).rejects(conditionFailed());
    docMock.on(DeleteCommand).rejects(conditionFailed());
    await expect(completeIdempotencyKey(db, outcome.claim, { status: 201, body: {} }, NOW)).resolves.toBeUndefined();
    await expect(releaseIdempotencyKey(db, outcome.claim)).resolves.toBeUndefined();
    expect(docMock.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues?.[':owner']).toBe(outcome.claim.owner);
    expect(docMock.commandCalls(DeleteCommand)[0]!.args[0].input.ConditionExpression).toContain('#owner = :owner');
  });
});

function upload(rows: number): NewMetricsUpload {
  return {
    districtId: 'd',
    institutionId: 'i',
    period: '2026Q3',
    uploadedBy: 'clerk-1',
    uploadedAt: NOW.toISOString(),
    codes: ['referrals-up'],
    format: 'csv',
    catalogueVersion: 1,
    rows: Array.from({ length: rows }, (_, n) => ({ teamId: `team-${n}`, values: { 'referrals-up': n } })),
  };
}

type WriteRequest = { PutRequest?: { Item?: Record<string, unknown> }; DeleteRequest?: { Key?: Record<string, unknown> } };

function sentRequests(): WriteRequest[] {
  return docMock.commandCalls(BatchWriteCommand).flatMap((call) => (call.args[0].input.RequestItems?.t ?? []) as WriteRequest[]);
}

describe('writing an upload', () => {
  it('resends unprocessed chunks of rows, then makes the version current in one conditional transaction', async () => {
    docMock.on(GetCommand).resolves({});
    let first = true;
    docMock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
      if (!first) return {};
      first = false;
      return { UnprocessedItems: { t: input.RequestItems.t!.slice(0, 3) } };
    });
    docMock.on(TransactWriteCommand).resolves({});
    const version = await writeMetricsVersion(db, upload(60), { concurrency: 1, maxRowsPerChunk: 2 });
    expect(version).toMatchObject({ version: 1, rowCount: 60 });

    const puts = sentRequests().map((r) => r.PutRequest?.Item as { sk: string; codes: string[]; rows: string });
    expect(puts).toHaveLength(33);
    const chunks = new Map(puts.map((item) => [item.sk, decodeChunk(item)]));
    expect(chunks.size).toBe(30);
    expect(new Set([...chunks.values()].flat().map((r) => r.teamId)).size).toBe(60);
    const calls = docMock.calls().map((call) => call.args[0].constructor.name);
    expect(calls.lastIndexOf('BatchWriteCommand')).toBeLessThan(calls.indexOf('TransactWriteCommand'));

    const items = docMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]?.ConditionCheck?.ConditionExpression).toContain('<> :closed');
    expect(items[1]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[1]?.Put?.Item).toMatchObject({ version: 1, uploadId: version.uploadId, rowCount: 60 });
    expect(items[2]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('becomes the next version when another upload took version N first', async () => {
    docMock
      .on(GetCommand)
      .resolvesOnce({ Item: { version: 1, uploadId: 'upload-a' } })
      .resolves({ Item: { version: 2, uploadId: 'upload-b' } });
    docMock.on(BatchWriteCommand).resolves({});
    docMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'ConditionalCheckFailed'))
      .resolves({});
    const version = await writeMetricsVersion(db, upload(5));
    expect(version.version).toBe(3);
    const second = docMock.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
    expect(second[1]?.Put?.ExpressionAttributeValues).toEqual({ ':previous': 2 });
    expect(docMock.commandCalls(BatchWriteCommand)).toHaveLength(1);
  });

  it('refuses a period closed meanwhile and deletes the chunks it wrote', async () => {
    docMock.on(GetCommand).resolves({});
    docMock.on(BatchWriteCommand).resolves({});
    docMock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
    const error = (await writeMetricsVersion(db, upload(5), { maxRowsPerChunk: 2 }).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe('period-closed');
    expect(sentRequests().filter((r) => r.DeleteRequest)).toHaveLength(3);
  });

  it('answers 503 when rows stay unprocessed, without ever making the upload current', async () => {
    docMock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
      const puts = input.RequestItems.t!.filter((r) => r.PutRequest);
      return puts.length > 0 ? { UnprocessedItems: { t: puts } } : {};
    });
    const error = await writeMetricsVersion(db, upload(2)).catch((e: unknown) => e);
    expect(toProblem(error).status).toBe(503);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  }, 30_000);
});

describe('chunks of rows', () => {
  it('keeps teams in id order and bounds each chunk by rows and by size', () => {
    const rows = ['c', 'a', 'b', 'e', 'd'].map((teamId) => ({ teamId, values: { x: 1 } }));
    expect(chunkRows(rows, { maxRows: 2 }).map((c) => c.map((r) => r.teamId))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(chunkRows(rows, { maxBytes: 3 * 7 }).map((c) => c.length)).toEqual([3, 2]); // ["a",1], is 7 bytes
    expect(chunkRows([])).toEqual([]);
  });

  it('encodes values compactly and decodes them exactly, leaving absent values absent', () => {
    const rows: MetricsRow[] = [
      { teamId: 'team-a', values: { due: 10, done: 9 } },
      { teamId: 'team-b', values: { done: 0, wait: 2.75 } },
    ];
    const encoded = encodeChunk(rows);
    expect(encoded).toEqual({ codes: ['due', 'done', 'wait'], rows: '[["team-a",10,9,null],["team-b",null,0,2.75]]' });
    expect(decodeChunk(encoded)).toEqual(rows);
  });
});
