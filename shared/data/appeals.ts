/**
 * Appeals repository: a clerk's appeal against one indicator of one of their teams' published
 * results, and the evaluator's decision.
 * Keys: APPEAL#{appealId} / APPEAL; gsi1 DISTRICT#{d}#APPEALS#{period} / {filedAt}#{appealId}.
 * Filing writes the appeal and counts it on the period record (`openAppeals`, conditioned on the
 * period being published with its window open) in one transaction; a rejection decides the
 * appeal and uncounts it in one transaction; an acceptance decides it alone and its correction
 * run uncounts it when that run becomes official (shared/services/periods.ts), so the period
 * cannot become final between an acceptance and its corrected results.
 * Attachments (their files in the attachment storage, shared/services/appeal-attachments.ts)
 * are listed on the appeal item, appended while the appeal is open and has room for one more.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../domain/errors.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { appealKeys } from './keys.ts';
import { appealDecidedUpdate, appealFilingUpdate } from './period-status.ts';
import { conditionalUpdate } from './conditional-update.ts';
import { queryAll } from './query.ts';
import { transactWrite } from './transact.ts';
import { auditLogPut } from './audit-log.ts';

export type AppealStatus = 'open' | 'accepted' | 'rejected';

export interface AppealAttachment {
  attachmentId: string;
  /** the name offered on download (shared/domain/appeal-attachments.ts attachmentFileName) */
  fileName: string;
  /** the type found in the file's first bytes */
  contentType: string;
  bytes: number;
  storageKey: string;
  uploadedBy: string;
  uploadedAt: string;
}

export interface Appeal {
  appealId: string;
  districtId: string;
  period: string;
  institutionId: string;
  teamId: string;
  /** the official run the appeal is against */
  evaluationId: string;
  indicator: string;
  /** the reported metric the corrected value is for, and the value the clerk believes is right */
  metric: string;
  claimedValue: number;
  reason: string;
  status: AppealStatus;
  filedBy: string;
  filedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
  /** accepted: the value that became the new metric version, that version, and the correction run */
  acceptedValue?: number;
  metricVersion?: number;
  correctionRunId?: string;
  attachments?: AppealAttachment[];
}

/** The general audit log's entry of a filing or a decision (./audit-log.ts). */
function appealLogPut(db: Db, appeal: Appeal, decision?: { status: 'accepted' | 'rejected'; by: string; at: string; reason: string; acceptedValue?: number }) {
  const { appealId, districtId, institutionId, period, teamId, indicator } = appeal;
  const common = { entityType: 'appeal' as const, entityId: appealId, districtId, institutionId };
  if (!decision) {
    const summary = { period, teamId, indicator, claimedValue: appeal.claimedValue };
    return auditLogPut(db, { ...common, at: appeal.filedAt, by: appeal.filedBy, action: 'appeal.file', reason: appeal.reason, summary });
  }
  const summary = {
    period,
    teamId,
    indicator,
    decision: decision.status,
    ...(decision.acceptedValue !== undefined ? { acceptedValue: decision.acceptedValue } : {}),
  };
  return auditLogPut(db, { ...common, at: decision.at, by: decision.by, action: 'appeal.decide', reason: decision.reason, summary });
}

export async function fileAppeal(db: Db, appeal: Appeal): Promise<Appeal> {
  const result = await transactWrite(db, [
    {
      Put: {
        TableName: db.tableName,
        Item: {
          ...appealKeys.appeal(appeal.appealId),
          ...appealKeys.appealListEntry(appeal.districtId, appeal.period, appeal.filedAt, appeal.appealId),
          entity: 'appeal',
          ...appeal,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    appealFilingUpdate(db, appeal.districtId, appeal.period, appeal.filedAt),
    appealLogPut(db, appeal),
  ]);
  if (!result.ok) {
    throw conflict('appeal-window-closed', `The review window of ${appeal.period} is closed or its results are not published`, {
      period: appeal.period,
      field: 'path.period',
    });
  }
  return appeal;
}

export async function getAppeal(db: Db, appealId: string): Promise<Appeal | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: appealKeys.appeal(appealId), ConsistentRead: true }));
  return result.Item ? entityOf<Appeal>(result.Item) : null;
}

