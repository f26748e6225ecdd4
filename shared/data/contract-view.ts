/** Response views that leave out internal attributes (the resident ref never leaves the API). */
import type { Contract } from './contracts.ts';

export function contractView(contract: Contract): Omit<Contract, 'residentRef'> {
  const { residentRef: _hidden, ...view } = contract;
  return view;
}
