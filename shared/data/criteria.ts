/**
 * Criteria sets repository: versioned documents per district. A draft is edited under
 * optimistic locking (`revision`); publishing freezes it for good; a change after publishing is
 * a new version. Keys: DISTRICT#{d}#CRITERIA / VERSION#{v}; the version counter is
 * DISTRICT#{d}#CRITERIA / COUNTER (ADD 1 hands out the next number).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PeriodType } from '../domain/periods.ts';
import type { CriteriaSet } from '../domain/scoring/index.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { evaluationKeys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query.ts';
import { auditLogPut } from './audit-log.ts';
import { transactWrite } from './transact.ts';

export type CriteriaStatus = 'draft' | 'published';

export interface CriteriaVersion {
  districtId: string;
  version: number;
  name: string;
  periodType: PeriodType;
  status: CriteriaStatus;
  /** increases with every saved change of a draft; a save names the revision it started from */
  revision: number;
  document: CriteriaSet;
  basedOnVersion?: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  publishedBy?: string;
  publishedAt?: string;
}

export function criteriaItem(criteria: CriteriaVersion): Record<string, unknown> {
  return { ...evaluationKeys.criteriaVersion(criteria.districtId, criteria.version), entity: 'criteria-version', ...criteria };
}

export async function createCriteriaDraft(db: Db, draft: Omit<CriteriaVersion, 'version' | 'status' | 'revision'>): Promise<CriteriaVersion> {
  const counter = await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: evaluationKeys.criteriaCounter(draft.districtId),
      UpdateExpression: 'SET entity = :entity ADD lastVersion :one',
      ExpressionAttributeValues: { ':one': 1, ':entity': 'criteria-counter' },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const criteria: CriteriaVersion = { ...draft, version: counter.Attributes?.lastVersion as number, status: 'draft', revision: 1 };
  await db.doc.send(new PutCommand({ TableName: db.tableName, Item: criteriaItem(criteria), ConditionExpression: 'attribute_not_exists(pk)' }));
  return criteria;
}

export async function getCriteria(db: Db, districtId: string, version: number, consistent = false): Promise<CriteriaVersion | null> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: evaluationKeys.criteriaVersion(districtId, version), ConsistentRead: consistent }),
  );
  return result.Item ? entityOf<CriteriaVersion>(result.Item) : null;
}

export async function requireCriteria(db: Db, districtId: string, version: number): Promise<CriteriaVersion> {
  const criteria = await getCriteria(db, districtId, version);
  if (!criteria) throw notFound('criteria', `Criteria version ${version} of district ${districtId}`);
  return criteria;
}

export function listCriteria(db: Db, districtId: string, limit: number, cursor?: string): Promise<Page<CriteriaVersion>> {
  return queryPage(
    db,
    {
      partition: { pk: evaluationKeys.criteriaOfDistrict(districtId).pk },
      sortKeyPrefix: { attribute: 'sk', prefix: 'VERSION#' },
      limit,
      cursor,
      scanForward: false,
    },
    entityOf<CriteriaVersion>,
  );
}

async function explainFailedWrite(db: Db, districtId: string, version: number, expectedRevision?: number): Promise<never> {
  const current = await getCriteria(db, districtId, version, true);
  if (!current) throw notFound('criteria', `Criteria version ${version} of district ${districtId}`);
  if (current.status === 'published') {
    throw conflict('criteria-published', `Version ${version} is published and can no longer change; create a new version from it`);
  }
  throw conflict(
    'stale-revision',
    `Version ${version} was saved by someone else meanwhile (now revision ${current.revision}, you edited ${expectedRevision}); reload and reapply your change`,
    {
      currentRevision: current.revision,
    },
  );
}

/** Saves a draft if nobody saved it since `expectedRevision` and it is still a draft. */
export async function saveCriteriaDraft(
  db: Db,
  districtId: string,
  version: number,
  change: { expectedRevision: number; name: string; document: CriteriaSet; updatedBy: string; updatedAt: string },
): Promise<CriteriaVersion> {
  try {
    const result = await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: evaluationKeys.criteriaVersion(districtId, version),
        UpdateExpression: 'SET #doc = :doc, #name = :name, updatedBy = :by, updatedAt = :at, revision = revision + :one',
        ConditionExpression: 'attribute_exists(pk) AND #status = :draft AND revision = :expected',
        ExpressionAttributeNames: { '#doc': 'document', '#name': 'name', '#status': 'status' },
        ExpressionAttributeValues: {
          ':doc': change.document,
          ':name': change.name,
          ':by': change.updatedBy,
          ':at': change.updatedAt,
          ':one': 1,
          ':draft': 'draft',
          ':expected': change.expectedRevision,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return entityOf<CriteriaVersion>(result.Attributes ?? {});
  } catch (error) {
    if (isConditionalCheckFailed(error)) return explainFailedWrite(db, districtId, version, change.expectedRevision);
    throw error;
  }
}

export async function publishCriteria(
  db: Db,
  districtId: string,
  version: number,
  by: string,
  at: string,
  expectedRevision?: number,
): Promise<CriteriaVersion> {
  const key = evaluationKeys.criteriaVersion(districtId, version);
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'SET #status = :published, publishedBy = :by, publishedAt = :at',
        ConditionExpression: `attribute_exists(pk) AND #status = :draft${expectedRevision === undefined ? '' : ' AND revision = :expected'}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':published': 'published',
          ':draft': 'draft',
          ':by': by,
          ':at': at,
          ...(expectedRevision === undefined ? {} : { ':expected': expectedRevision }),
        },
      },
    },
    auditLogPut(db, { at, by, action: 'criteria.publish', entityType: 'criteria', entityId: String(version), districtId, summary: { version } }),
  ]);
  if (!result.ok) return explainFailedWrite(db, districtId, version, expectedRevision);
  const published = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }));
  return entityOf<CriteriaVersion>(published.Item ?? {});
}
