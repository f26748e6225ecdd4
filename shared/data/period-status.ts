/**
 * A district period's lifecycle record (the states and what they allow are decided in
 * shared/domain/period-lifecycle.ts; this module enforces each transition with a conditional
 * write on the stored state).
 * Keys: DISTRICT#{districtId} / PERIOD#{period}#STATUS. No item means `open` with the district's
 * default deadline. Attributes: `state`; `status` (`open` while the state is `open`, else
 * `closed`: what the upload transaction checks, with `deadlineAt`); `deadlineAt`, `reviewEndsAt`,
 * `publishedAt`; `officialRunId` and `officialRuns` (every run that was official, oldest first,
 * with the reason it replaced the one before); `openAppeals` (appeals filed and not decided: a
 * publish's window can only become final at 0, and filing increments it only while the window is
 * open, both on this item, so a filing racing the window's end and the finalisation have one
 * outcome); `history`, one entry per transition (action, from, to, who, when, why): the record is
 * its own audit trail. Each transition is also one entry of the district's general audit log,
 * written in the same transaction (./audit-log.ts).
 *
 * Uploads check the state early (a clear 409 before any work) and again inside the transaction
 * that makes a new version current (`periodOpenCheck`, which also compares the deadline with the
 * upload's time), so a close or a deadline racing an upload is never lost.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { assertTransition, DEFAULT_DATA_DEADLINE_DAYS, dataDeadlineAt, type PeriodAction, type PeriodState, TRANSITIONS } from '../domain/period-lifecycle.ts';
import { conflict } from '../domain/errors.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { actingNameOf } from './acting-person.ts';
import { auditLogPut } from './audit-log.ts';
import { metricKeys } from './keys.ts';
import { transactWrite } from './transact.ts';

export type { PeriodState };

export interface PeriodTransition {
  action: PeriodAction;
  from: PeriodState;
  to: PeriodState;
  by: string;
  /** who, by the name they had when they acted (shared/data/acting-person.ts) */
  byName?: string;
  at: string;
  reason?: string;
  evaluationId?: string;
}

export interface OfficialRun {
  evaluationId: string;
  criteriaVersion: number;
  startedBy: string;
  startedByName?: string;
  completedAt: string;
  /** why it replaced the previous official run (a rerun's reason, or the appeals it corrects) */
  reason?: string;
}

export interface PeriodStatus {
  districtId: string;
  period: string;
  /** `open` while uploads are accepted by state (the deadline is `deadlineAt`) */
  status: 'open' | 'closed';
  state: PeriodState;
  deadlineAt: string;
  reviewEndsAt?: string;
  publishedAt?: string;
  officialRunId?: string;
  officialRuns: OfficialRun[];
  openAppeals: number;
  history: PeriodTransition[];
  updatedAt?: string;
}

function fromItem(districtId: string, period: string, item: Record<string, unknown> | undefined, defaultDeadlineAt: string): PeriodStatus {
  const state = (item?.state as PeriodState | undefined) ?? (item?.status === 'closed' ? 'deadline-passed' : 'open');
  return {
    districtId,
    period,
    status: state === 'open' ? 'open' : 'closed',
    state,
    deadlineAt: typeof item?.deadlineAt === 'string' ? item.deadlineAt : defaultDeadlineAt,
    ...(typeof item?.reviewEndsAt === 'string' ? { reviewEndsAt: item.reviewEndsAt } : {}),
    ...(typeof item?.publishedAt === 'string' ? { publishedAt: item.publishedAt } : {}),
    ...(typeof item?.officialRunId === 'string' ? { officialRunId: item.officialRunId } : {}),
    officialRuns: (item?.officialRuns as OfficialRun[] | undefined) ?? [],
    openAppeals: Number(item?.openAppeals ?? 0),
    history: (item?.history as PeriodTransition[] | undefined) ?? [],
    ...(typeof item?.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
  };
}

/** The record (strongly consistent); `deadlineDays` gives the deadline of a period nothing was stored for. */
export async function getPeriodStatus(db: Db, districtId: string, period: string, deadlineDays = DEFAULT_DATA_DEADLINE_DAYS): Promise<PeriodStatus> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: metricKeys.periodStatus(districtId, period), ConsistentRead: true }));
  return fromItem(districtId, period, result.Item, dataDeadlineAt(period, deadlineDays));
}

