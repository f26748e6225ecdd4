/**
 * Bulk writes: BatchWriteItem in chunks of 25, a few chunks in flight, unprocessed items
 * retried with exponential backoff until written or the attempts run out (then the caller
 * gets an 'unavailable' error and knows exactly which items may be missing: none are
 * reported written that were not). Bulk reads: BatchGetItem in chunks of 100 keys, unprocessed
 * keys asked again the same way.
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unavailable } from './aws-errors.ts';
import type { Db } from './db.ts';
import { mapLimited } from '../domain/map-limited.ts';

const CHUNK = 25;
const GET_CHUNK = 100;
const MAX_ATTEMPTS = 8;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export async function batchWrite(db: Db, requests: WriteRequest[], concurrency = 4): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += CHUNK) chunks.push(requests.slice(i, i + CHUNK));
  await mapLimited(chunks, concurrency, (chunk) => writeChunk(db, chunk));
}

export function batchPut(db: Db, items: Record<string, unknown>[], concurrency?: number): Promise<void> {
  return batchWrite(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
    concurrency,
  );
}

async function writeChunk(db: Db, chunk: WriteRequest[]): Promise<void> {
  let pending = chunk;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) throw unavailable();
    if (attempt > 1) await backoff(attempt);
    const result = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
    pending = (result.UnprocessedItems?.[db.tableName] ?? []) as WriteRequest[];
  }
}

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(2000, 20 * 2 ** attempt)));

/** The items found under the given keys (eventually consistent), in no particular order; missing keys are left out. */
export async function batchGet(db: Db, keys: readonly Record<string, unknown>[], concurrency = 4): Promise<Record<string, unknown>[]> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += GET_CHUNK) chunks.push(keys.slice(i, i + GET_CHUNK));
  const found: Record<string, unknown>[] = [];
  await mapLimited(chunks, concurrency, async (chunk) => {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw unavailable();
      if (attempt > 1) await backoff(attempt);
      const result = await db.doc.send(new BatchGetCommand({ RequestItems: { [db.tableName]: { Keys: pending } } }));
      found.push(...(result.Responses?.[db.tableName] ?? []));
      pending = (result.UnprocessedKeys?.[db.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  });
  return found;
}
