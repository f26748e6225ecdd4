import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from '../../../shared/domain/dates.ts';
import { settleSubsidy, splitTeamAmount, type SubsidyContract } from '../../../shared/domain/money/index.ts';
import { poolArb, shuffle } from './arbitraries.ts';

/** generous: hundreds of runs over up to 500 lines, on a busy machine */
const PROPERTY_TIMEOUT = 60_000;

const ROLES = ['general-practitioner', 'community-nurse', 'pharmacist', 'specialist', 'other'];
const dayArb = (from: string, to: string) => fc.integer({ min: toDayNumber(from), max: toDayNumber(to) }).map(fromDayNumber);

const membersArb = fc
  .uniqueArray(
    fc.record({
      memberId: fc.stringMatching(/^m[0-9a-z]{1,6}$/),
      role: fc.constantFrom(...ROLES),
      joinedOn: dayArb('2025-10-01', '2026-04-30'),
      stay: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 60, size: 'max', selector: (member) => member.memberId },
  )
  .map((members) =>
    members.map(({ stay, ...member }) => (stay === undefined ? member : { ...member, leftOn: fromDayNumber(toDayNumber(member.joinedOn) + stay) })),
  );

const sharesArb = fc.record({
  'general-practitioner': fc.integer({ min: 0, max: 100 }),
  'community-nurse': fc.integer({ min: 0, max: 100 }),
  other: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant('12.5')),
});

describe('member split properties', () => {
  it(
    'adds up to the team amount whenever someone has a weight, and is order-independent',
    () => {
      fc.assert(
        fc.property(poolArb, membersArb, sharesArb, fc.nat(), (teamAmount, members, roleShares, seed) => {
          const period = { start: '2026-01-01', end: '2026-03-31' };
          const split = splitTeamAmount({ teamAmount, period, members, roleShares });
          const total = split.lines.reduce((acc, line) => acc + line.amount, 0);
          expect(total).toBe(split.allocated);
          expect(split.allocated + split.unallocated).toBe(teamAmount);
          const anyWeight = split.lines.some((line) => line.weight !== '0');
          expect(split.unallocated).toBe(anyWeight ? 0 : teamAmount);
          for (const line of split.lines) {
            expect(line.amount).toBeGreaterThanOrEqual(0);
            expect(line.daysPresent).toBeLessThanOrEqual(90);
            if (line.daysPresent === 0) expect(line.amount).toBe(0);
          }
          const again = splitTeamAmount({ teamAmount, period, members: shuffle(members, seed), roleShares });
          const amounts = new Map(split.lines.map((line) => [line.memberId, line.amount]));
          for (const line of again.lines) expect(line.amount).toBe(amounts.get(line.memberId));
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

const contractsArb = fc
  .array(
    fc.record({
      institutionId: fc.constantFrom('i1', 'i2', 'i3', 'i-four'),
      teamId: fc.constantFrom('t1', 't2', 't3', 't4', 't5'),
      insured: fc.boolean(),
      startDate: dayArb('2023-01-01', '2024-12-31'),
      length: fc.integer({ min: 0, max: 400 }),
      cancelled: fc.boolean(),
    }),
    { maxLength: 300, size: 'max' },
  )
  .map((rows) =>
    rows.map(
      ({ length, cancelled, ...row }, i): SubsidyContract => ({
        ...row,
        contractId: `c${i}`,
        endDate: fromDayNumber(toDayNumber(row.startDate) + length),
        status: cancelled ? 'cancelled' : 'active',
      }),
    ),
  );

describe('subsidy properties', () => {
  it(
    'rounds once per institution and splits it exactly to teams, in any input order',
    () => {
      fc.assert(
        fc.property(
          contractsArb,
          fc.constantFrom('2024Q1', '2024Q3', '2023Q1', '2024'),
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.nat(),
          (contracts, periodId, yearlyRateFen, seed) => {
            const periods: Record<string, { start: string; end: string }> = {
              '2024Q1': { start: '2024-01-01', end: '2024-03-31' },
              '2024Q3': { start: '2024-07-01', end: '2024-09-30' },
              '2023Q1': { start: '2023-01-01', end: '2023-03-31' },
              '2024': { start: '2024-01-01', end: '2024-12-31' },
            };
            const period = periods[periodId]!;
            const settlement = settleSubsidy({ period, yearlyRateFen, contracts });
            const yearDays = BigInt(settlement.yearDays);
            for (const institution of settlement.institutions) {
              const exact = BigInt(yearlyRateFen) * BigInt(institution.contractDays);
              // round half up: |2·yearDays·subsidy − 2·exact| ≤ yearDays, ties upward
              const twice = 2n * yearDays * BigInt(institution.subsidyFen) - 2n * exact;
              expect(twice > -yearDays && twice <= yearDays).toBe(true);
              expect(institution.teams.reduce((acc, team) => acc + team.subsidyFen, 0)).toBe(institution.subsidyFen);
              expect(institution.teams.reduce((acc, team) => acc + team.contractDays, 0)).toBe(institution.contractDays);
              for (const team of institution.teams) expect(team.contractDays).toBeLessThanOrEqual(team.subsidisedContracts * settlement.period.days);
            }
            expect(settlement.institutions.reduce((acc, line) => acc + line.subsidyFen, 0)).toBe(settlement.subsidyFen);
            const again = settleSubsidy({ period, yearlyRateFen, contracts: shuffle(contracts, seed) });
            expect(JSON.stringify(again)).toBe(JSON.stringify(settlement));
          },
        ),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
