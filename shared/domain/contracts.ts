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

export type ContractStatus = 'active' | 'cancelled';

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

/** A contract is in force on a date when it is not cancelled and the date is inside its term. */
export function isInForce(contract: { status: ContractStatus; startDate: string; endDate: string }, date: string): boolean {
  return contract.status === 'active' && contract.startDate <= date && date <= contract.endDate;
}

/** Renewal extends the term from the day after the current end. */
export function renewedEnd(currentEnd: string, termMonths: number): string {
  return termEnd(addDays(currentEnd, 1), termMonths);
}
