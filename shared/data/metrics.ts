/**
 * Service-metric uploads: one version per upload of an institution for a period, every version
 * kept for audit, exactly one current.
 *
 * Keys (built in ./keys.ts, `metricKeys`):
 *   METRICS_UPLOAD#{uploadId} / ROWS#{firstTeamId}                   a chunk of one upload's rows (teams in id order)
 *   INSTITUTION#{i}#METRICS#{period} / VERSION#{000001}              a version header (who, when, which upload)
 *   DISTRICT#{d}#METRICS#{period} / CURRENT#INSTITUTION#{i}          the current-version pointer
 *
 * Rows are stored in chunks (at most MAX_ROWS_PER_CHUNK teams and about MAX_CHUNK_BYTES each,
 * far below the 400 KB item limit), each chunk's values as one compact JSON string
 * (`encodeChunk`), rather than one item per team: DynamoDB bills writes per item rounded up to
 * 1 KB, and DynamoDB Local writes about 2,500 items (or nested attributes) a second whatever the
 * concurrency, so 20,000 one-team items took 8-10 s where 20 string chunks take about 0.1 s. A
 * chunk is keyed by its first team id, so one team's row is one query (the last chunk whose key
 * is <= the team id) and pages of rows follow team order.
 *
 * Writing (`writeMetricsVersion`): the chunks go first, under a fresh uploadId, with batch writes
 * (25 per request, several in flight, unprocessed items resent), since a large upload does not fit
 * a 100-item transaction. Then one transaction makes the upload current: it checks the period is
 * open, moves the pointer from version N-1 to N (condition `version = N-1`, or
 * `attribute_not_exists` for the first) and creates the header VERSION#N (attribute_not_exists).
 * Two concurrent uploads cannot both become version N: the loser re-reads the pointer and becomes
 * N+1 (its rows, being under its own uploadId, need no rewrite). Readers only ever follow the
 * pointer, so a half-written upload is never visible; rows of an upload that never became
 * current are deleted on a best-effort basis and are unreachable either way.
 *
 * Reading for the evaluation engine (`currentMetricsOfDistrict`): one strongly consistent query
 * of DISTRICT#{d}#METRICS#{period} gives every institution's pointer (uploadId, version, row
 * count), then one query per institution reads exactly the current rows from the upload's own
 * partition. There is deliberately no second "current values per team" copy to keep in step with
 * the pointer: the pointer names the rows, so index and pointer cannot disagree, and an upload
 * writes its rows once.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../domain/errors.ts';
import { batchWrite } from './batch.ts';
import type { Db } from './db.ts';
import { entityOf, newId } from './items.ts';
import { keys, metricKeys } from './keys.ts';
import { cursorOf, type Page, readCursor } from './pagination.ts';
import { periodOpenCheck } from './period-status.ts';
import { queryPage } from './query.ts';
import { transactWrite } from './transact.ts';
import * as z from 'zod';

export type MetricsFormat = 'csv' | 'json' | 'seed';

export interface MetricsRow {
  teamId: string;
  values: Record<string, number>;
}

export interface MetricsVersion {
  districtId: string;
  institutionId: string;
  period: string;
  version: number;
  uploadId: string;
  /** token subject of the uploader */
  uploadedBy: string;
  uploadedAt: string;
  rowCount: number;
  /** the metric codes the upload carries, in catalogue order */
  codes: string[];
  format: MetricsFormat;
  /** the version of the district's metric catalogue the upload was checked against */
  catalogueVersion: number;
  /** sha256 of the request body, when uploaded over HTTP */
  bodySha256?: string;
  /** why this version was written other than by an upload: `appeal {appealId}` for an accepted appeal's corrected value */
  reason?: string;
}

export type NewMetricsUpload = Omit<MetricsVersion, 'version' | 'uploadId' | 'rowCount'> & { rows: readonly MetricsRow[] };

export interface CurrentTeamMetrics {
  teamId: string;
  institutionId: string;
  version: number;
  values: Record<string, number>;
}

const FLIP_ATTEMPTS = 8;
export const MAX_ROWS_PER_CHUNK = 1000;
/** of the encoded rows; with the other attributes a chunk stays far below the 400 KB item limit */
export const MAX_CHUNK_BYTES = 96 * 1024;