export interface TransitionRequest {
  districtId: string;
  period: string;
  action: PeriodAction;
  by: string;
  /** the name of `by` when the writer is not the request's person (a run that completes later) */
  byName?: string | undefined;
  at: string;
  reason?: string | undefined;
  evaluationId?: string | undefined;
  /** the deadline to store when the record is created by this write */
  deadlineAt: string;
  /** further attributes to set */
  set?: Record<string, unknown>;
  /** appended to the official runs */
  officialRun?: OfficialRun;
  /** added to the count of open appeals (a correction run uncounts the appeals it corrects) */
  addToOpenAppeals?: number;
  /** a further condition (with its values) on top of the stored state */
  condition?: { expression: string; values: Record<string, unknown> };
}

/**
 * Moves the period along one transition, conditioned on the stored state being one the action
 * may start from (and on `condition`). On a failed condition it throws the domain's 409 for the
 * state found (`period-state-conflict`), or, if the state allows the action, `period-changed`
 * (the extra condition failed: e.g. an appeal arrived).
 */
export async function transitionPeriod(db: Db, request: TransitionRequest): Promise<PeriodStatus> {
  const { districtId, period, action, by, at } = request;
  const { from, to } = TRANSITIONS[action];
  const values: Record<string, unknown> = {
    ':to': to,
    ':status': to === 'open' ? 'open' : 'closed',
    ':entity': 'period-status',
    ':d': districtId,
    ':p': period,
    ':at': at,
    ':none': [],
    ...Object.fromEntries(from.map((state, i) => [`:from${i}`, state])),
    ...request.condition?.values,
  };
  const names: Record<string, string> = { '#state': 'state', '#status': 'status' };
  const sets = [
    '#state = :to',
    '#status = :status',
    'entity = :entity',
    'districtId = :d',
    'period = :p',
    'updatedAt = :at',
    'history = list_append(if_not_exists(history, :none), :entry)',
  ];
  if (!request.set || !('deadlineAt' in request.set)) {
    values[':deadline'] = request.deadlineAt;
    sets.push('deadlineAt = if_not_exists(deadlineAt, :deadline)');
  }
  Object.entries(request.set ?? {}).forEach(([key, value], i) => {
    names[`#s${i}`] = key;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  if (request.addToOpenAppeals) {
    values[':appealDelta'] = request.addToOpenAppeals;
    values[':zero'] = 0;
    sets.push('openAppeals = if_not_exists(openAppeals, :zero) + :appealDelta');
  }
  if (request.officialRun) {
    values[':run'] = [request.officialRun];
    sets.push('officialRuns = list_append(if_not_exists(officialRuns, :none), :run)');
  }
  const stateCondition = `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`;
  const fromCondition = from.includes('open') ? `(attribute_not_exists(pk) OR ${stateCondition})` : stateCondition;
  const condition = request.condition ? `${fromCondition} AND (${request.condition.expression})` : fromCondition;

  // The from state is written in the entry as read: the condition guarantees it is one of `from`.
  const before = await getPeriodStatus(db, districtId, period);
  const byName = request.byName ?? actingNameOf(by);
  const entry: PeriodTransition = {
    action,
    from: before.state,
    to,
    by,
    ...(byName ? { byName } : {}),
    at,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.evaluationId ? { evaluationId: request.evaluationId } : {}),
  };
  values[':entry'] = [entry];
  values[':fromread'] = before.state;
  const summary = { from: before.state, to, ...(request.evaluationId ? { evaluationId: request.evaluationId } : {}) };
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: metricKeys.periodStatus(districtId, period),
        UpdateExpression: `SET ${sets.join(', ')}`,
        // the state read is the state written over, so the history's `from` is exact
        ConditionExpression: `${condition} AND (attribute_not_exists(pk) OR #state = :fromread)`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    auditLogPut(db, { at, by, byName, action: `period.${action}`, entityType: 'period', entityId: period, districtId, reason: request.reason, summary }),
  ]);
  if (result.ok) {
    const written = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: metricKeys.periodStatus(districtId, period), ConsistentRead: true }));
    return fromItem(districtId, period, written.Item, request.deadlineAt);
  }
  const now = await getPeriodStatus(db, districtId, period);
  assertTransition(action, now.state, period);
  throw conflict('period-changed', `Period ${period} changed meanwhile; reload and try again`, { period, state: now.state });
}

