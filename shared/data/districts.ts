/**
 * Districts repository.
 * Keys: DISTRICT#{districtId} / DISTRICT; gsi1 DISTRICTS / DISTRICT#{districtId} lists them.
 */
import { GetCommand, PutCommand, } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TEAM_CAPACITY, DEFAULT_TERM_MONTHS } from '../domain/contracts.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { keys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query.ts';

export interface DistrictSettings {
  teamCapacity: number;
  contractTermMonths: number;
  /** yearly subsidy per contracted, insured resident, in fen (Shenzhen: 120 yuan) */
  subsidyPerResidentYearFen: number;
  /** below this many survey responses a team's results are suppressed */
  surveyMinResponses: number;
}

export const DEFAULT_DISTRICT_SETTINGS: DistrictSettings = {
  teamCapacity: DEFAULT_TEAM_CAPACITY,
  contractTermMonths: DEFAULT_TERM_MONTHS,
  subsidyPerResidentYearFen: 12_000,
  surveyMinResponses: 10,
};

export interface District {
  districtId: string;
  name: string;
  province: string;
  settings: DistrictSettings;
  createdAt: string;
}

export function districtItem(district: District): Record<string, unknown> {
  return { ...keys.district(district.districtId), ...keys.districtListEntry(district.districtId), entity: 'district', ...district };
}

export async function createDistrict(db: Db, district: District): Promise<District> {
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: districtItem(district),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw conflict('district-exists', `District ${district.districtId} already exists`);
    throw error;
  }
  return district;
}

export async function getDistrict(db: Db, districtId: string): Promise<District | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.district(districtId) }));
  return result.Item ? entityOf<District>(result.Item) : null;
}

export async function requireDistrict(db: Db, districtId: string): Promise<District> {
  const district = await getDistrict(db, districtId);
  if (!district) throw notFound('district', `District ${districtId}`);
  return district;
}

export function listDistricts(db: Db, limit: number, cursor?: string): Promise<Page<District>> {
  return queryPage(db, { index: 'gsi1', partition: keys.districtList(), limit, cursor }, entityOf<District>);
}