export async function appealsOfPeriod(db: Db, districtId: string, period: string): Promise<Appeal[]> {
  const appeals: Appeal[] = [];
  for await (const item of queryAll(db, { index: 'gsi1', partition: appealKeys.appealsOfPeriod(districtId, period) })) appeals.push(entityOf<Appeal>(item));
  return appeals;
}

function decisionUpdate(db: Db, appeal: Appeal, decision: { status: 'accepted' | 'rejected'; by: string; at: string; reason: string; acceptedValue?: number }) {
  return {
    TableName: db.tableName,
    Key: appealKeys.appeal(appeal.appealId),
    UpdateExpression:
      `SET #status = :to, decidedBy = :by, decidedAt = :at, decisionReason = :reason` +
      `${decision.acceptedValue !== undefined ? ', acceptedValue = :value' : ''}`,
    ConditionExpression: '#status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':to': decision.status,
      ':open': 'open',
      ':by': decision.by,
      ':at': decision.at,
      ':reason': decision.reason,
      ...(decision.acceptedValue !== undefined ? { ':value': decision.acceptedValue } : {}),
    },
  };
}

function alreadyDecided(appeal: Appeal) {
  return conflict('appeal-decided', `Appeal ${appeal.appealId} is already decided`, { status: appeal.status });
}

/** open → rejected, and one open appeal fewer on the period, together; 409 `appeal-decided` if someone decided first. */
export async function rejectAppeal(db: Db, appeal: Appeal, decision: { by: string; at: string; reason: string }): Promise<void> {
  const result = await transactWrite(db, [
    { Update: decisionUpdate(db, appeal, { ...decision, status: 'rejected' }) },
    appealDecidedUpdate(db, appeal.districtId, appeal.period, decision.at),
    appealLogPut(db, appeal, { ...decision, status: 'rejected' }),
  ]);
  if (!result.ok) throw alreadyDecided((await getAppeal(db, appeal.appealId)) ?? appeal);
}

/** open → accepted (still counted open on the period until its correction run is official). */
export async function acceptAppeal(db: Db, appeal: Appeal, decision: { by: string; at: string; reason: string; acceptedValue: number }): Promise<void> {
  const accepted = { ...decision, status: 'accepted' as const };
  const result = await transactWrite(db, [{ Update: decisionUpdate(db, appeal, accepted) }, appealLogPut(db, appeal, accepted)]);
  if (!result.ok) throw alreadyDecided((await getAppeal(db, appeal.appealId)) ?? appeal);
}

/** Records what the acceptance produced: the new metric version and the correction run. */
export async function recordCorrection(db: Db, appealId: string, correction: { metricVersion: number; correctionRunId: string }): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: appealKeys.appeal(appealId),
      UpdateExpression: 'SET metricVersion = :v, correctionRunId = :run',
      ExpressionAttributeValues: { ':v': correction.metricVersion, ':run': correction.correctionRunId },
    }),
  );
}

/** Appends an attachment while the appeal is open and has fewer than `max`; false when it is decided or full. */
export function addAppealAttachment(db: Db, appealId: string, attachment: AppealAttachment, max: number): Promise<boolean> {
  return conditionalUpdate(db, {
    TableName: db.tableName,
    Key: appealKeys.appeal(appealId),
    UpdateExpression: 'SET attachments = list_append(if_not_exists(attachments, :none), :one)',
    ConditionExpression: 'attribute_exists(pk) AND #status = :open AND (attribute_not_exists(attachments) OR size(attachments) < :max)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':none': [], ':one': [attachment], ':open': 'open', ':max': max },
  });
}