/** Closes the period to uploads (open → deadline-passed); closing a closed period changes nothing. */
export async function closePeriod(
  db: Db,
  districtId: string,
  period: string,
  by: string,
  at = new Date().toISOString(),
  deadlineDays = DEFAULT_DATA_DEADLINE_DAYS,
): Promise<PeriodStatus> {
  const current = await getPeriodStatus(db, districtId, period, deadlineDays);
  if (current.state !== 'open') return current;
  try {
    return await transitionPeriod(db, { districtId, period, action: 'close', by, at, deadlineAt: current.deadlineAt });
  } catch (error) {
    if ((error as { kind?: string }).kind === 'conflict') return getPeriodStatus(db, districtId, period, deadlineDays);
    throw error;
  }
}

/**
 * Reopens the period to uploads until `until` (an administrator's action; the reason and the
 * "only before final" rule are checked by the caller with the domain's assertReopen). Reopening
 * a period that is open and before its deadline changes nothing.
 */
export async function reopenPeriod(
  db: Db,
  districtId: string,
  period: string,
  by: string,
  at = new Date().toISOString(),
  options: { reason?: string; until?: string; deadlineDays?: number } = {},
): Promise<PeriodStatus> {
  const current = await getPeriodStatus(db, districtId, period, options.deadlineDays);
  if (current.state === 'open' && at < current.deadlineAt) return current;
  // never earlier than the period's own deadline (a period closed early and reopened keeps it)
  const extended = new Date(Date.parse(at) + (options.deadlineDays ?? DEFAULT_DATA_DEADLINE_DAYS) * 86_400_000).toISOString();
  const until = options.until ?? (extended > current.deadlineAt ? extended : current.deadlineAt);
  return transitionPeriod(db, { districtId, period, action: 'reopen', by, at, reason: options.reason, deadlineAt: until, set: { deadlineAt: until } });
}

/**
 * A transaction item that fails (ConditionalCheckFailed) when the period no longer takes uploads
 * at `at`: its state is past `open`, or its stored deadline is not after `at`.
 */
export function periodOpenCheck(db: Db, districtId: string, period: string, at: string) {
  return {
    ConditionCheck: {
      TableName: db.tableName,
      Key: metricKeys.periodStatus(districtId, period),
      ConditionExpression: 'attribute_not_exists(pk) OR (#status <> :closed AND (attribute_not_exists(deadlineAt) OR deadlineAt > :at))',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed', ':at': at },
    },
  };
}

/** Creates the record with its deadline if there is none yet (uploads then check the stored deadline in their transaction). */
export async function ensurePeriodRecord(db: Db, districtId: string, period: string, deadlineAt: string, at: string): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: metricKeys.periodStatus(districtId, period),
        UpdateExpression: 'SET #state = :open, #status = :open, entity = :entity, districtId = :d, period = :p, deadlineAt = :deadline, updatedAt = :at',
        ConditionExpression: 'attribute_not_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':entity': 'period-status', ':d': districtId, ':p': period, ':deadline': deadlineAt, ':at': at },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** Transaction item of an appeal's filing: the period is published and its window still open at `at`; counts the appeal as open. */
export function appealFilingUpdate(db: Db, districtId: string, period: string, at: string) {
  return {
    Update: {
      TableName: db.tableName,
      Key: metricKeys.periodStatus(districtId, period),
      UpdateExpression: 'ADD openAppeals :one SET updatedAt = :at',
      ConditionExpression: '#state = :published AND reviewEndsAt > :at',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':one': 1, ':published': 'published', ':at': at },
    },
  };
}

/** Transaction item of an appeal's decision: one open appeal fewer. */
export function appealDecidedUpdate(db: Db, districtId: string, period: string, at: string) {
  return {
    Update: {
      TableName: db.tableName,
      Key: metricKeys.periodStatus(districtId, period),
      UpdateExpression: 'ADD openAppeals :minus SET updatedAt = :at',
      ConditionExpression: 'openAppeals > :zero',
      ExpressionAttributeValues: { ':minus': -1, ':zero': 0, ':at': at },
    },
  };
}
