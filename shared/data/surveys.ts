/**
 * Surveys repository: instruments, responses, aggregates, invitations. Keys in keys.ts
 * (`surveyKeys`); the design is in docs/data-model.md.
 * - Instrument versions: DISTRICT#{d}#SURVEY / INSTRUMENT#{v}; the published pointer INSTRUMENT#CURRENT.
 * - A response is one transaction: the marker RESIDENT#{ref} / SURVEYED#{period}#TEAM#{t}
 *   (attribute_not_exists: one response per resident, team and period), the answers under
 *   TEAM#{t}#ANSWERS#{period} (no resident ref: anonymity), ADD increments on the aggregate
 *   DISTRICT#{d}#SURVEYAGG#{period} / TEAM#{t}, a check that the resident's contract is still
 *   the current one, and, through an invitation, marking it used.
 * - Invitations: INVITATION#{sha256(token)} (the token itself is never stored); gsi1
 *   DISTRICT#{d}#INVITATIONS#{period} / TEAM#{t}#{invitationId} lists their status.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AggregateCounters } from '../domain/surveys/aggregate.ts';
import { DEFAULT_QUESTIONS, type Answers, type Instrument, type Question } from '../domain/surveys/instrument.ts';
import { conflict, DomainError } from '../domain/errors.ts';
import { currentContractCondition } from './contracts.ts';
import { batchGet } from './batch.ts';
import type { Db } from './db.ts';
import { entityOf, newId } from './items.ts';
import { surveyKeys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryAll, queryPage } from './query.ts';
import { transactWrite } from './transact.ts';

export function defaultInstrument(): Instrument {
  return { version: 0, questions: DEFAULT_QUESTIONS, publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'platform default' };
}

/** The district's published instrument, or the platform default (version 0) before any is published. */
export async function currentInstrument(db: Db, districtId: string): Promise<Instrument> {
  const pointer = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: surveyKeys.currentInstrument(districtId), ConsistentRead: true }));
  if (!pointer.Item) return defaultInstrument();
  return (await getInstrument(db, districtId, pointer.Item.version as number)) ?? defaultInstrument();
}

const REMEMBERED_FOR_MS = 10_000;
const remembered = new WeakMap<Db, Map<string, { instrument: Instrument; readAt: number }>>();

function rememberedOf(db: Db): Map<string, { instrument: Instrument; readAt: number }> {
  let byDistrict = remembered.get(db);
  if (!byDistrict) {
    byDistrict = new Map();
    remembered.set(db, byDistrict);
  }
  return byDistrict;
}

/**
 * The published instrument for taking responses, kept in memory for 10 s: a published version
 * never changes, only the pointer moves, so a version published elsewhere reaches this process
 * within 10 s (one published here, at once; `fresh` reads the pointer now).
 */
export async function rememberedInstrument(db: Db, districtId: string, options: { fresh?: boolean } = {}): Promise<Instrument> {
  const byDistrict = rememberedOf(db);
  const entry = byDistrict.get(districtId);
  if (entry && !options.fresh && performance.now() - entry.readAt < REMEMBERED_FOR_MS) return entry.instrument;
  const readAt = performance.now();
  const instrument = await currentInstrument(db, districtId);
  byDistrict.set(districtId, { instrument, readAt });
  return instrument;
}

export async function getInstrument(db: Db, districtId: string, version: number): Promise<Instrument | null> {
  if (version === 0) return defaultInstrument();
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: surveyKeys.instrument(districtId, version) }));
  return result.Item ? entityOf<Instrument & { districtId: string }>(result.Item) : null;
}

