/**
 * The general audit log's vocabulary: the actions it records (stable codes), the entity types
 * they act on, the role each action is taken in, and the small change summaries entries carry.
 * An entry never holds personal data: no identity numbers or resident refs, no bank accounts, no
 * phone numbers or e-mail addresses; staff names (the actor, a team member's role) are fine.
 */

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