/** Encoded size of a row in a chunk: `["team-id",1,2,…],` */
function encodedSize(row: MetricsRow): number {
  let size = row.teamId.length + 4;
  for (const value of Object.values(row.values)) size += String(value).length + 1;
  return size;
}

/** Rows in team-id order, cut into chunks of at most `maxRows` rows and about `maxBytes` encoded. */
export function chunkRows(rows: readonly MetricsRow[], limits: { maxRows?: number; maxBytes?: number } = {}): MetricsRow[][] {
  const maxRows = limits.maxRows ?? MAX_ROWS_PER_CHUNK;
  const maxBytes = limits.maxBytes ?? MAX_CHUNK_BYTES;
  const sorted = [...rows].sort((a, b) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  const chunks: MetricsRow[][] = [];
  let current: MetricsRow[] = [];
  let bytes = 0;
  for (const row of sorted) {
    const size = encodedSize(row);
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * A chunk's rows as stored: the codes once, then one array per team, `[teamId, value per code…]`
 * with null for a code the team has no value for, as one JSON string. DynamoDB never needs to
 * look inside the values, and a string attribute is far cheaper to write than thousands of
 * nested map attributes (on DynamoDB Local about 25 times faster for the same rows).
 */
export function encodeChunk(rows: readonly MetricsRow[]): { codes: string[]; rows: string } {
  const codes: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const code of Object.keys(row.values)) {
      if (!seen.has(code)) {
        seen.add(code);
        codes.push(code);
      }
    }
  }
  return { codes, rows: JSON.stringify(rows.map((r) => [r.teamId, ...codes.map((code) => r.values[code] ?? null)])) };
}

export function decodeChunk(chunk: { codes: string[]; rows: string }): MetricsRow[] {
  return (JSON.parse(chunk.rows) as [string, ...(number | null)[]][]).map(([teamId, ...cells]) => {
    const values: Record<string, number> = {};
    cells.forEach((value, i) => {
      if (value !== null) values[chunk.codes[i]!] = value;
    });
    return { teamId, values };
  });
}

/** A chunk item; exported for bulk imports that build items themselves. */
export function metricsChunkItem(
  uploadId: string,
  upload: Pick<MetricsVersion, 'districtId' | 'institutionId' | 'period'>,
  rows: readonly MetricsRow[],
): Record<string, unknown> {
  return {
    ...metricKeys.chunk(uploadId, rows[0]!.teamId),
    entity: 'metrics-rows',
    uploadId,
    districtId: upload.districtId,
    institutionId: upload.institutionId,
    period: upload.period,
    rowCount: rows.length,
    ...encodeChunk(rows),
  };
}

function versionOf(item: Record<string, unknown>): MetricsVersion {
  return entityOf<MetricsVersion>(item);
}

async function deleteChunks(db: Db, uploadId: string, chunks: readonly MetricsRow[][]): Promise<void> {
  try {
    await batchWrite(
      db,
      chunks.map((c) => ({ DeleteRequest: { Key: metricKeys.chunk(uploadId, c[0]!.teamId) } })),
      4,
    );
  } catch {
    // Best effort: rows of an upload no pointer names are never read.
  }
}

/**
 * Stores an upload as the institution's next version for the period and makes it current.
 * Throws conflict `period-closed` when the period is (or became) closed; nothing is then visible.
 */
export async function writeMetricsVersion(
  db: Db,
  upload: NewMetricsUpload,
  options: {
    concurrency?: number;
    maxRowsPerChunk?: number /** an accepted appeal's correction: written while the period is closed to uploads */;
    correction?: boolean;
  } = {},
): Promise<MetricsVersion> {
  const uploadId = newId('upload');
  const { rows, ...meta } = upload;
  const chunks = chunkRows(rows, { maxRows: options.maxRowsPerChunk });
  try {
    await batchWrite(
      db,
      chunks.map((chunk) => ({ PutRequest: { Item: metricsChunkItem(uploadId, meta, chunk) } })),
      options.concurrency ?? 4,
    );
  } catch (error) {
    await deleteChunks(db, uploadId, chunks);
    throw error;
  }

  for (let attempt = 1; attempt <= FLIP_ATTEMPTS; attempt++) {
    const current = await getCurrentMetricsVersion(db, meta.districtId, meta.institutionId, meta.period);
    // this upload is current already: an earlier attempt committed though its answer was lost (a timeout); never a second version
    if (current?.uploadId === uploadId) return current;
    const version: MetricsVersion = { ...meta, version: (current?.version ?? 0) + 1, uploadId, rowCount: rows.length };
    const periodCheck = options.correction ? [] : [periodOpenCheck(db, meta.districtId, meta.period, meta.uploadedAt)];
    const result = await transactWrite(db, [
      ...periodCheck,
      {
        Put: {
          TableName: db.tableName,
          Item: { ...metricKeys.pointer(meta.districtId, meta.period, meta.institutionId), entity: 'metrics-pointer', ...version },
          ...(current
            ? {
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': current.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      {
        Put: {
          TableName: db.tableName,
          Item: { ...metricKeys.version(meta.institutionId, meta.period, version.version), entity: 'metrics-version', ...version },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    if (result.ok) return version;
    if (periodCheck.length > 0 && result.reasons[0] === 'ConditionalCheckFailed') {
      await deleteChunks(db, uploadId, chunks);
      throw conflict('period-closed', `Period ${meta.period} is closed to uploads; an administrator can reopen it`);
    }
    // Another upload became version N first: try again as N+1.
  }
  await deleteChunks(db, uploadId, chunks);
  throw conflict('upload-contended', 'Other uploads for this institution and period kept arriving at the same moment; retry');
}

/** The current version of an institution's upload for a period (strongly consistent), if any. */
export async function getCurrentMetricsVersion(db: Db, districtId: string, institutionId: string, period: string): Promise<MetricsVersion | null> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: metricKeys.pointer(districtId, period, institutionId), ConsistentRead: true }),
  );
  return result.Item ? versionOf(result.Item) : null;
}

export async function getMetricsVersion(db: Db, institutionId: string, period: string, version: number): Promise<MetricsVersion | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: metricKeys.version(institutionId, period, version) }));
  return result.Item ? versionOf(result.Item) : null;
}

