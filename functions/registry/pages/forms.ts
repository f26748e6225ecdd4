/**
 * The administrator forms read into service inputs, each problem in the page's language next to
 * its field (1-based rows). Amounts are typed in yuan ("1,200.50") and kept in fen.
 */
import { isValidIsoDate } from '#shared/domain/dates.ts';
import type { FieldError } from '#shared/domain/field-errors.ts';
import { INSTITUTION_LEVELS, type InstitutionLevel, OWNERSHIPS, type Ownership } from '#shared/domain/institutions.ts';
import { SERVICE_PACKAGE_KINDS, type ServicePackageKind } from '#shared/domain/contracts.ts';
import { MEMBER_ROLES, type MemberRole } from '#shared/domain/teams.ts';
import { MAX_DATA_DEADLINE_DAYS, MAX_REVIEW_WINDOW_DAYS } from '#shared/domain/period-lifecycle.ts';
import type { Lang } from '#shared/web/lang.ts';
import type { InstitutionInput, SettingsChange, TeamInput } from '#shared/services/registry.ts';
import type { AuditLogFilters } from '#shared/services/audit-log.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '#shared/domain/audit-log.ts';
import type { SubsidyRate } from '#shared/data/districts.ts';
import { TEXT } from './texts.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** How many package rows and optional member rows the forms offer. */
export const PACKAGE_ROWS = 3;
export const EXTRA_MEMBER_ROWS = 2;

const CODE = /^[a-z0-9][a-z0-9-]{1,63}$/;

class Reader {
  readonly errors: FieldError[] = [];
  constructor(
    readonly values: Record<string, string>,
    readonly lang: Lang,
  ) {}
  get t() {
    return TEXT[this.lang];
  }
  text(field: string, required = true): string | undefined {
    const value = (this.values[field] ?? '').trim();
    if (!value) {
      if (required) this.errors.push({ field, message: this.t.required });
      return undefined;
    }
    if (value.length > 100) this.errors.push({ field, message: this.t.required });
    return value;
  }
  int(field: string, min: number, max: number, required = true): number | undefined {
    const raw = (this.values[field] ?? '').trim();
    if (!raw && !required) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      this.errors.push({ field, message: this.t.wholeNumber(min, max) });
      return undefined;
    }
    return n;
  }
  fen(field: string): number | undefined {
    const raw = (this.values[field] ?? '').trim().replace(/[,，\s]/g, '');
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(raw)) {
      this.errors.push({ field, message: this.t.amount });
      return undefined;
    }
    const [whole, cents = ''] = raw.split('.');
    return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  }
  date(field: string): string | undefined {
    const raw = (this.values[field] ?? '').trim();
    if (!isValidIsoDate(raw)) {
      this.errors.push({ field, message: this.t.date });
      return undefined;
    }
    return raw;
  }
  oneOf<T extends string>(field: string, options: readonly T[]): T | undefined {
    const raw = this.values[field] ?? '';
    if (!(options as readonly string[]).includes(raw)) {
      this.errors.push({ field, message: this.t.required });
      return undefined;
    }
    return raw as T;
  }
  result<T>(value: () => T): Parsed<T> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, value: value() };
  }
}

export function parseSettings(values: Record<string, string>, lang: Lang): Parsed<SettingsChange> {
  const r = new Reader(values, lang);
  const teamCapacity = r.int('teamCapacity', 1, 10_000);
  const contractTermMonths = r.int('contractTermMonths', 1, 60);
  const surveyMinResponses = r.int('surveyMinResponses', 1, 1000);
  const contractStartGraceDays = r.int('contractStartGraceDays', 0, 31);
  const dataDeadlineDays = r.int('dataDeadlineDays', 0, MAX_DATA_DEADLINE_DAYS);
  const reviewWindowDays = r.int('reviewWindowDays', 1, MAX_REVIEW_WINDOW_DAYS);
  return r.result(() => ({
    teamCapacity: teamCapacity!,
    contractTermMonths: contractTermMonths!,
    surveyMinResponses: surveyMinResponses!,
    contractStartGraceDays: contractStartGraceDays!,
    dataDeadlineDays: dataDeadlineDays!,
    reviewWindowDays: reviewWindowDays!,
  }));
}

