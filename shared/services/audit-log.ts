/**
 * Reading the general audit log (shared/data/audit-log.ts) for the API and the administrator
 * page: China calendar days turned into the stored UTC range, filters passed down, names of the
 * district's institutions for display.
 * Errors: invalid 400 `audit-range-reversed`, `audit-range-too-long`, `bad-cursor`.
 */
import { type AuditAction, type AuditEntityType, auditRange } from '../domain/audit-log.ts';
import { type AuditLogEntry, queryAuditLog } from '../data/audit-log.ts';
import { listInstitutions } from '../data/institutions.ts';
import type { Page } from '../data/pagination.ts';
import type { Deps } from '../deps.ts';
import { MAX_PAGE_SIZE } from '../domain/paging.ts';

export interface AuditLogFilters {
  from?: string | undefined;
  to?: string | undefined;
  action?: AuditAction | undefined;
  actor?: string | undefined;
  entityType?: AuditEntityType | undefined;
  institutionId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** An entry as read: `actorId` names the acting subject (`by`) for API clients beside the display name `byName`. */
type AuditLogRead = AuditLogEntry & { actorId: string };

export async function readAuditLog(deps: Pick<Deps, 'db' | 'now'>, districtId: string, filters: AuditLogFilters): Promise<Page<AuditLogRead>> {
  const range = auditRange(filters.from, filters.to, deps.now());
  const page = await queryAuditLog(deps.db, districtId, {
    ...range,
    action: filters.action,
    by: filters.actor,
    entityType: filters.entityType,
    institutionId: filters.institutionId,
    limit: filters.limit,
    cursor: filters.cursor,
  });
  return { ...page, items: page.items.map((entry) => ({ ...entry, actorId: entry.by })) };
}

/** The names of a district's institutions by id (a district has a few hundred at most). */
export async function institutionNames(deps: Pick<Deps, 'db'>, districtId: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listInstitutions(deps.db, districtId, MAX_PAGE_SIZE, cursor);
    for (const institution of page.items) names.set(institution.institutionId, institution.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}