/** Publishes the next version; a published version is never overwritten (attribute_not_exists). */
export async function publishInstrument(db: Db, districtId: string, questions: Question[], publishedBy: string, now: string): Promise<Instrument> {
  const current = await currentInstrument(db, districtId);
  const instrument: Instrument = { version: current.version + 1, questions, publishedAt: now, publishedBy };
  const result = await transactWrite(db, [
    {
      Put: {
        TableName: db.tableName,
        Item: { ...surveyKeys.instrument(districtId, instrument.version), entity: 'survey-instrument', districtId, ...instrument },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: db.tableName,
        Item: { ...surveyKeys.currentInstrument(districtId), entity: 'survey-instrument-pointer', version: instrument.version },
        ...(current.version === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': current.version } }),
      },
    },
  ]);
  if (!result.ok) throw conflict('instrument-published-meanwhile', 'Another version was published at the same moment; reload and try again');
  rememberedOf(db).delete(districtId);
  return instrument;
}

export interface ResponseToRecord {
  /** the resident's current contract, checked in the transaction */
  contractId: string;
  districtId: string;
  institutionId: string;
  teamId: string;
  period: string;
  residentRef: string;
  instrumentVersion: number;
  answers: Answers;
  increments: AggregateCounters;
  channel: 'app' | 'invitation';
  submittedOn: string;
  /** for invitation responses: the invitation to mark used in the same transaction */
  invitationTokenHash?: string;
  nowEpochSeconds: number;
}

export async function recordResponse(db: Db, response: ResponseToRecord): Promise<void> {
  const counters = Object.entries(response.increments);
  const names: Record<string, string> = { '#district': 'districtId', '#team': 'teamId', '#institution': 'institutionId', '#period': 'period' };
  const values: Record<string, unknown> = {
    ':district': response.districtId,
    ':team': response.teamId,
    ':institution': response.institutionId,
    ':period': response.period,
  };
  counters.forEach(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = value;
  });
  const result = await transactWrite(db, [
    currentContractCondition(db, response.residentRef, response.contractId),
    {
      Put: {
        TableName: db.tableName,
        Item: {
          ...surveyKeys.responseMarker(response.residentRef, response.period, response.teamId),
          entity: 'survey-response-marker',
          submittedOn: response.submittedOn,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: db.tableName,
        Item: {
          ...surveyKeys.answers(response.teamId, response.period, newId('answer')),
          entity: 'survey-answers',
          instrumentVersion: response.instrumentVersion,
          answers: response.answers,
          channel: response.channel,
          submittedOn: response.submittedOn,
        },
      },
    },
    {
      Update: {
        TableName: db.tableName,
        Key: surveyKeys.aggregate(response.districtId, response.period, response.teamId),
        UpdateExpression:
          `SET entity = :entity, #district = :district, #team = :team, #institution = :institution, ` +
          `#period = :period ADD ${counters.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':entity': 'survey-aggregate' },
      },
    },
    ...(response.invitationTokenHash
      ? [
          {
            Update: {
              TableName: db.tableName,
              Key: surveyKeys.invitation(response.invitationTokenHash),
              UpdateExpression: 'SET usedOn = :on',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedOn) AND expiresAt > :now',
              ExpressionAttributeValues: { ':on': response.submittedOn, ':now': response.nowEpochSeconds },
            },
          },
        ]
      : []),
  ]);
  if (result.ok) return;
  const [contractReason, markerReason] = result.reasons;
  if (contractReason === 'ConditionalCheckFailed') throw noActiveContract();
  if (markerReason === 'ConditionalCheckFailed') {
    throw conflict('already-responded', 'This resident has already rated this team for this period');
  }
  throw conflict('invitation-used', 'This invitation link has been used or has expired');
}

export function noActiveContract(): DomainError {
  return new DomainError('forbidden', 'no-active-contract', 'Only residents with a contract with this team active in the period can rate it');
}

export async function hasResponded(db: Db, residentRef: string, period: string, teamId: string): Promise<boolean> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: surveyKeys.responseMarker(residentRef, period, teamId), ConsistentRead: true }),
  );
  return result.Item !== undefined;
}

function countersOf(item: Record<string, unknown>): AggregateCounters {
  const counters: AggregateCounters = {};
  for (const [key, value] of Object.entries(item)) if ((key === 'n' || key.startsWith('q.')) && typeof value === 'number') counters[key] = value;
  return counters;
}

export async function getAggregate(db: Db, districtId: string, period: string, teamId: string, consistent = false): Promise<AggregateCounters> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: surveyKeys.aggregate(districtId, period, teamId), ConsistentRead: consistent }),
  );
  return result.Item ? countersOf(result.Item) : {};
}

/** The aggregates of the given teams (BatchGetItem), keyed by team id; teams without responses are left out. */
export async function aggregatesOfTeams(db: Db, districtId: string, period: string, teamIds: Iterable<string>): Promise<Map<string, AggregateCounters>> {
  const byTeam = new Map<string, AggregateCounters>();
  const items = await batchGet(
    db,
    [...teamIds].map((teamId) => surveyKeys.aggregate(districtId, period, teamId)),
  );
  for (const item of items) byTeam.set(item.teamId as string, countersOf(item));
  return byTeam;
}

/** Every team's aggregate for a district and period (what scoring reads), keyed by team id. */
export async function aggregatesOfDistrict(db: Db, districtId: string, period: string): Promise<Map<string, AggregateCounters>> {
  const byTeam = new Map<string, AggregateCounters>();
  for await (const item of queryAll(db, { partition: surveyKeys.aggregatesOfDistrict(districtId, period) })) {
    byTeam.set(item.teamId as string, countersOf(item));
  }
  return byTeam;
}

/** Raw answers of a team and period, for reconciliation. */
export async function* answersOfTeam(db: Db, teamId: string, period: string): AsyncGenerator<{ instrumentVersion: number; answers: Answers }> {
  for await (const item of queryAll(db, { partition: surveyKeys.answersOfTeam(teamId, period) })) {
    yield { instrumentVersion: item.instrumentVersion as number, answers: item.answers as Answers };
  }
}

/**
 * Items for importing a response in bulk (seeding) without the transaction: the caller
 * guarantees one response per resident and writes the matching aggregate with aggregateItem.
 */
export function responseImportItems(
  response: Omit<ResponseToRecord, 'contractId' | 'increments' | 'nowEpochSeconds' | 'invitationTokenHash' | 'districtId' | 'institutionId'>,
): Record<string, unknown>[] {
  return [
    {
      ...surveyKeys.responseMarker(response.residentRef, response.period, response.teamId),
      entity: 'survey-response-marker',
      submittedOn: response.submittedOn,
    },
    {
      ...surveyKeys.answers(response.teamId, response.period, newId('answer')),
      entity: 'survey-answers',
      instrumentVersion: response.instrumentVersion,
      answers: response.answers,
      channel: response.channel,
      submittedOn: response.submittedOn,
    },
  ];
}

export function aggregateItem(
  key: { districtId: string; period: string; teamId: string; institutionId: string },
  counters: AggregateCounters,
): Record<string, unknown> {
  return { ...surveyKeys.aggregate(key.districtId, key.period, key.teamId), entity: 'survey-aggregate', ...key, ...counters };
}

/** Replaces a team's aggregate counters (reconciliation with fix). */
export async function overwriteAggregate(
  db: Db,
  key: { districtId: string; period: string; teamId: string; institutionId: string },
  counters: AggregateCounters,
): Promise<void> {
  await db.doc.send(new PutCommand({ TableName: db.tableName, Item: aggregateItem(key, counters) }));
}

export interface Invitation {
  /** a random id that names the invitation in lists and in the file for the SMS gateway; absent on early items */
  invitationId?: string;
  /** the contract the resident was drawn through (the SMS gateway's way to the phone number) */
  contractId?: string;
  tokenHash: string;
  districtId: string;
  teamId: string;
  institutionId: string;
  period: string;
  residentRef: string;
  /** epoch seconds; also the TTL attribute */
  expiresAt: number;
  usedOn?: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function invitationItem(invitation: Invitation): Record<string, unknown> {
  const listed = invitation.invitationId
    ? surveyKeys.invitationListEntry(invitation.districtId, invitation.period, invitation.teamId, invitation.invitationId)
    : {};
  return { ...surveyKeys.invitation(invitation.tokenHash), ...listed, entity: 'survey-invitation', ...invitation };
}

export type InvitationStatus = 'sent' | 'answered' | 'expired';

/** What a list shows of an invitation: never its token (nor the token's hash, nor the resident). */
export interface InvitationStatusView {
  invitationId: string;
  teamId: string;
  institutionId: string;
  period: string;
  expiresAt: string;
  status: InvitationStatus;
  answeredOn: string | null;
}

function statusView(invitation: Invitation, nowEpochSeconds: number): InvitationStatusView {
  return {
    invitationId: invitation.invitationId ?? '',
    teamId: invitation.teamId,
    institutionId: invitation.institutionId,
    period: invitation.period,
    expiresAt: new Date(invitation.expiresAt * 1000).toISOString(),
    status: invitation.usedOn ? 'answered' : invitation.expiresAt <= nowEpochSeconds ? 'expired' : 'sent',
    answeredOn: invitation.usedOn ?? null,
  };
}

/** A page of a district's invitations of a period, by team, with their status only. */
export async function listInvitationStatus(
  db: Db,
  districtId: string,
  period: string,
  now: Date,
  limit: number,
  cursor?: string,
): Promise<Page<InvitationStatusView>> {
  const nowEpochSeconds = Math.floor(now.getTime() / 1000);
  return queryPage(db, { index: 'gsi1', partition: surveyKeys.invitationsOfDistrict(districtId, period), limit, cursor }, (raw) =>
    statusView(entityOf<Invitation>(raw), nowEpochSeconds),
  );
}

export async function getInvitation(db: Db, token: string): Promise<Invitation | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: surveyKeys.invitation(hashToken(token)), ConsistentRead: true }));
  return result.Item ? entityOf<Invitation>(result.Item) : null;
}
