/**
 * Districts repository.
 * Keys: DISTRICT#{districtId} / DISTRICT; gsi1 DISTRICTS / DISTRICT#{districtId} lists them.
 * The district item's `settings` carry the money rules' parameters: the team capacity cap, the
 * contract start grace, and the subsidy rates over time (`subsidyRates`, each in force from its
 * date). Only administrators change them. A team's capacity never exceeds the cap, on both
 * sides of the race: `maxTeamCapacity` on the district item is the largest capacity of its
 * teams, raised (or checked) in each team's creating transaction under the condition
 * `settings.teamCapacity >= :capacity` (`districtCapItem`), and a settings change is written only
 * while `maxTeamCapacity <= :newCap`.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditActor, changedValues } from '../domain/audit-log.ts';
import { CONTRACT_START, DEFAULT_TEAM_CAPACITY, DEFAULT_TERM_MONTHS } from '../domain/contracts.ts';
import { conflict, notFound, ruleBroken } from '../domain/errors.ts';
import type { SubsidyRate } from '../domain/money/subsidy-rates.ts';
import { auditLogPut } from './audit-log.ts';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { keys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query.ts';
import { transactWrite } from './transact.ts';

export type { SubsidyRate };

export interface DistrictSettings {
  teamCapacity: number;
  contractTermMonths: number;
  /** yearly subsidy per contracted, insured resident, in fen (Shenzhen: 120 yuan) */
  subsidyPerResidentYearFen: number;
  /** below this many survey responses a team's results are suppressed */
  surveyMinResponses: number;
  /** how many days back a contract may start without an administrator's correction (default 7, at most 31) */
  contractStartGraceDays?: number;
  /**
   * the yearly subsidy over time, oldest first; absent means `subsidyPerResidentYearFen` from
   * the start of time. `subsidyPerResidentYearFen` mirrors the latest rate.
   */
  subsidyRates?: SubsidyRate[];
  /** uploads for a period close this many days after its end (default 10; shared/domain/period-lifecycle.ts) */
  dataDeadlineDays?: number;
  /** days a published period stays open to appeals (default 7) */
  reviewWindowDays?: number;
}

export const DEFAULT_DISTRICT_SETTINGS: DistrictSettings = {
  teamCapacity: DEFAULT_TEAM_CAPACITY,
  contractTermMonths: DEFAULT_TERM_MONTHS,
  subsidyPerResidentYearFen: 12_000,
  surveyMinResponses: 10,
  contractStartGraceDays: CONTRACT_START.defaultGraceDays,
};

export interface District {
  districtId: string;
  name: string;
  province: string;
  settings: DistrictSettings;
  createdAt: string;
  /** the largest capacity of the district's teams (absent before the first team created through createTeam) */
  maxTeamCapacity?: number;
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

export async function getDistrict(db: Db, districtId: string, consistent = false): Promise<District | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.district(districtId), ConsistentRead: consistent }));
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

/**
 * Replaces the settings the caller read (condition: unchanged since, so two administrators'
 * edits never silently overwrite each other). Conflict `settings-changed` otherwise.
 */
export async function updateDistrictSettings(
  db: Db,
  districtId: string,
  previous: DistrictSettings,
  settings: DistrictSettings,
  change: { actor: AuditActor; at: string; action: 'district.settings' | 'district.subsidy-rate' },
): Promise<void> {
  const { actor, at, action } = change;
  const summary = changedValues({ ...previous }, { ...settings });
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.district(districtId),
        UpdateExpression: 'SET settings = :s',
        ConditionExpression: 'attribute_exists(pk) AND settings = :previous AND (attribute_not_exists(maxTeamCapacity) OR maxTeamCapacity <= :cap)',
        ExpressionAttributeValues: { ':s': settings, ':previous': previous, ':cap': settings.teamCapacity },
      },
    },
    auditLogPut(db, { at, by: actor.subject, byRole: actor.role, action, entityType: 'district', entityId: districtId, districtId, summary }),
  ]);
  if (result.ok) return;
  const now = await getDistrict(db, districtId, true);
  if (now?.maxTeamCapacity !== undefined && now.maxTeamCapacity > settings.teamCapacity) {
    throw ruleBroken('cap-below-team-capacity', `A team of district ${districtId} has capacity ${now.maxTeamCapacity}, above the new cap`, {
      field: 'body.teamCapacity',
      capacity: now.maxTeamCapacity,
    });
  }
  throw conflict('settings-changed', `The settings of district ${districtId} changed meanwhile; reload and try again`);
}

/**
 * The district's part of a team's creating transaction: holds only while a team of `capacity`
 * places fits under the cap, and records the capacity in `maxTeamCapacity` when it is the largest
 * so far (`knownMax`: what the caller read), so the cap can never be lowered below it.
 */
export function districtCapItem(db: Db, districtId: string, capacity: number, knownMax: number | undefined) {
  const key = keys.district(districtId);
  if (knownMax !== undefined && capacity <= knownMax) {
    return {
      ConditionCheck: {
        TableName: db.tableName,
        Key: key,
        ConditionExpression: 'settings.teamCapacity >= :capacity AND maxTeamCapacity >= :capacity',
        ExpressionAttributeValues: { ':capacity': capacity },
      },
    };
  }
  return {
    Update: {
      TableName: db.tableName,
      Key: key,
      UpdateExpression: 'SET maxTeamCapacity = :capacity',
      ConditionExpression: 'settings.teamCapacity >= :capacity AND (attribute_not_exists(maxTeamCapacity) OR maxTeamCapacity < :capacity)',
      ExpressionAttributeValues: { ':capacity': capacity },
    },
  };
}

/** The rates in force over time: the stored list, or the single legacy rate from the start of time. */
export function subsidyRatesOf(settings: DistrictSettings): SubsidyRate[] {
  return settings.subsidyRates?.length ? settings.subsidyRates : [{ from: '1900-01-01', perYearFen: settings.subsidyPerResidentYearFen }];
}
