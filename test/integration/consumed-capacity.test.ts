/**
 * The cost model's meter (bench/support/consumed-capacity.ts) against DynamoDB Local: it asks every
 * command for its consumed capacity, DynamoDB Local answers it, and the sums per operation, per
 * table/index and per phase follow the documented formula (1 WCU per started KB written, to the
 * table and to each index the item is in; 0.5 RCU per 4 KB eventually consistent, 1 strongly
 * consistent; transactions twice per item). Where Local's answer is not the bill (transactions,
 * batch writes, refused writes) the meter counts by the formula and says so.
 */
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb } from '#shared/data/db.ts';
import { itemSize, meterCapacity } from '../../bench/support/consumed-capacity.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack();
});

describe('the capacity meter', () => {
  it("sums DynamoDB Local's answers per operation, table/index, phase, and counts transactions, batch writes and refused writes by the formula", async () => {
    const { db } = stack;
    const quiet = createDb({ tableName: db.tableName, endpoint: inject('dynamoDbEndpoint'), region: 'local' });
    const meter = meterCapacity(db, quiet);
    // 2,545 bytes: 3 KB started, in the table and in gsi1
    const item = { pk: 'METER#a', sk: 'ITEM', gsi1pk: 'METER#LIST', gsi1sk: 'a', payload: 'x'.repeat(2500) };
    expect(itemSize(item)).toBe(2 + 7 + 2 + 4 + 6 + 10 + 6 + 1 + 7 + 2500);
    meter.setPhase('write');
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: item }));
    meter.setPhase('read');
    await db.doc.send(new GetCommand({ TableName: db.tableName, Key: { pk: 'METER#a', sk: 'ITEM' } }));
    await db.doc.send(new GetCommand({ TableName: db.tableName, Key: { pk: 'METER#a', sk: 'ITEM' }, ConsistentRead: true }));
    await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': 'METER#LIST' },
      }),
    );
    meter.setPhase('refused');
    const small = { pk: 'METER#b', sk: 'ITEM', note: 'small' };
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: small }));
    await expect(db.doc.send(new PutCommand({ TableName: db.tableName, Item: small, ConditionExpression: 'attribute_not_exists(pk)' }))).rejects.toThrow();
    meter.setPhase('transaction');
    // three small items and the 3 KB one updated: 2 × (1 + 1 + 1 + 3) on the table, the updated item's gsi1 copy once (3)
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: db.tableName, Item: { pk: 'METER#c', sk: 'ITEM' } } },
          { Put: { TableName: db.tableName, Item: { pk: 'METER#d', sk: 'ITEM' } } },
          { ConditionCheck: { TableName: db.tableName, Key: { pk: 'METER#b', sk: 'ITEM' }, ConditionExpression: 'attribute_exists(pk)' } },
          { Update: { TableName: db.tableName, Key: { pk: 'METER#a', sk: 'ITEM' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } } },
        ],
      }),
    );
    meter.setPhase('batch');
    await db.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [db.tableName]: [{ PutRequest: { Item: { pk: 'METER#e', sk: 'ITEM', gsi1pk: 'METER#LIST', gsi1sk: 'e' } } }, { PutRequest: { Item: small } }],
        },
      }),
    );
    meter.remove();
    // removed: no longer counted
    await db.doc.send(new GetCommand({ TableName: db.tableName, Key: { pk: 'METER#a', sk: 'ITEM' } }));
    quiet.doc.destroy();

    const operations = meter.byOperation();
    expect(operations['write PutItem METER#…']).toEqual({ calls: 3, units: 3 + 3 + 1 + 1, formulaCalls: 1, targets: { table: 5, gsi1: 3 } });
    expect(operations['read GetItem METER#…']).toEqual({ calls: 2, units: 0.5 + 1, formulaCalls: 0, targets: { table: 1.5 } });
    expect(operations['read Query gsi1 METER#LIST']).toMatchObject({ calls: 1, units: 0.5, targets: { gsi1: 0.5 } });
    expect(operations['write TransactWriteItems ConditionCheck:METER#…+Put:METER#…+Update:METER#…']).toEqual({
      calls: 1,
      units: 12 + 3,
      formulaCalls: 1,
      targets: { table: 12, gsi1: 3 },
    });
    expect(operations['write BatchWriteItem METER#…']).toEqual({ calls: 1, units: 3, formulaCalls: 1, targets: { table: 2, gsi1: 1 } });
    expect(meter.byPhase()).toEqual({
      write: { read: 0, write: 6 },
      read: { read: 2, write: 0 },
      refused: { read: 0, write: 2 },
      transaction: { read: 0, write: 15 },
      batch: { read: 0, write: 3 },
    });
    // per item written: the second write of a transaction item apart ("transaction"), each index copy apart
    expect(meter.byItem()).toEqual({
      'Put METER#…/ITEM': { calls: 7, units: 15, formulaCalls: 5, targets: { table: 9, gsi1: 4, transaction: 2 } },
      'Check METER#…/ITEM': { calls: 1, units: 2, formulaCalls: 1, targets: { table: 1, transaction: 1 } },
      'Update METER#…/ITEM': { calls: 1, units: 9, formulaCalls: 1, targets: { table: 3, transaction: 3, gsi1: 3 } },
    });
    expect(meter.byTarget()).toEqual({ 'write table': 5 + 12 + 2, 'write gsi1': 3 + 3 + 1, 'read table': 1.5, 'read gsi1': 0.5 });
    const totals = meter.totals();
    expect(totals).toMatchObject({ read: 2, write: 26, calls: 8, formulaCalls: 3, callsWithoutCapacity: 0 });
    // what Local said for the transaction and the batch is less than the bill
    expect(totals.localUnitsReplaced).toBeGreaterThan(0);
    expect(totals.localUnitsReplaced).toBeLessThan(15 + 3);
  });
});
