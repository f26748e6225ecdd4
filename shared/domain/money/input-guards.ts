import { isValidIsoDate } from '../dates.ts';
import { invalidMoneyInput } from './money-errors.ts';

export function assertIsoDate(value: string, label: string): void {
  if (typeof value !== 'string' || !isValidIsoDate(value)) {
    throw invalidMoneyInput('invalid-date', `${label} must be a calendar date, YYYY-MM-DD`, { field: label, value: String(value) });
  }
}
