/**
 * Settlements repository: incentive payouts and subsidy settlements, their lines, their audit
 * log, the district's finance settings, and the one approved settlement in force per period.
 *
 * Keys (built in ./keys.ts, `settlementKeys`):
 *   SETTLEMENT#{id} / SETTLEMENT                        the header: parameters, totals, status, fingerprint,
 *                                                       `computationId` (which lines are current), `revision`
 *     gsi1 DISTRICT#{d}#SETTLEMENTS / {createdAt}#{id}  a district's settlements
 *   SETTLEMENT#{id} / AUDIT#{revision:06}               one entry per action (create, recompute, approve, close)
 *   SETTLEMENT_LINES#{computationId} / TEAM#{institutionId}#{teamId}
 *                                    / MEMBER#{institutionId}#{teamId}#{memberId}
 *                                    / INSTITUTION#{institutionId}
 *   DISTRICT#{d} / SETTLEMENT#{period}#IN_FORCE         the approved settlement in force for the period
 *   DISTRICT#{d} / FINANCE_SETTINGS                     default role shares and key-population weights
 *   DISTRICT#{d} / SUBSIDY_PAID                         `ranges`: the pieces of contract-days each approved settlement
 *                                                       paid ({start, end, settlementId, period, from?, until?}:
 *                                                       shared/domain/money/contract-paid-days.ts), `version`
 *
 * Lines are one item each, written with batch writes (a province's settlement has 100k+ lines,
 * far beyond a 100-item transaction) under a fresh computation id BEFORE the header names them.
 * The header then moves to them in one transaction with its audit entry (condition: still a
 * draft, still at the computation and revision the caller read), so a reader that follows the
 * header's pointer sees all of one computation's lines or all of the other's, never a mix. Lines
 * of a computation that lost or was replaced are deleted afterwards, best effort; nothing names
 * them. Line queries are strongly consistent, so lines written before the flip are all visible.
 *
 * Every change of the header is a conditional update in a transaction with its audit entry
 * (`attribute_not_exists` on AUDIT#{revision+1}): an approved settlement never changes, and two
 * concurrent actions cannot both succeed from the same revision.
 *
 * Four-eyes: the header's `participants` lists everyone who created it, recomputed it or set any
 * of its parameters, in any revision (each recompute appends its officer in the same update). The
 * approval's condition includes `NOT contains(participants, :approver)`, so nobody who shaped the
 * numbers approves them, whatever happened between the read and the write.
 *
 * Subsidy days once: a settlement is computed against the district's SUBSIDY_PAID item at some
 * `version` (kept on the header as `paidCoverageVersion`), on the registry as of `paidDaysAsOf`,
 * and pays only the contract-days no piece covers.
 * Its approval writes the pieces it paid into that item in the same transaction, under the
 * condition that the version is still the one computed against; a settlement approved meanwhile
 * over the same days makes the approval fail (`subsidy-days-changed`: recompute). A correction
 * replaces the pieces of the settlement it corrects.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import type { LineKind, MemberLine, PayoutHistogram, SettlementLine, SettlementTotals } from '../domain/settlements/compute.ts';
import type { ResidentWeights, SettlementParameters } from '../domain/settlements/parameters.ts';
import type { PaidRange } from '../domain/money/subsidy-days.ts';
import { batchWrite } from './batch.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { metricKeys, settlementKeys } from './keys.ts';
import { cursorOf, type Page, readCursor } from './pagination.ts';
import { queryPage } from './query.ts';
import { transactWrite } from './transact.ts';
import { actingNameOf } from './acting-person.ts';
import { auditLogPut } from './audit-log.ts';
import type { AuditSummary } from '../domain/audit-log.ts';
import * as z from 'zod';

export type SettlementStatus = 'draft' | 'approved' | 'closed';
export type AuditAction = 'create' | 'recompute' | 'approve' | 'close';

export interface Settlement {
  settlementId: string;
  districtId: string;
  period: string;
  evaluationId: string;
  status: SettlementStatus;
  parameters: SettlementParameters;
  totals: SettlementTotals;
  histogram: PayoutHistogram;
  fingerprint: string;
  /** names the partition of the current lines */
  computationId: string;
  lineCounts: { team: number; member: number; institution: number };
  /** how many audit entries there are; each action adds one */
  revision: number;
  /** an approved (or closed) settlement of the same district and period that this one corrects */
  correctionOf: string | null;
  note: string | null;
  createdBy: string;
  /** the creator's display name when created (./acting-person.ts); absent on headers written before */
  createdByName?: string;
  createdAt: string;
  /** who computed the current lines (the creator, or whoever recomputed last) */
  computedBy: string;
  /** everyone who created, recomputed or set parameters of it, in any revision (absent on headers written before) */
  participants?: string[];
  /** the version of the district's paid-days record the current lines were computed against (absent: 0) */
  paidCoverageVersion?: number;
  /** the instant the registry was read at for the current lines: they paid the contract-days known by then (absent on older headers) */
  paidDaysAsOf?: string;
  computedAt: string;
  approvedBy?: string;
  approvedAt?: string;
  closedBy?: string;
  closedAt?: string;
}