export function parseSubsidyRate(values: Record<string, string>, lang: Lang): Parsed<SubsidyRate> {
  const r = new Reader(values, lang);
  const from = r.date('from');
  const perYearFen = r.fen('perYear');
  return r.result(() => ({ from: from!, perYearFen: perYearFen! }));
}

export function parseInstitution(values: Record<string, string>, lang: Lang): Parsed<InstitutionInput> {
  const r = new Reader(values, lang);
  const name = r.text('name');
  const ownership = r.oneOf<Ownership>('ownership', OWNERSHIPS);
  const level = r.oneOf<InstitutionLevel>('level', INSTITUTION_LEVELS);
  const servicePackages: InstitutionInput['servicePackages'] = [];
  for (let i = 0; i < PACKAGE_ROWS; i++) {
    const p = (key: string) => `package.${i}.${key}`;
    if (!['code', 'name', 'fee'].some((key) => (values[p(key)] ?? '').trim())) continue;
    const code = r.text(p('code'));
    if (code && !CODE.test(code)) r.errors.push({ field: p('code'), message: r.t.code });
    const packageName = r.text(p('name'));
    const kind = r.oneOf<ServicePackageKind>(p('kind'), SERVICE_PACKAGE_KINDS);
    const feeFen = r.fen(p('fee'));
    if (code && packageName && kind && feeFen !== undefined) servicePackages.push({ code, name: packageName, kind, feeFen });
  }
  return r.result(() => ({ name: name!, ownership: ownership!, level: level!, servicePackages }));
}

export function parseTeam(values: Record<string, string>, lang: Lang): Parsed<TeamInput> {
  const r = new Reader(values, lang);
  const name = r.text('name');
  const joinedOn = r.date('joinedOn');
  const gp = r.text('gp');
  const nurse = r.text('nurse');
  const members: TeamInput['members'] = [];
  if (gp && joinedOn) members.push({ name: gp, role: 'general-practitioner', joinedOn });
  if (nurse && joinedOn) members.push({ name: nurse, role: 'community-nurse', joinedOn });
  for (let i = 0; i < EXTRA_MEMBER_ROWS; i++) {
    const memberName = r.text(`member.${i}.name`, false);
    if (!memberName) continue;
    const role = r.oneOf<MemberRole>(`member.${i}.role`, MEMBER_ROLES);
    if (role && joinedOn) members.push({ name: memberName, role, joinedOn });
  }
  const capacity = r.int('capacity', 1, 10_000, false);
  return r.result(() => ({ name: name!, members, capacity }));
}

/** The audit log's filters (all optional): real dates, a known action and kind, an account name, an institution id. */
export function parseAuditFilters(values: Record<string, string>, lang: Lang): Parsed<Omit<AuditLogFilters, 'limit' | 'cursor'>> {
  const r = new Reader(values, lang);
  const optional = (field: string) => ((values[field] ?? '').trim() ? field : undefined);
  const from = optional('from') ? r.date('from') : undefined;
  const to = optional('to') ? r.date('to') : undefined;
  const action = optional('action') ? r.oneOf('action', AUDIT_ACTIONS) : undefined;
  const entityType = optional('entityType') ? r.oneOf('entityType', AUDIT_ENTITY_TYPES) : undefined;
  const actor = (values.actor ?? '').trim() || undefined;
  if (actor !== undefined && !/^[A-Za-z0-9._@-]{1,64}$/.test(actor)) r.errors.push({ field: 'actor', message: r.t.required });
  const institutionId = (values.institutionId ?? '').trim() || undefined;
  if (institutionId !== undefined && !CODE.test(institutionId)) r.errors.push({ field: 'institutionId', message: r.t.required });
  return r.result(() => ({ from, to, action, entityType, actor, institutionId }));
}
