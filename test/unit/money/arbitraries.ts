/** fast-check generators and helpers shared by the money property tests. */
import fc from 'fast-check';
import type { TeamIncentiveInput } from '../../../shared/domain/money/index.ts';
import { seededRandom } from '../../../local/seed/random.ts';

/** Pools from a few fen (where rounding dominates) up to 10^12 fen (10 billion yuan). */
export const poolArb = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.bigInt({ min: 0n, max: 10n ** 12n }).map(Number));

/** Unique ids, including characters outside the BMP so code-point ordering is exercised. */
export const idArb = fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }));

/** Integer weights as numbers and bigints, and exact decimal strings. */
export const weightArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.bigInt({ min: 0n, max: 10n ** 30n }),
  fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 99 })).map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`),
);

/** A score 0–100 with two decimals, as "87.50". */
export const scoreArb = fc.integer({ min: 0, max: 10_000 }).map((hundredths) => `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`);

export function teamsArb(maxTeams: number): fc.Arbitrary<TeamIncentiveInput[]> {
  return fc.uniqueArray(
    fc.record({
      teamId: idArb,
      score: scoreArb,
      eligibility: fc.constantFrom('eligible', 'eligible', 'eligible', 'capped', 'void') as fc.Arbitrary<TeamIncentiveInput['eligibility']>,
      gateCapPercent: scoreArb,
      activeContracts: fc.integer({ min: 0, max: 2000 }),
      weightedResidents: fc.integer({ min: 0, max: 40_000 }).map((tenths) => `${Math.floor(tenths / 10)}.${tenths % 10}`),
    }),
    { minLength: 1, maxLength: maxTeams, size: 'max', selector: (team) => team.teamId },
  );
}

/** A deterministic permutation (mulberry32-driven Fisher–Yates). */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  const { next } = seededRandom(seed);
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

export function byId<L>(lines: readonly L[], id: (line: L) => string): Map<string, L> {
  return new Map(lines.map((line) => [id(line), line]));
}
