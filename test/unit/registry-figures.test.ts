import { describe, expect, it } from 'vitest';
import { type ContractFacts, registryFigures } from '#shared/domain/registry-figures.ts';
import { parsePeriod } from '#shared/domain/periods.ts';

const Q3 = parsePeriod('2026Q3')!;
const base: ContractFacts = { status: 'active', startDate: '2026-01-01', endDate: '2026-12-31', insured: true, keyPopulations: [] };

describe('registry figures', () => {
  it('counts contracts in force at the end of the period, renewals due and done, and key-population coverage', () => {
    const figures = registryFigures(
      [
        base,
        { ...base, insured: false, keyPopulations: ['diabetes'] },
        { ...base, startDate: '2026-10-01', endDate: '2027-09-30' }, // starts after the period
        { ...base, status: 'cancelled', endDate: '2026-08-31' }, // cancelled in the period
        { ...base, startDate: '2025-08-01', endDate: '2027-07-31', renewedEnds: ['2026-07-31'], keyPopulations: ['elderly-65'] }, // renewed in Q3
        { ...base, startDate: '2025-09-01', endDate: '2026-08-31' }, // lapsed in Q3
        { ...base, startDate: '2025-10-01', endDate: '2026-09-30' }, // ends on the last day: in force, and due without a renewal
      ],
      Q3,
    );
    expect(figures).toEqual({
      contracts: 4,
      insuredContracts: 3,
      renewals: { renewed: 1, due: 3 },
      keyPopulation: { covered: 2, eligible: 4 },
    });
  });
});