export interface AuditEntry {
  settlementId: string;
  revision: number;
  action: AuditAction;
  by: string;
  /** the officer's display name when the entry was recorded (./acting-person.ts); absent on entries from before names were kept */
  byName?: string;
  at: string;
  status: SettlementStatus;
  computationId: string;
  fingerprint: string;
  /** create and recompute: what was computed with what */
  parameters?: SettlementParameters;
  totals?: Pick<SettlementTotals, 'poolFen' | 'paidFen' | 'unallocatedFen' | 'subsidyFen'>;
  /** approve: whether this approval closed the period to uploads (false when it already was) */
  closedPeriod?: boolean;
  /** approve: the approving officer's comment */
  comment?: string;
}

export interface FinanceSettings {
  districtId: string;
  roleShares: Record<string, string>;
  residentWeights: ResidentWeights;
  updatedBy: string;
  updatedAt: string;
}

export interface SubsidyPaid {
  ranges: PaidRange[];
  version: number;
}

export interface InForce {
  districtId: string;
  period: string;
  settlementId: string;
  approvedAt: string;
}

const LINE_KEY_PREFIX: Record<LineKind, string> = settlementKeys.linePrefix;

function lineKey(computationId: string, line: SettlementLine): { pk: string; sk: string } {
  switch (line.kind) {
    case 'team':
      return settlementKeys.teamLine(computationId, line.institutionId, line.teamId);
    case 'member':
      return settlementKeys.memberLine(computationId, line.institutionId, line.teamId, line.memberId);
    case 'institution':
      return settlementKeys.institutionLine(computationId, line.institutionId);
  }
}

function settlementItem(settlement: Settlement): Record<string, unknown> {
  return {
    ...settlementKeys.settlement(settlement.settlementId),
    ...settlementKeys.settlementListEntry(settlement.districtId, settlement.createdAt, settlement.settlementId),
    entity: 'settlement',
    ...settlement,
  };
}

/** The general audit log's entry of a settlement action (./audit-log.ts), from its own audit entry. */
function settlementLogPut(db: Db, settlement: Pick<Settlement, 'settlementId' | 'districtId' | 'period'>, entry: AuditEntry) {
  const totals: AuditSummary = entry.totals ? { paidFen: entry.totals.paidFen, subsidyFen: entry.totals.subsidyFen } : {};
  return auditLogPut(db, {
    at: entry.at,
    by: entry.by,
    action: `settlement.${entry.action}`,
    entityType: 'settlement',
    entityId: settlement.settlementId,
    districtId: settlement.districtId,
    reason: entry.comment,
    summary: { period: settlement.period, revision: entry.revision, status: entry.status, ...totals },
  });
}

