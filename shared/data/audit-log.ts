/**
 * The general audit log repository: who did what to which entity of a district, and why.
 *
 * Keys (./keys.ts, `auditLogKeys`):
 *   DISTRICT#{d}#AUDIT#{yyyy-mm} / {at}#{entryId}     one entry; `yyyy-mm` is the UTC month of `at`
 *
 * A district's log for a date range is read newest first, month partition by month partition,
 * each with `sk BETWEEN from AND to` in descending order: never a scan, and a busy month stays
 * one partition of small items. Filters (action, actor, entity type, institution) are
 * FilterExpressions inside those reads; a page stops after a bounded number of reads and hands
 * back a cursor (month and last key), so a rare filter value cannot make one request read a year.
 *
 * An entry is written in the same transaction as the change it records: the repositories that
 * make a recorded change add `auditLogPut(db, entry)` to their TransactWrite items (a change that
 * was a single conditional write became a transaction for it), so an entry exists exactly when
 * its change happened. The Put is conditional on a fresh key. Nothing ever updates or deletes an
 * entry. The one exception is an invitation: its change happens in the identity provider, not
 * in the table, so its entry is written after the provider accepted it.
 *
 * Who: `by` is the token subject (the `actor` filter, `actorId` in the API), `byName` the
 * person's display name as the token gave it when the entry was recorded (./acting-person.ts;
 * the subject when the token had none or the change was made by background work), so the log is
 * read without looking anyone up.
 *
 * Entries never hold personal data; a staff member's name is not that (shared/domain/audit-log.ts).
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type AuditAction, type AuditEntityType, type AuditRole, type AuditSummary, actingRole, boundedSummary } from '../domain/audit-log.ts';
import { actingNameOf } from './acting-person.ts';
import type { Db } from './db.ts';
import { entityOf, newId } from './items.ts';
import { auditLogKeys } from './keys.ts';
import { badCursor, cursorOf, type Page, readCursor } from './pagination.ts';

export interface AuditLogEntry {
  entryId: string;
  /** UTC ISO instant of the change */
  at: string;
  /** the token subject */
  by: string;
  /** the acting person's display name when the entry was recorded (the subject when none was given) */
  byName: string;
  byRole: AuditRole;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  districtId: string;
  institutionId?: string;
  reason?: string;
  summary?: AuditSummary;
}

/** What a recorded change says about itself; the id, the role (from the action) and the name are filled in. */
export interface AuditLogInput {
  at: string;
  by: string;
  /** the name to record when the writer is not the request's person (work a person started earlier) */
  byName?: string | undefined;
  byRole?: AuditRole;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  districtId: string;
  institutionId?: string | undefined;
  reason?: string | undefined;
  summary?: AuditSummary | undefined;
}

export function auditLogEntry(input: AuditLogInput): AuditLogEntry {
  return {
    entryId: newId('audit'),
    at: input.at,
    by: input.by,
    byName: input.byName ?? actingNameOf(input.by) ?? input.by,
    byRole: input.byRole ?? actingRole(input.action, input.by),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    districtId: input.districtId,
    ...(input.institutionId ? { institutionId: input.institutionId } : {}),
    ...(input.reason ? { reason: input.reason.slice(0, 1000) } : {}),
    ...(input.summary && Object.keys(input.summary).length > 0 ? { summary: boundedSummary(input.summary) } : {}),
  };
}

function auditLogItem(entry: AuditLogEntry): Record<string, unknown> {
  return { ...auditLogKeys.entry(entry.districtId, entry.at, entry.entryId), entity: 'audit-log', ...entry };
}

/** The Put of an entry, for the TransactWrite items of the change it records. */
export function auditLogPut(db: Db, input: AuditLogInput) {
  return { Put: { TableName: db.tableName, Item: auditLogItem(auditLogEntry(input)), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** An entry on its own: only for a change made outside the table (an invitation in the identity provider). */
export async function putAuditLogEntry(db: Db, input: AuditLogInput): Promise<AuditLogEntry> {
  const entry = auditLogEntry(input);
  await db.doc.send(new PutCommand({ TableName: db.tableName, Item: auditLogItem(entry), ConditionExpression: 'attribute_not_exists(pk)' }));
  return entry;
}

export interface AuditLogQuery {
  /** inclusive UTC instants (shared/domain/audit-log.ts auditRange bounds the span) */
  from: string;
  to: string;
  action?: AuditAction | undefined;
  by?: string | undefined;
  entityType?: AuditEntityType | undefined;
  institutionId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Reads per page: a page with a rare filter value ends early with a cursor rather than reading on. */
const MAX_READS_PER_PAGE = 12;

/** The UTC months from `to`'s back to `from`'s, newest first. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(to.slice(0, 4));
  let month = Number(to.slice(5, 7));
  const first = from.slice(0, 7);
  for (;;) {
    const label = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (label < first) break;
    months.push(label);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

const cursorSchema = z.strictObject({ m: z.string().regex(/^\d{4}-\d{2}$/), k: z.string().min(1).optional() });

/** A district's entries in the range, newest first, filtered; see the header for the bounded reads. */
export async function queryAuditLog(db: Db, districtId: string, query: AuditLogQuery): Promise<Page<AuditLogEntry>> {
  const months = monthsBetween(query.from, query.to);
  const toKey = `${query.to}\uffff`;
  let position = query.cursor === undefined ? { m: months[0]!, k: undefined as string | undefined } : readCursor(query.cursor, cursorSchema);
  let monthIndex = months.indexOf(position.m);
  // a cursor of another range, or a key outside it, would make DynamoDB refuse the query: refuse the cursor
  if (monthIndex < 0 || (position.k !== undefined && (position.k < query.from || position.k > toKey || position.k.slice(0, 7) !== position.m))) {
    throw badCursor();
  }
  const { filter, names, values } = filterOf(query);
  const items: AuditLogEntry[] = [];
  for (let reads = 0; reads < MAX_READS_PER_PAGE; reads++) {
    const partition = auditLogKeys.month(districtId, position.m).pk;
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ...(filter ? { FilterExpression: filter, ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: { ':pk': partition, ':from': query.from, ':to': toKey, ...values },
        ScanIndexForward: false,
        Limit: query.limit - items.length,
        ...(position.k !== undefined ? { ExclusiveStartKey: { pk: partition, sk: position.k } } : {}),
      }),
    );
    items.push(...(result.Items ?? []).map((item) => entityOf<AuditLogEntry>(item)));
    const lastKey = result.LastEvaluatedKey?.sk as string | undefined;
    if (lastKey !== undefined) {
      position = { m: position.m, k: lastKey };
    } else {
      monthIndex += 1;
      if (monthIndex >= months.length) return { items, nextCursor: null };
      position = { m: months[monthIndex]!, k: undefined };
    }
    if (items.length >= query.limit) break;
  }
  return { items, nextCursor: cursorOf(position.k === undefined ? { m: position.m } : position) };
}

function filterOf(query: AuditLogQuery): { filter: string; names: Record<string, string>; values: Record<string, unknown> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const add = (attribute: string, value: string | undefined) => {
    if (value === undefined) return;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    parts.push(`#${attribute} = :${attribute}`);
  };
  add('action', query.action);
  add('by', query.by);
  add('entityType', query.entityType);
  add('institutionId', query.institutionId);
  return { filter: parts.join(' AND '), names, values };
}
