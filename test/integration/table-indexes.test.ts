import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allContractsOfInstitution } from '#shared/data/contracts.ts';
import { ensureTable } from '#shared/data/create-table.ts';
import { createDb } from '#shared/data/db.ts';
import { keys } from '#shared/data/keys.ts';
import { tableDesign } from '#shared/data/table-design.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.ts';

// its own DynamoDB Local: the shared one, busy with every other test file's table, can take minutes to build a new index
let local: DynamoDbLocal;
let endpoint: string;
let client: DynamoDBClient;
beforeAll(async () => {
  local = await startDynamoDbLocal();
  endpoint = local.endpoint;
  client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 60_000);
afterAll(() => {
  client?.destroy();
  local?.stop();
});

describe('a table kept from before an index was added', () => {
  it('gets the missing index, and the institution query finds contracts written after', { timeout: 180_000 }, async () => {
    const tableName = `test-old-${randomBytes(6).toString('hex')}`;
    const old = tableDesign.globalSecondaryIndexes.filter((i) => i.indexName !== 'gsi3');
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', ...old.flatMap((i) => [i.partitionKey, i.sortKey])].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: old.map((i) => ({
          IndexName: i.indexName,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );

    expect(await ensureTable(client, tableName)).toBe('existed');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(['gsi1', 'gsi2', 'gsi3']);

    const db = createDb({ tableName, endpoint, region: 'local' });
    const entries = keys.contractListEntries('inst-1', 'team-1', 'ref-1', '2026-01-01', 'c-1');
    await db.doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.contract('c-1'), ...entries, contractId: 'c-1', teamId: 'team-1' } }));
    const found = [];
    for await (const contract of allContractsOfInstitution(db, 'inst-1')) found.push(contract);
    expect(found).toEqual([{ contractId: 'c-1', teamId: 'team-1' }]);
    db.doc.destroy();
  });
});