function auditPut(db: Db, entry: AuditEntry) {
  return {
    Put: {
      TableName: db.tableName,
      Item: { ...settlementKeys.audit(entry.settlementId, entry.revision), entity: 'settlement-audit', ...entry, byName: actingNameOf(entry.by) ?? entry.by },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Lines

/** Writes a computation's lines (batch writes; not yet visible: no header names them). */
export async function writeLines(db: Db, settlementId: string, computationId: string, lines: readonly SettlementLine[]): Promise<void> {
  await batchWrite(
    db,
    lines.map((line) => ({
      PutRequest: { Item: { ...lineKey(computationId, line), entity: `settlement-${line.kind}-line`, settlementId, computationId, ...line } },
    })),
    8,
  );
}

/** Deletes a computation's lines; best effort, for lines no header names. */
export async function deleteLines(db: Db, computationId: string): Promise<void> {
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const result = await db.doc.send(
        new QueryCommand({
          TableName: db.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': settlementKeys.linesOf(computationId).pk },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      const keys = (result.Items ?? []).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      if (keys.length > 0) await batchWrite(db, keys, 8);
      start = result.LastEvaluatedKey;
    } while (start);
  } catch {
    // Unreachable lines cost storage, not correctness.
  }
}

function lineOf<T extends SettlementLine>(item: Record<string, unknown>): T {
  const { settlementId: _s, computationId: _c, ...line } = entityOf<T & { settlementId: string; computationId: string }>(item);
  return line as unknown as T;
}

function encodeLinesCursor(computationId: string, sk: string): string {
  return cursorOf({ c: computationId, s: sk });
}

/** The computation a lines cursor was issued for, and where it continues. */
export function decodeLinesCursor(cursor: string, kind: LineKind): { computationId: string; sk: string } {
  const { c, s } = readCursor(cursor, z.object({ c: z.string(), s: z.string().startsWith(LINE_KEY_PREFIX[kind]) }));
  return { computationId: c, sk: s };
}

/** One page of a computation's lines of one kind, in key order (institution, team, member). */
export async function listLines<T extends SettlementLine>(db: Db, computationId: string, kind: T['kind'], limit: number, after?: string): Promise<Page<T>> {
  const pk = settlementKeys.linesOf(computationId).pk;
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': LINE_KEY_PREFIX[kind] },
      ConsistentRead: true,
      Limit: limit,
      ExclusiveStartKey: after === undefined ? undefined : { pk, sk: after },
    }),
  );
  const last = result.LastEvaluatedKey?.sk as string | undefined;
  return { items: (result.Items ?? []).map((item) => lineOf<T>(item)), nextCursor: last === undefined ? null : encodeLinesCursor(computationId, last) };
}

/** Every line of one kind of a computation, page by page. */
export async function* allLines<T extends SettlementLine>(db: Db, computationId: string, kind: T['kind']): AsyncGenerator<T> {
  let after: string | undefined;
  do {
    const page = await listLines<T>(db, computationId, kind, 1000, after);
    yield* page.items;
    after = page.nextCursor ? decodeLinesCursor(page.nextCursor, kind).sk : undefined;
  } while (after);
}

// ---------------------------------------------------------------------------------------------
// Header and audit

export async function getSettlement(db: Db, settlementId: string, consistent = true): Promise<Settlement | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: settlementKeys.settlement(settlementId), ConsistentRead: consistent }));
  return result.Item ? entityOf<Settlement>(result.Item) : null;
}

/** A district's settlements, newest first. */
export function listSettlements(db: Db, districtId: string, limit: number, cursor?: string): Promise<Page<Settlement>> {
  return queryPage(db, { index: 'gsi1', partition: settlementKeys.settlementsOfDistrict(districtId), limit, cursor, scanForward: false }, entityOf<Settlement>);
}

export async function listAudit(db: Db, settlementId: string): Promise<AuditEntry[]> {
  const result = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': settlementKeys.settlement(settlementId).pk, ':prefix': settlementKeys.auditPrefix },
      ConsistentRead: true,
    }),
  );
  // one entry per action: a settlement has a handful, so one page always holds them
  return (result.Items ?? []).map((item) => entityOf<AuditEntry>(item));
}

/** Creates the header (whose lines are already written) with its first audit entry. */
export async function insertSettlement(db: Db, settlement: Settlement, audit: AuditEntry): Promise<void> {
  const result = await transactWrite(db, [
    { Put: { TableName: db.tableName, Item: settlementItem(settlement), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(db, audit),
    settlementLogPut(db, settlement, audit),
  ]);
  if (!result.ok) throw new DomainError('conflict', 'settlement-exists', `Settlement ${settlement.settlementId} already exists`);
}

/**
 * Points a draft at a new computation: one transaction of the header update (condition: still a
 * draft at the computation and revision read) and the audit entry. false when the condition failed.
 */
export async function swapComputation(
  db: Db,
  current: Settlement,
  next: Pick<Settlement, 'computationId' | 'parameters' | 'totals' | 'histogram' | 'fingerprint' | 'lineCounts' | 'computedBy' | 'computedAt'>,
  audit: AuditEntry,
): Promise<boolean> {
  const fields = Object.entries(next);
  const names: Record<string, string> = { '#status': 'status', '#computationId': 'computationId', '#revision': 'revision' };
  const values: Record<string, unknown> = {
    ':draft': 'draft',
    ':previous': current.computationId,
    ':revision': current.revision,
    ':next': current.revision + 1,
  };
  fields.forEach(([key, value], i) => {
    names[`#f${i}`] = key;
    values[`:f${i}`] = value;
  });
  names['#participants'] = 'participants';
  values[':byList'] = [next.computedBy];
  values[':none'] = [];
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: settlementKeys.settlement(current.settlementId),
        UpdateExpression:
          `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}, ` +
          `#revision = :next, #participants = list_append(if_not_exists(#participants, :none), :byList)`,
        ConditionExpression: '#status = :draft AND #computationId = :previous AND #revision = :revision',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    auditPut(db, audit),
    settlementLogPut(db, current, audit),
  ]);
  return result.ok;
}

