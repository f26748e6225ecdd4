/** Response views that leave out internal attributes (the resident ref never leaves the API). */
import type { Contract } from '../data/contracts.ts';

export function contractView(contract: Contract): Omit<Contract, 'residentRef'> {
  const { residentRef: _hidden, ...view } = contract;
  return view;
}
