/** Response views that leave out internal attributes (the resident ref never leaves the API). */
import { asOfToday } from '../domain/contracts.ts';
import type { Contract } from './contracts.ts';

/** The contract as a response shows it on `today`: a passed end date shows as `ended` before the daily step stores it. */
export function contractView(contract: Contract, today: string): Omit<Contract, 'residentRef'> {
  const { residentRef: _hidden, ...view } = asOfToday(contract, today);
  return view;
}
