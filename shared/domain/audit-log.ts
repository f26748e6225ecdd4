/**
 * The general audit log's vocabulary: the actions it records (stable codes), the entity types
 * they act on, the role each action is taken in, and the small change summaries entries carry.
 * An entry never holds personal data: no identity numbers or resident refs, no bank accounts, no
 * phone numbers or e-mail addresses; staff names (the actor, a team member's role) are fine.
 */
import { addDays, toDayNumber } from './dates.ts';
import { DomainError } from './errors.ts';

export const AUDIT_ACTIONS = [
  'settlement.create',
  'settlement.recompute',
  'settlement.approve',
  'settlement.close',
  'payee.propose',
  'payee.approve',
  'contract.correct',
  'period.close',
  'period.reopen',
  'period.evaluate',
  'period.correct',
  'period.publish',
  'period.finalize',
  'period.settle',
  'appeal.file',
  'appeal.decide',
  'district.settings',
  'district.subsidy-rate',
  'institution.create',
  'team.create',
  'team.member-join',
  'team.member-leave',
  'criteria.publish',
  'user.invite',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITY_TYPES = ['settlement', 'payee', 'contract', 'period', 'appeal', 'district', 'institution', 'team', 'criteria', 'user'] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** `system`: a schedule or a rule acting on its own (the review window closing, the quarterly run). */
export type AuditRole = 'admin' | 'evaluator' | 'finance' | 'clerk' | 'resident' | 'system';

/** Who acts: a token's subject and role (a Principal fits). */
export interface AuditActor {
  subject: string;
  role: AuditRole;
}

/** The subjects background work acts as (shared/services/periods.ts, shared/services/evaluation/period-close.ts). */
const SYSTEM_SUBJECTS = new Set(['review-window', 'period-close']);

const ACTION_ROLES: Record<string, AuditRole> = {
  settlement: 'finance',
  payee: 'finance',
  contract: 'admin',
  appeal: 'clerk',
  'appeal.decide': 'evaluator',
  district: 'admin',
  institution: 'admin',
  team: 'admin',
  criteria: 'evaluator',
  user: 'admin',
  'period.close': 'admin',
  'period.reopen': 'admin',
  'period.evaluate': 'evaluator',
  'period.correct': 'evaluator',
  'period.publish': 'evaluator',
  'period.finalize': 'system',
  'period.settle': 'finance',
};

/** The role an action is taken in: each action has one, unless a system subject took it. */
export function actingRole(action: AuditAction, subject: string): AuditRole {
  if (SYSTEM_SUBJECTS.has(subject)) return 'system';
  return ACTION_ROLES[action] ?? ACTION_ROLES[action.split('.')[0]!] ?? 'system';
}

/** What changed, in a few short values (never personal data): e.g. { teamCapacity: '8 → 10' }. */
export type AuditSummary = Record<string, string | number | boolean>;

const MAX_SUMMARY_ENTRIES = 20;
const MAX_SUMMARY_TEXT = 200;

/** Keeps a summary small: at most 20 entries, texts cut at 200 characters. */
export function boundedSummary(summary: AuditSummary): AuditSummary {
  const entries = Object.entries(summary).slice(0, MAX_SUMMARY_ENTRIES);
  return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'string' && v.length > MAX_SUMMARY_TEXT ? `${v.slice(0, MAX_SUMMARY_TEXT - 1)}…` : v]));
}

/** The settings that differ between two versions, as `before → after` (absent values shown as '–'). */
export function changedValues(before: Record<string, unknown>, after: Record<string, unknown>): AuditSummary {
  const show = (value: unknown) => (value === undefined ? '–' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  const changed: AuditSummary = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = show(before[key]);
    const to = show(after[key]);
    if (from !== to) changed[key] = `${from} → ${to}`;
  }
  return boundedSummary(changed);
}

const CHINA_OFFSET_MS = 8 * 3_600_000;
/** How far back a log read may reach at once (months of partitions). */
export const MAX_AUDIT_RANGE_DAYS = 731;
const DEFAULT_AUDIT_RANGE_DAYS = 30;

/** A calendar day in China (UTC+8) of an instant. */
export function chinaDateOf(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The UTC instants of a range of China calendar days (both included); by default the last 30
 * days up to today. A reversed range or one longer than two years is refused (400).
 */
export function auditRange(fromDate: string | undefined, toDate: string | undefined, now: Date): { from: string; to: string } {
  const to = toDate ?? chinaDateOf(now);
  const from = fromDate ?? addDays(to, -(DEFAULT_AUDIT_RANGE_DAYS - 1));
  if (from > to)
    throw new DomainError('invalid', 'audit-range-reversed', `The range starts (${from}) after it ends (${to})`, { field: 'query.from', from, to });
  if (toDayNumber(to) - toDayNumber(from) >= MAX_AUDIT_RANGE_DAYS) {
    throw new DomainError('invalid', 'audit-range-too-long', `A range spans at most ${MAX_AUDIT_RANGE_DAYS} days`, {
      field: 'query.from',
      days: MAX_AUDIT_RANGE_DAYS,
    });
  }
  const start = Date.parse(`${from}T00:00:00.000Z`) - CHINA_OFFSET_MS;
  const end = Date.parse(`${addDays(to, 1)}T00:00:00.000Z`) - CHINA_OFFSET_MS - 1;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}
