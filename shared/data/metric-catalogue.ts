/**
 * A district's service-metric catalogue.
 * Keys: DISTRICT#{districtId} / METRIC_CATALOGUE. A district without a stored catalogue uses
 * DEFAULT_METRIC_CATALOGUE (shared/domain/metrics/catalogue.ts); the first upload stores it
 * (`ensureCatalogue`, a put on attribute_not_exists) so the catalogue an upload was checked
 * against is pinned in the table from then on.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_METRIC_CATALOGUE, type MetricCatalogue } from '../domain/metrics/catalogue.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { metricKeys } from './keys.ts';

export interface StoredCatalogue extends MetricCatalogue {
  districtId: string;
  /** false while the district still uses the default without having stored it */
  stored: boolean;
}

export function catalogueItem(districtId: string, catalogue: MetricCatalogue, at: string): Record<string, unknown> {
  return {
    ...metricKeys.catalogue(districtId),
    entity: 'metric-catalogue',
    districtId,
    version: catalogue.version,
    definitions: catalogue.definitions,
    updatedAt: at,
  };
}

function fromItem(districtId: string, item: Record<string, unknown>): StoredCatalogue {
  return { districtId, version: item.version as number, definitions: item.definitions as MetricCatalogue['definitions'], stored: true };
}

/** The district's catalogue, or the default when it has none stored yet. */
export async function getCatalogue(db: Db, districtId: string): Promise<StoredCatalogue> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: metricKeys.catalogue(districtId) }));
  return result.Item ? fromItem(districtId, result.Item) : { districtId, ...structuredClone(DEFAULT_METRIC_CATALOGUE), stored: false };
}

/** The stored catalogue; stores the default first when the district has none. */
export async function ensureCatalogue(db: Db, districtId: string, at: string): Promise<StoredCatalogue> {
  const current = await getCatalogue(db, districtId);
  if (current.stored) return current;
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: catalogueItem(districtId, DEFAULT_METRIC_CATALOGUE, at),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { ...current, stored: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: metricKeys.catalogue(districtId), ConsistentRead: true }));
    return fromItem(districtId, result.Item ?? {});
  }
}