/** Versions of an institution's upload for a period, newest first. */
export function listMetricsVersions(db: Db, institutionId: string, period: string, limit: number, cursor?: string): Promise<Page<MetricsVersion>> {
  return queryPage(
    db,
    {
      partition: metricKeys.versionsOf(institutionId, period),
      sortKeyPrefix: { attribute: 'sk', prefix: metricKeys.versionPrefix },
      limit,
      cursor,
      scanForward: false,
    },
    versionOf,
  );
}

interface StoredChunk {
  sk: string;
  codes: string[];
  rows: string;
}

interface ChunkItem {
  sk: string;
  rows: MetricsRow[];
}

async function queryChunks(
  db: Db,
  uploadId: string,
  from: string | undefined,
  limit: number,
  exclusiveStart?: Record<string, unknown>,
): Promise<{ chunks: ChunkItem[]; lastKey: Record<string, unknown> | undefined }> {
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: from === undefined ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': metricKeys.rowsOfUpload(uploadId).pk,
        ...(from === undefined ? { ':prefix': metricKeys.chunkPrefix } : { ':from': from, ':to': `${metricKeys.chunkPrefix}\uffff` }),
      },
      ConsistentRead: true,
      Limit: limit,
      ExclusiveStartKey: exclusiveStart,
    }),
  );
  const chunks = ((result.Items ?? []) as StoredChunk[]).map((item) => ({ sk: item.sk, rows: decodeChunk(item) }));
  return { chunks, lastKey: result.LastEvaluatedKey };
}

/** Rows cursor: the chunk to continue in and how many of its rows were already returned. */
function encodeRowsCursor(sk: string, offset: number): string {
  return cursorOf({ s: sk, o: offset });
}

