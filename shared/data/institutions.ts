/**
 * Institutions repository.
 * Keys: INSTITUTION#{institutionId} / INSTITUTION; gsi1 DISTRICT#{districtId}#INSTITUTIONS /
 * INSTITUTION#{institutionId} lists a district's institutions. An institution created by someone
 * (not the demo seed) is written with its general audit log entry in one transaction.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditActor } from '../domain/audit-log.ts';
import type { ServicePackageKind } from '../domain/contracts.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { InstitutionLevel, Ownership } from '../domain/institutions.ts';
import { auditLogPut } from './audit-log.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { keys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query.ts';
import { transactWrite } from './transact.ts';

/** A service package the institution offers, with its published yearly fee per resident. */
export interface ServicePackage {
  code: string;
  name: string;
  kind: ServicePackageKind;
  feeFen: number;
}

export interface Institution {
  institutionId: string;
  districtId: string;
  name: string;
  ownership: Ownership;
  level: InstitutionLevel;
  servicePackages: ServicePackage[];
  /** the centre's phone number for residents (survey refusal pages); absent on institutions entered without one */
  phone?: string;
  /** people living in its service area (the registry's figure; capitation weighs it) */
  catchmentPopulation?: number;
  createdAt: string;
}

export function institutionItem(institution: Institution): Record<string, unknown> {
  return {
    ...keys.institution(institution.institutionId),
    ...keys.institutionListEntry(institution.districtId, institution.institutionId),
    entity: 'institution',
    ...institution,
  };
}

/** Creates an institution; with `actor`, in one transaction with its audit log entry (./audit-log.ts). */
export async function createInstitution(db: Db, institution: Institution, actor?: AuditActor): Promise<Institution> {
  const { institutionId, districtId, name, ownership, level, createdAt: at } = institution;
  const result = await transactWrite(db, [
    { Put: { TableName: db.tableName, Item: institutionItem(institution), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(actor
      ? [
          auditLogPut(db, {
            at,
            by: actor.subject,
            byRole: actor.role,
            action: 'institution.create',
            entityType: 'institution',
            entityId: institutionId,
            districtId,
            institutionId,
            summary: { name, ownership, level },
          }),
        ]
      : []),
  ]);
  if (!result.ok) throw conflict('institution-exists', `Institution ${institution.institutionId} already exists`);
  return institution;
}

export async function getInstitution(db: Db, institutionId: string): Promise<Institution | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.institution(institutionId) }));
  return result.Item ? entityOf<Institution>(result.Item) : null;
}

export async function requireInstitution(db: Db, institutionId: string): Promise<Institution> {
  const institution = await getInstitution(db, institutionId);
  if (!institution) throw notFound('institution', `Institution ${institutionId}`);
  return institution;
}

export function listInstitutions(db: Db, districtId: string, limit: number, cursor?: string): Promise<Page<Institution>> {
  return queryPage(db, { index: 'gsi1', partition: keys.institutionsOfDistrict(districtId), limit, cursor }, entityOf<Institution>);
}
