/**
 * Contract rules between a resident and a family-doctor team (domain brief, "Contract").
 */
import { addDays, addMonths, ageOn } from './dates.ts';

export const KEY_POPULATIONS = [
  'children-0-6',
  'pregnant',
  'elderly-65',
  'hypertension',
  'diabetes',
  'severe-mental-disorder',
  'tuberculosis',
  'disability',
  'special-family-planning',
  'low-income',
] as const;
export type KeyPopulation = (typeof KEY_POPULATIONS)[number];

export const SERVICE_PACKAGE_KINDS = ['basic', 'personalised', 'customised'] as const;
export type ServicePackageKind = (typeof SERVICE_PACKAGE_KINDS)[number];

/**
 * `active` from signing (even before its start) until its end date has passed; `ended` once it
 * has (stored by the daily step, or at once for a historical contract an administrator entered as
 * a correction); `cancelled` when a cancellation took effect. Only `active` contracts hold a team
 * place.
 */
export type ContractStatus = 'active' | 'cancelled' | 'ended';

/**
 * The status a read shows on `today`: an `active` contract whose end date has passed is `ended`
 * even before the daily step has stored it (derived, never written by a read).
 */
export function statusOn(contract: { status: ContractStatus; endDate: string }, today: string): ContractStatus {
  return contract.status === 'active' && contract.endDate < today ? 'ended' : contract.status;
}

/** A contract with its status as shown on `today` (see statusOn). */
export function asOfToday<T extends { status: ContractStatus; endDate: string }>(contract: T, today: string): T {
  const status = statusOn(contract, today);
  return status === contract.status ? contract : { ...contract, status };
}

export const DEFAULT_TERM_MONTHS = 12;
export const DEFAULT_TEAM_CAPACITY = 2000;

/** Last day of a term that starts on startDate: one year in principle, so 2026-03-01 → 2027-02-28. */
export function termEnd(startDate: string, termMonths: number): string {
  return addDays(addMonths(startDate, termMonths), -1);
}

/** Age-based key populations follow from the birth date on the contract's start date. */
export function ageBasedKeyPopulations(birthDate: string, onDate: string): KeyPopulation[] {
  const age = ageOn(birthDate, onDate);
  const tags: KeyPopulation[] = [];
  if (age <= 6) tags.push('children-0-6');
  if (age >= 65) tags.push('elderly-65');
  return tags;
}

export function withDerivedKeyPopulations(declared: readonly KeyPopulation[], birthDate: string, onDate: string): KeyPopulation[] {
  const all = new Set<KeyPopulation>(declared.filter((t) => t !== 'children-0-6' && t !== 'elderly-65'));
  for (const t of ageBasedKeyPopulations(birthDate, onDate)) all.add(t);
  return KEY_POPULATIONS.filter((t) => all.has(t));
}

/**
 * A contract is in force on a date when it is not cancelled and the date is inside its term:
 * one that has since ended (its term ran out) was in force on every day of that term.
 */
export function isInForce(contract: { status: string; startDate: string; endDate: string }, date: string): boolean {
  return contract.status !== 'cancelled' && contract.startDate <= date && date <= contract.endDate;
}

/** Renewal extends the term from the day after the current end. */
export function renewedEnd(currentEnd: string, termMonths: number): string {
  return termEnd(addDays(currentEnd, 1), termMonths);
}

/**
 * When a contract may start without an administrator's correction: from `graceDays` before today
 * (a district setting, default 7, at most 31) to 90 days ahead.
 */
export const CONTRACT_START = { defaultGraceDays: 7, maxGraceDays: 31, daysAhead: 90 } as const;

export function contractStartWindow(today: string, graceDays: number | undefined): { earliest: string; latest: string } {
  const grace = Math.min(Math.max(0, graceDays ?? CONTRACT_START.defaultGraceDays), CONTRACT_START.maxGraceDays);
  return { earliest: addDays(today, -grace), latest: addDays(today, CONTRACT_START.daysAhead) };
}

/**
 * The most an institution may charge a resident per year for a package it publishes at
 * `publishedFeeFen` (Shenzhen 2017 measures): an uninsured resident pays at most the published
 * fee. For an insured resident during the subsidy a government-run institution charges no
 * contract service fee (the basic package: 0) and personalised or customised services at most
 * their published (limited) price; a social-run institution at most the published fee minus the
 * yearly subsidy, never below 0.
 */
export function maxChargeFen(input: {
  ownership: 'government' | 'social';
  kind: ServicePackageKind;
  publishedFeeFen: number;
  insured: boolean;
  subsidyPerYearFen: number;
}): number {
  const { ownership, kind, publishedFeeFen, insured, subsidyPerYearFen } = input;
  if (!insured) return publishedFeeFen;
  if (ownership === 'government') return kind === 'basic' ? 0 : publishedFeeFen;
  return Math.max(0, publishedFeeFen - subsidyPerYearFen);
}
