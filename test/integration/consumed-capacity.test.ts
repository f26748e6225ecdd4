/**
 * The cost model's meter (bench/support/consumed-capacity.ts) against DynamoDB Local: it asks every
 * command for its consumed capacity, DynamoDB Local answers it, and the sums per operation, per
 * table/index and per phase agree with the documented formula (1 WCU per KB written, to the
 * table and to each index the item is in; 0.5 RCU per 4 KB eventually consistent, 1 strongly
 * consistent; transactions twice). A refused conditional write returns nothing and is counted by
 * the formula, marked estimated.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { itemSize, meterCapacity } from '../../bench/support/consumed-capacity.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack();
});

describe('the capacity meter', () => {
  it('sums what DynamoDB Local returns per operation, table/index and phase, and estimates refused writes', async () => {
    const { db } = stack;
    const meter = meterCapacity(db);
    // 2,500 bytes of payload: 3 KB started, in the table and in gsi1
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
    await db.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: db.tableName, Item: { pk: 'METER#c', sk: 'ITEM' } } }] }));
    meter.remove();
    // removed: no longer counted
    await db.doc.send(new GetCommand({ TableName: db.tableName, Key: { pk: 'METER#a', sk: 'ITEM' } }));

    const operations = meter.byOperation();
    expect(operations['write PutItem METER#…']).toEqual({
      calls: 3,
      units: 3 + 3 + 1 + 1,
      estimatedCalls: 1,
      targets: { table: 4, gsi1: 3, 'table (estimated)': 1 },
    });
    expect(operations['read GetItem METER#…']).toEqual({ calls: 2, units: 0.5 + 1, estimatedCalls: 0, targets: { table: 1.5 } });
    expect(operations['read Query gsi1 METER#LIST']).toMatchObject({ calls: 1, units: 0.5, targets: { gsi1: 0.5 } });
    expect(operations['write TransactWriteItems Put:METER#…']).toMatchObject({ calls: 1, units: 2 });
    expect(meter.byPhase()).toEqual({
      write: { read: 0, write: 6 },
      read: { read: 2, write: 0 },
      refused: { read: 0, write: 2 },
      transaction: { read: 0, write: 2 },
    });
    expect(meter.byTarget()).toMatchObject({ 'write table': 6, 'write gsi1': 3, 'read table': 1.5, 'read gsi1': 0.5 });
    expect(meter.totals()).toEqual({ read: 2, write: 10, calls: 7, estimatedCalls: 1, callsWithoutCapacity: 0 });
  });
});
