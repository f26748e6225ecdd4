/** batchGet (shared/data/batch.ts): 100 keys a call, unprocessed keys asked again, 503 when they stay unprocessed. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchGet } from '#shared/data/batch.ts';
import type { Db } from '#shared/data/db.ts';
import { toProblem } from '#shared/http/on-error.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const db: Db = { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), tableName: 't' };
type Key = { pk: string; sk: string };
const keyList = (n: number): Key[] => Array.from({ length: n }, (_, i) => ({ pk: `P#${i}`, sk: 'S' }));
const keysOf = (call: { args: [{ input: unknown }] }) => (call.args[0].input as { RequestItems: Record<string, { Keys: Key[] }> }).RequestItems.t!.Keys;

beforeEach(() => {
  docMock.reset();
  vi.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('batchGet', () => {
  it('asks at most 100 keys a call and asks the unprocessed ones again until every item is read', async () => {
    const stored = new Set(
      keyList(250)
        .filter((_, i) => i % 7 !== 0)
        .map((k) => k.pk),
    );
    let calls = 0;
    docMock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Key[] }> }) => {
      calls++;
      const asked = input.RequestItems.t!.Keys;
      // the first call of each chunk leaves its last ten keys unprocessed
      const unprocessed = asked.length > 10 && calls <= 3 ? asked.slice(-10) : [];
      const answered = asked.filter((k) => !unprocessed.includes(k) && stored.has(k.pk)).map((k) => ({ ...k, value: k.pk }));
      return { Responses: { t: answered }, ...(unprocessed.length ? { UnprocessedKeys: { t: { Keys: unprocessed } } } : {}) };
    });

    const items = await batchGet(db, keyList(250), 1);

    expect(items.map((i) => i.pk).sort()).toEqual([...stored].sort());
    const asked = docMock.commandCalls(BatchGetCommand).map((call) => keysOf(call as never));
    expect(asked.map((k) => k.length)).toEqual([100, 10, 100, 10, 50]);
    expect(asked[1]).toEqual(asked[0]!.slice(-10));
  });

  it('answers 503 when keys stay unprocessed', async () => {
    docMock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Key[] }> }) => ({
      Responses: { t: [] },
      UnprocessedKeys: { t: { Keys: input.RequestItems.t!.Keys } },
    }));
    const error = await batchGet(db, keyList(3)).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).not.toBeNull();
    expect(toProblem(error!).status).toBe(503);
    expect(docMock.commandCalls(BatchGetCommand)).toHaveLength(8);
  });
});
