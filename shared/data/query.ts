/** One page of a key-condition query on the table or one of its indexes; never a Scan. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.ts';
import { badCursor, decodeCursor, encodeCursor, type Page } from './pagination.ts';
import type { IndexName } from './table-design.ts';

interface PageRequest {
  /** the partition key attribute and value, e.g. { gsi1pk: 'DISTRICTS' } */
  partition: Record<string, string>;
  index?: IndexName;
  /** sort key attribute and prefix, to narrow the partition */
  sortKeyPrefix?: { attribute: string; prefix: string };
  limit: number;
  cursor?: string;
  scanForward?: boolean;
  /** only these attributes of each item (a ProjectionExpression); the cursor still carries the keys */
  attributes?: readonly string[];
}

const KEY_ATTRIBUTES: Record<IndexName | 'table', readonly string[]> = {
  table: ['pk', 'sk'],
  gsi1: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
  gsi2: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
  gsi3: ['pk', 'sk', 'gsi3pk', 'gsi3sk'],
};

export async function queryPage<T>(db: Db, request: PageRequest, toItem: (raw: Record<string, unknown>) => T): Promise<Page<T>> {
  const [partitionAttribute, partitionValue] = Object.entries(request.partition)[0]!;
  const names: Record<string, string> = { '#p': partitionAttribute };
  const values: Record<string, unknown> = { ':p': partitionValue };
  let condition = '#p = :p';
  if (request.sortKeyPrefix) {
    names['#s'] = request.sortKeyPrefix.attribute;
    values[':s'] = request.sortKeyPrefix.prefix;
    condition += ' AND begins_with(#s, :s)';
  }
  request.attributes?.forEach((attribute, i) => {
    names[`#a${i}`] = attribute;
  });
  const start = decodeCursor(request.cursor, KEY_ATTRIBUTES[request.index ?? 'table']);
  // A cursor of another partition or outside the sort key prefix makes DynamoDB refuse the query (a 500): refuse the cursor.
  if (
    start &&
    (start[partitionAttribute] !== partitionValue ||
      (request.sortKeyPrefix && !String(start[request.sortKeyPrefix.attribute]).startsWith(request.sortKeyPrefix.prefix)))
  ) {
    throw badCursor();
  }
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: request.index,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: request.limit,
      ExclusiveStartKey: start,
      ScanIndexForward: request.scanForward ?? true,
      ProjectionExpression: request.attributes?.map((_, i) => `#a${i}`).join(', '),
    }),
  );
  return { items: (result.Items ?? []).map(toItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** Every item of a partition, page by page; for background work, not request paths over big partitions. */
export async function* queryAll(db: Db, request: Omit<PageRequest, 'limit' | 'cursor'>): AsyncGenerator<Record<string, unknown>> {
  let cursor: string | undefined;
  do {
    const page = await queryPage(db, { ...request, limit: 1000, cursor }, (raw) => raw);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
