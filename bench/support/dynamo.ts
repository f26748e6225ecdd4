/**
 * A DynamoDB Local for one bench section: in memory on a free port, the table created from the
 * shared design, the repositories' Db on it, and `stop()` that closes the client and the Java
 * process (sections call it in `finally`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '#shared/data/create-table.ts';
import { createDb, type Db } from '#shared/data/db.ts';
import { JAVA_MISSING, javaAvailable, startDynamoDbLocal } from '../../local/dynamodb-local.ts';

export interface BenchDb {
  db: Db;
  endpoint: string;
  stop: () => void;
}

/** Why DynamoDB sections cannot run here, or null when they can. */
export function dynamoUnavailableReason(): string | null {
  return javaAvailable() ? null : JAVA_MISSING;
}

export async function startBenchDb(tableName = 'gatekeeper-bench'): Promise<BenchDb> {
  const local = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  } catch (error) {
    local.stop();
    throw error;
  }
  const db = createDb({ tableName, endpoint: local.endpoint, region: 'local' });
  return {
    db,
    endpoint: local.endpoint,
    stop: () => {
      db.doc.destroy();
      local.stop();
    },
  };
}