const rowsCursorSchema = z.object({
  // s is a lower bound of a BETWEEN whose upper bound is ROWS#\uffff: above it (in DynamoDB's UTF-8 order) the query is refused
  s: z
    .string()
    .startsWith(metricKeys.chunkPrefix)
    .refine((s) => Buffer.compare(Buffer.from(s), Buffer.from(`${metricKeys.chunkPrefix}\uffff`)) <= 0),
  o: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

function decodeRowsCursor(cursor: string | undefined): { s: string; o: number } | undefined {
  return cursor === undefined ? undefined : readCursor(cursor, rowsCursorSchema);
}

/** One page of an upload's rows, in team-id order. */
export async function listMetricsRows(db: Db, uploadId: string, limit: number, cursor?: string): Promise<Page<MetricsRow>> {
  const start = decodeRowsCursor(cursor);
  const items: MetricsRow[] = [];
  let exclusiveStart: Record<string, unknown> | undefined;
  for (;;) {
    const { chunks, lastKey } = await queryChunks(db, uploadId, start?.s, 4, exclusiveStart);
    for (const [index, chunk] of chunks.entries()) {
      const offset = chunk.sk === start?.s ? start.o : 0;
      const taken = chunk.rows.slice(offset, offset + (limit - items.length));
      items.push(...taken);
      if (items.length === limit) {
        const end = offset + taken.length;
        const more = end < chunk.rows.length || index < chunks.length - 1 || lastKey !== undefined;
        return { items, nextCursor: more ? encodeRowsCursor(chunk.sk, end) : null };
      }
    }
    if (!lastKey) return { items, nextCursor: null };
    exclusiveStart = lastKey;
  }
}

/** Every row of an upload, in team-id order. */
export async function* allMetricsRows(db: Db, uploadId: string): AsyncGenerator<MetricsRow> {
  let exclusiveStart: Record<string, unknown> | undefined;
  do {
    const { chunks, lastKey } = await queryChunks(db, uploadId, undefined, 8, exclusiveStart);
    for (const chunk of chunks) yield* chunk.rows;
    exclusiveStart = lastKey;
  } while (exclusiveStart);
}

/** Every current-version pointer of the partition, strongly consistent. */
async function pointersOf(db: Db, districtId: string, period: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let exclusiveStart: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': metricKeys.uploadsOfDistrict(districtId, period).pk, ':prefix': metricKeys.pointerPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: exclusiveStart,
      }),
    );
    items.push(...(result.Items ?? []));
    exclusiveStart = result.LastEvaluatedKey;
  } while (exclusiveStart);
  return items;
}

/** The current version of every institution of the district that uploaded for the period. */
export async function currentVersionsOfDistrict(db: Db, districtId: string, period: string): Promise<MetricsVersion[]> {
  return (await pointersOf(db, districtId, period)).map(versionOf);
}

export async function institutionsWithUploads(db: Db, districtId: string, period: string): Promise<Set<string>> {
  return new Set((await currentVersionsOfDistrict(db, districtId, period)).map((v) => v.institutionId));
}

/**
 * The current metric values of every team of the district for the period, institution by
 * institution, each following its institution's pointer. For the evaluation engine.
 */
export async function* streamCurrentMetricsOfDistrict(db: Db, districtId: string, period: string): AsyncGenerator<CurrentTeamMetrics> {
  for (const pointer of await currentVersionsOfDistrict(db, districtId, period)) {
    for await (const row of allMetricsRows(db, pointer.uploadId)) {
      yield { teamId: row.teamId, institutionId: pointer.institutionId, version: pointer.version, values: row.values };
    }
  }
}

/** The same as a map by team id. */
export async function currentMetricsOfDistrict(
  db: Db,
  districtId: string,
  period: string,
): Promise<Map<string, { values: Record<string, number>; institutionId: string; version: number }>> {
  const result = new Map<string, { values: Record<string, number>; institutionId: string; version: number }>();
  for await (const { teamId, ...rest } of streamCurrentMetricsOfDistrict(db, districtId, period)) result.set(teamId, rest);
  return result;
}

/** The ids of an institution's teams (only the ids are read), for checking an upload. */
export async function teamIdsOfInstitution(db: Db, institution: { districtId: string; institutionId: string }): Promise<Set<string>> {
  const ids = new Set<string>();
  const within = keys.teamsOfInstitution(institution.institutionId);
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND begins_with(#s, :s)',
        ExpressionAttributeNames: { '#s': within.attribute },
        ExpressionAttributeValues: { ':p': keys.teamsOfDistrict(institution.districtId).gsi2pk, ':s': within.prefix },
        ProjectionExpression: 'teamId',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) ids.add(item.teamId as string);
    start = result.LastEvaluatedKey;
  } while (start);
  return ids;
}
