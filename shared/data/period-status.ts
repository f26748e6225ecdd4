/**
 * Whether a district's period is open to metric uploads. A period whose evaluation has been
 * approved for payment is closed (finance approval calls `closePeriod`); only an administrator
 * reopens it.
 * Keys: DISTRICT#{districtId} / PERIOD#{period}#STATUS. No item means open. Each change appends
 * to `history` (who, when), so the record is its own audit trail.
 *
 * Uploads check the status early (a clear 409 before any work) and again inside the transaction
 * that makes a new version current (`periodOpenCheck`), so a close racing an upload is never lost:
 * either the version became current before the close, or the upload is refused.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { metricKeys } from './keys.ts';

export type PeriodState = 'open' | 'closed';

export interface PeriodStatusChange {
  action: 'close' | 'reopen';
  by: string;
  at: string;
  /** why an administrator closed or reopened it (the pages ask for it on reopening) */
  reason?: string;
}

export interface PeriodStatus {
  districtId: string;
  period: string;
  status: PeriodState;
  history: PeriodStatusChange[];
  updatedAt?: string;
}

function fromItem(districtId: string, period: string, item: Record<string, unknown> | undefined): PeriodStatus {
  if (!item) return { districtId, period, status: 'open', history: [] };
  return {
    districtId,
    period,
    status: item.status === 'closed' ? 'closed' : 'open',
    history: (item.history as PeriodStatusChange[] | undefined) ?? [],
    ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
  };
}

export async function getPeriodStatus(db: Db, districtId: string, period: string): Promise<PeriodStatus> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: metricKeys.periodStatus(districtId, period), ConsistentRead: true }));
  return fromItem(districtId, period, result.Item);
}

export async function isPeriodClosed(db: Db, districtId: string, period: string): Promise<boolean> {
  return (await getPeriodStatus(db, districtId, period)).status === 'closed';
}

async function change(db: Db, districtId: string, period: string, to: PeriodState, by: string, at: string, reason?: string): Promise<PeriodStatus> {
  const entry: PeriodStatusChange = { action: to === 'closed' ? 'close' : 'reopen', by, at, ...(reason ? { reason } : {}) };
  try {
    const result = await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: metricKeys.periodStatus(districtId, period),
        UpdateExpression:
          'SET #status = :to, entity = :entity, districtId = :d, period = :p, updatedAt = :at, history = list_append(if_not_exists(history, :none), :entry)',
        ConditionExpression: to === 'closed' ? 'attribute_not_exists(pk) OR #status <> :to' : '#status = :closed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':to': to,
          ':entity': 'period-status',
          ':d': districtId,
          ':p': period,
          ':at': at,
          ':none': [],
          ':entry': [entry],
          ...(to === 'open' ? { ':closed': 'closed' } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem(districtId, period, result.Attributes);
  } catch (error) {
    // Already in the wanted state: closing a closed period or reopening an open one changes nothing.
    if (isConditionalCheckFailed(error)) return getPeriodStatus(db, districtId, period);
    throw error;
  }
}

/** Closes the period to uploads; closing a closed period changes nothing. */
export function closePeriod(db: Db, districtId: string, period: string, by: string, at = new Date().toISOString(), reason?: string): Promise<PeriodStatus> {
  return change(db, districtId, period, 'closed', by, at, reason);
}

/** Reopens a closed period; reopening an open period changes nothing. */
export function reopenPeriod(db: Db, districtId: string, period: string, by: string, at = new Date().toISOString(), reason?: string): Promise<PeriodStatus> {
  return change(db, districtId, period, 'open', by, at, reason);
}

/** A transaction item that fails (ConditionalCheckFailed) when the period is closed. */
export function periodOpenCheck(db: Db, districtId: string, period: string) {
  return {
    ConditionCheck: {
      TableName: db.tableName,
      Key: metricKeys.periodStatus(districtId, period),
      ConditionExpression: 'attribute_not_exists(pk) OR #status <> :closed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed' },
    },
  };
}