export type ApprovalOutcome = { ok: true } | { ok: false; failed: 'settlement' | 'in-force' | 'period' | 'paid-days' };

/**
 * Approves a draft in one transaction: the header (condition: a draft at the computation and
 * revision read), its audit entry, the period's in-force pointer (created for a first settlement;
 * moved from the corrected settlement for a correction), and, when `closePeriod` is set, the
 * period's settle transition (final → settled, shared/data/period-status.ts).
 */
export async function approveInTransaction(
  db: Db,
  current: Settlement,
  approval: { by: string; at: string; closePeriod: boolean; paidDays: { expectedVersion: number; ranges: PaidRange[] } },
  audit: AuditEntry,
): Promise<ApprovalOutcome> {
  const { by, at } = approval;
  const header = {
    Update: {
      TableName: db.tableName,
      Key: settlementKeys.settlement(current.settlementId),
      UpdateExpression: 'SET #status = :approved, approvedBy = :by, approvedAt = :at, #revision = :next',
      ConditionExpression:
        '#status = :draft AND #computationId = :computation AND #revision = :revision AND createdBy <> :by AND ' +
        'computedBy <> :by AND NOT contains(#participants, :by)',
      ExpressionAttributeNames: { '#status': 'status', '#computationId': 'computationId', '#revision': 'revision', '#participants': 'participants' },
      ExpressionAttributeValues: {
        ':approved': 'approved',
        ':draft': 'draft',
        ':by': by,
        ':at': at,
        ':computation': current.computationId,
        ':revision': current.revision,
        ':next': current.revision + 1,
      },
    },
  };
  const inForceKey = settlementKeys.inForce(current.districtId, current.period);
  const inForceItem: InForce = { districtId: current.districtId, period: current.period, settlementId: current.settlementId, approvedAt: at };
  const inForce =
    current.correctionOf === null
      ? {
          Put: {
            TableName: db.tableName,
            Item: { ...inForceKey, entity: 'settlement-in-force', ...inForceItem },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }
      : {
          Update: {
            TableName: db.tableName,
            Key: inForceKey,
            UpdateExpression: 'SET settlementId = :id, approvedAt = :at',
            ConditionExpression: 'settlementId = :corrected',
            ExpressionAttributeValues: { ':id': current.settlementId, ':at': at, ':corrected': current.correctionOf },
          },
        };
  const items: Parameters<typeof transactWrite>[1] = [header, auditPut(db, audit), inForce];
  if (approval.closePeriod) {
    items.push({
      Update: {
        TableName: db.tableName,
        Key: metricKeys.periodStatus(current.districtId, current.period),
        UpdateExpression: 'SET #status = :closed, #state = :settled, updatedAt = :at, history = list_append(if_not_exists(history, :none), :entry)',
        // the settle transition of shared/domain/period-lifecycle.ts: only a final period is settled
        ConditionExpression: '#state = :final',
        ExpressionAttributeNames: { '#status': 'status', '#state': 'state' },
        ExpressionAttributeValues: {
          ':closed': 'closed',
          ':settled': 'settled',
          ':final': 'final',
          ':at': at,
          ':none': [],
          ':entry': [{ action: 'settle', from: 'final', to: 'settled', by, at }],
        },
      },
    });
  }
  const { expectedVersion, ranges } = approval.paidDays;
  items.push({
    Update: {
      TableName: db.tableName,
      Key: settlementKeys.subsidyPaid(current.districtId),
      UpdateExpression: 'SET entity = :entity, districtId = :d, ranges = :ranges, #version = :nextVersion',
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: {
        ':entity': 'subsidy-paid',
        ':d': current.districtId,
        ':ranges': ranges,
        ':nextVersion': expectedVersion + 1,
        ...(expectedVersion === 0 ? {} : { ':version': expectedVersion }),
      },
    },
  });
  const paidDaysAt = items.length - 1;
  items.push(settlementLogPut(db, current, audit));
  if (approval.closePeriod) {
    const reason = `settlement ${current.settlementId}`;
    items.push(auditLogPut(db, { at, by, action: 'period.settle', entityType: 'period', entityId: current.period, districtId: current.districtId, reason }));
  }
  const result = await transactWrite(db, items);
  if (result.ok) return { ok: true };
  const failedAt = result.reasons.indexOf('ConditionalCheckFailed');
  if (failedAt === paidDaysAt) return { ok: false, failed: 'paid-days' };
  return { ok: false, failed: failedAt === 2 ? 'in-force' : failedAt === 3 ? 'period' : 'settlement' };
}

/** The district's record of paid subsidy days (version 0 and no ranges before the first approval). */
export async function getSubsidyPaid(db: Db, districtId: string): Promise<SubsidyPaid> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: settlementKeys.subsidyPaid(districtId), ConsistentRead: true }));
  if (!result.Item) return { ranges: [], version: 0 };
  return { ranges: (result.Item.ranges as PaidRange[] | undefined) ?? [], version: Number(result.Item.version ?? 0) };
}

