/**
 * Figures the contract registry knows about a team in a period, never uploaded:
 * - contracts / insured contracts: in force on the period's last day;
 * - renewals: contracts whose term came to its end inside the period ("due"), and of those the
 *   ones renewed (a renewal records the end it extended);
 * - key-population coverage: of the contracts in force at the period's end, those with a
 *   key-population tag (the platform has no census of the catchment, so the registry's own
 *   contracts are the denominator).
 */
import { type ContractStatus, isInForce, type KeyPopulation } from './contracts.ts';
import type { Period } from './periods.ts';

export interface ContractFacts {
  status: ContractStatus;
  startDate: string;
  endDate: string;
  insured: boolean;
  keyPopulations: readonly KeyPopulation[];
  /** ends that renewals extended, oldest first */
  renewedEnds?: readonly string[];
}

export interface RegistryFigures {
  contracts: number;
  insuredContracts: number;
  renewals: { renewed: number; due: number };
  keyPopulation: { covered: number; eligible: number };
}

export function registryFigures(contracts: Iterable<ContractFacts>, period: Pick<Period, 'start' | 'end'>): RegistryFigures {
  const figures: RegistryFigures = { contracts: 0, insuredContracts: 0, renewals: { renewed: 0, due: 0 }, keyPopulation: { covered: 0, eligible: 0 } };
  const inPeriod = (date: string) => date >= period.start && date <= period.end;
  for (const contract of contracts) {
    const inForceAtEnd = isInForce(contract, period.end);
    if (inForceAtEnd) {
      figures.contracts++;
      if (contract.insured) figures.insuredContracts++;
      figures.keyPopulation.eligible++;
      if (contract.keyPopulations.length > 0) figures.keyPopulation.covered++;
    }
    const renewedHere = (contract.renewedEnds ?? []).filter(inPeriod).length;
    figures.renewals.renewed += renewedHere;
    figures.renewals.due += renewedHere;
    // a term ending in the period that no renewal has extended (yet) is due and not renewed
    if (contract.status !== 'cancelled' && inPeriod(contract.endDate)) figures.renewals.due++;
  }
  return figures;
}
