/**
 * Idempotency-Key records: a retried request with the same key returns the first result
 * (same status and body) without doing the work twice.
 * Keys: IDEMPOTENCY#{sha256(caller, route, key)} / IDEMPOTENCY; `expiresAt` (epoch seconds) is
 * the table's TTL attribute, 24 hours after the claim by default. TTL deletion is lazy, so an
 * expired record is also treated as absent by the claim condition.
 *
 * The key is claimed with a conditional put (attribute_not_exists) BEFORE any work, so of two
 * concurrent requests with one key exactly one does the work. The other compares body hashes
 * (a different body with the same key is a 409 `idempotency-key-reused`), then polls the record
 * for a short while: it replays the stored result once the first request completes, claims the
 * key itself when the first one failed and released it, or answers 409
 * `idempotency-in-progress` when the first is still working. A claim whose worker died is taken
 * over after `leaseSeconds`. Only successful results are stored; a failed request releases its
 * claim so a retry runs again (the same rule as Powertools for AWS Lambda's idempotency utility).
 */
import { createHash, randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../domain/errors.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { metricKeys } from './keys.ts';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyRequest {
  /** who and what: e.g. the caller's subject and "PUT /institutions/i/metrics/2026Q3" */
  scope: string;
  /** the Idempotency-Key header */
  key: string;
  /** sha256 of the request body */
  requestHash: string;
  now: Date;
  ttlSeconds?: number;
  /** after this long an unfinished claim is considered abandoned and may be taken over */
  leaseSeconds?: number;
  /** how long a concurrent retry waits for the first request to finish */
  waitMs?: number;
  pollMs?: number;
}

export interface IdempotencyClaim {
  recordKey: { pk: string; sk: string };
  owner: string;
  ttlSeconds: number;
}

export type ClaimOutcome = { kind: 'claimed'; claim: IdempotencyClaim } | { kind: 'replay'; response: StoredResponse };

interface IdempotencyRecord {
  status: 'in-progress' | 'completed';
  requestHash: string;
  owner: string;
  response?: StoredResponse;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export function idempotencyRecordKey(scope: string, key: string): { pk: string; sk: string } {
  return metricKeys.idempotency(sha256Hex(`${scope}\n${key}`));
}

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function tryClaim(db: Db, request: IdempotencyRequest, recordKey: { pk: string; sk: string }, owner: string): Promise<boolean> {
  const now = epochSeconds(request.now);
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          ...recordKey,
          entity: 'idempotency',
          status: 'in-progress',
          requestHash: request.requestHash,
          owner,
          leaseUntil: now + (request.leaseSeconds ?? 120),
          expiresAt: now + (request.ttlSeconds ?? IDEMPOTENCY_TTL_SECONDS),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#status = :inProgress AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': now, ':inProgress': 'in-progress' },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

async function readRecord(db: Db, recordKey: { pk: string; sk: string }, now: Date): Promise<IdempotencyRecord | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: recordKey, ConsistentRead: true }));
  const item = result.Item;
  if (!item || (typeof item.expiresAt === 'number' && item.expiresAt < epochSeconds(now))) return null;
  return item as unknown as IdempotencyRecord;
}

/**
 * Claims the key for this request, or returns the stored result of an earlier request with the
 * same key and body. Throws a conflict for a different body or a request still in progress.
 */
export async function claimIdempotencyKey(db: Db, request: IdempotencyRequest): Promise<ClaimOutcome> {
  const recordKey = idempotencyRecordKey(request.scope, request.key);
  const owner = randomBytes(12).toString('hex');
  const claim: IdempotencyClaim = { recordKey, owner, ttlSeconds: request.ttlSeconds ?? IDEMPOTENCY_TTL_SECONDS };
  const waitMs = request.waitMs ?? 10_000;
  const pollMs = request.pollMs ?? 200;
  const started = Date.now();
  for (;;) {
    if (await tryClaim(db, request, recordKey, owner)) return { kind: 'claimed', claim };
    // Someone holds the key. No record any more means the holder failed and released it (or it
    // expired): loop and claim it ourselves.
    const record = await readRecord(db, recordKey, request.now);
    if (record?.requestHash !== undefined && record.requestHash !== request.requestHash) {
      throw conflict('idempotency-key-reused', 'This Idempotency-Key was already used with a different request body; use a new key for a new request');
    }
    if (record?.status === 'completed' && record.response) return { kind: 'replay', response: record.response };
    if (Date.now() - started >= waitMs) {
      throw conflict('idempotency-in-progress', 'A request with this Idempotency-Key is still being processed; retry in a few seconds');
    }
    if (record) await sleep(pollMs);
  }
}

/** Stores the result for replay; only the claim's owner may complete it. */
export async function completeIdempotencyKey(db: Db, claim: IdempotencyClaim, response: StoredResponse, now: Date): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: claim.recordKey,
        UpdateExpression: 'SET #status = :completed, #response = :response, expiresAt = :expires REMOVE leaseUntil',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':response': response,
          ':owner': claim.owner,
          ':expires': epochSeconds(now) + claim.ttlSeconds,
        },
      }),
    );
  } catch (error) {
    // Our lease ran out and another request took the key over: its result stands.
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** Releases a claim after a failure so that a retry runs the request again. */
export async function releaseIdempotencyKey(db: Db, claim: IdempotencyClaim): Promise<void> {
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: claim.recordKey,
        ConditionExpression: '#owner = :owner AND #status = :inProgress',
        ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
        ExpressionAttributeValues: { ':owner': claim.owner, ':inProgress': 'in-progress' },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