/** Closes an approved settlement with its audit entry; false when it was not approved at that revision. */
export async function closeInTransaction(db: Db, current: Settlement, by: string, at: string, audit: AuditEntry): Promise<boolean> {
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: settlementKeys.settlement(current.settlementId),
        UpdateExpression: 'SET #status = :closed, closedBy = :by, closedAt = :at, #revision = :next',
        ConditionExpression: '#status = :approved AND #revision = :revision',
        ExpressionAttributeNames: { '#status': 'status', '#revision': 'revision' },
        ExpressionAttributeValues: {
          ':closed': 'closed',
          ':approved': 'approved',
          ':by': by,
          ':at': at,
          ':revision': current.revision,
          ':next': current.revision + 1,
        },
      },
    },
    auditPut(db, audit),
    settlementLogPut(db, current, audit),
  ]);
  return result.ok;
}

export async function getInForce(db: Db, districtId: string, period: string): Promise<InForce | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: settlementKeys.inForce(districtId, period), ConsistentRead: true }));
  return result.Item ? entityOf<InForce>(result.Item) : null;
}

// ---------------------------------------------------------------------------------------------
// Finance settings

export async function getFinanceSettings(db: Db, districtId: string): Promise<FinanceSettings | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: settlementKeys.financeSettings(districtId) }));
  return result.Item ? entityOf<FinanceSettings>(result.Item) : null;
}

export async function putFinanceSettings(db: Db, settings: FinanceSettings): Promise<FinanceSettings> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: settlementKeys.financeSettings(settings.districtId),
      UpdateExpression: 'SET entity = :entity, districtId = :d, roleShares = :shares, residentWeights = :weights, updatedBy = :by, updatedAt = :at',
      ExpressionAttributeValues: {
        ':entity': 'finance-settings',
        ':d': settings.districtId,
        ':shares': settings.roleShares,
        ':weights': settings.residentWeights,
        ':by': settings.updatedBy,
        ':at': settings.updatedAt,
      },
    }),
  );
  return settings;
}

/** The member lines of a run of consecutive teams (a page of team lines), in key order. */
export async function memberLinesOfTeams(
  db: Db,
  computationId: string,
  first: { institutionId: string; teamId: string },
  last: { institutionId: string; teamId: string },
): Promise<MemberLine[]> {
  const pk = settlementKeys.linesOf(computationId).pk;
  const from = settlementKeys.memberLine(computationId, first.institutionId, first.teamId, '').sk;
  const to = `${settlementKeys.memberLine(computationId, last.institutionId, last.teamId, '').sk}\uffff`;
  const lines: MemberLine[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) lines.push(lineOf<MemberLine>(item));
    start = result.LastEvaluatedKey;
  } while (start);
  return lines;
}
