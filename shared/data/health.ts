/**
 * The health probe: one eventually consistent GetItem of a key that is never written
 * (keys.ts healthKeys.probe, HEALTH / PROBE). A data-plane read proves the table answers for this
 * function's role at the cost of half a read unit; DescribeTable, a control-plane call, is slow
 * and limited to a few calls a second per account.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.ts';
import { healthKeys } from './keys.ts';

/** Resolves when the table answers a read; rejects with the SDK's error otherwise. */
export async function probeTable(db: Db): Promise<void> {
  await db.doc.send(new GetCommand({ TableName: db.tableName, Key: healthKeys.probe(), ProjectionExpression: 'pk' }));
}
