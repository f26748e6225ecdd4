/**
 * The DynamoDB document client and table name every repository takes. One client per
 * process (module scope in a Lambda), created from explicit settings so tests and the
 * local server can point it anywhere.
 */
import type { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Db {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** what createDb was given: a worker thread builds its own client from it (shared/services/settlements-job-local.ts) */
  settings?: DbSettings;
}

export interface DbSettings {
  tableName: string;
  /** e.g. http://127.0.0.1:8000 for DynamoDB Local; undefined means AWS */
  endpoint?: string;
  region?: string;
}

export interface DbOptions {
  /**
   * the agent for a local (http) endpoint, e.g. one keeping at most N requests in flight; the caller
   * makes it, so that node:http is not loaded at a Lambda's cold start (the SDK loads it when it sends)
   */
  localAgent?: Agent;
}

export function createDb(settings: DbSettings, options: DbOptions = {}): Db {
  const local = settings.endpoint !== undefined;
  const agent = local ? options.localAgent : undefined;
  const client = new DynamoDBClient({
    region: settings.region ?? process.env.AWS_REGION ?? 'cn-north-1',
    maxAttempts: 6,
    ...(local ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    ...(agent ? { requestHandler: { httpAgent: agent } } : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return { doc, tableName: settings.tableName, settings };
}
