import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByWeights, allocateWithCaps, exactWeights } from '../../../shared/domain/money/index.ts';
import { byId, idArb, poolArb, shuffle, weightArb } from './arbitraries.ts';

/** generous: hundreds of runs over up to 500 lines, on a busy machine */
const PROPERTY_TIMEOUT = 60_000;

const linesArb = fc.uniqueArray(fc.record({ id: idArb, weight: weightArb }), { minLength: 1, maxLength: 500, size: 'max', selector: (line) => line.id });
const cappedLinesArb = fc.uniqueArray(
  fc.record({
    id: idArb,
    weight: weightArb,
    cap: fc.option(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.bigInt({ min: 0n, max: 10n ** 11n }).map(Number)), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 500, size: 'max', selector: (line) => line.id },
);

describe('allocateByWeights properties', () => {
  it(
    'conserves the total, stays non-negative and within one fen of each exact quota',
    () => {
      fc.assert(
        fc.property(poolArb, linesArb, (total, lines) => {
          const result = allocateByWeights(total, lines);
          const weights = exactWeights(lines.map((line) => line.weight));
          const totalWeight = weights.reduce((sum, weight) => sum + weight, 0n);
          const sum = result.lines.reduce((acc, line) => acc + line.amount, 0);
          expect(sum).toBe(result.allocated);
          expect(result.allocated + result.unallocated).toBe(total);
          expect(result.unallocated).toBe(totalWeight === 0n ? total : 0);
          result.lines.forEach((line, i) => {
            expect(line.amount).toBeGreaterThanOrEqual(0);
            if (totalWeight === 0n) return;
            // |amount − total × w / W| < 1
            const gap = BigInt(line.amount) * totalWeight - BigInt(total) * weights[i]!;
            expect(gap > -totalWeight && gap < totalWeight).toBe(true);
            if (weights[i] === 0n) expect(line.amount).toBe(0);
          });
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'is deterministic and independent of input order',
    () => {
      fc.assert(
        fc.property(poolArb, linesArb, fc.nat(), (total, lines, seed) => {
          const first = allocateByWeights(total, lines);
          expect(JSON.stringify(allocateByWeights(total, lines))).toBe(JSON.stringify(first));
          const shuffled = allocateByWeights(total, shuffle(lines, seed));
          const amounts = byId(first.lines, (line) => line.id);
          for (const line of shuffled.lines) expect(line.amount).toBe(amounts.get(line.id)!.amount);
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe('allocateWithCaps properties', () => {
  it(
    'conserves the total, respects caps and only leaves money when everyone who could take it is capped',
    () => {
      fc.assert(
        fc.property(poolArb, cappedLinesArb, (total, lines) => {
          const result = allocateWithCaps(total, lines);
          const weights = exactWeights(lines.map((line) => line.weight));
          const sum = result.lines.reduce((acc, line) => acc + line.amount, 0);
          expect(sum).toBe(result.allocated);
          expect(result.allocated + result.unallocated).toBe(total);
          result.lines.forEach((line, i) => {
            expect(line.amount).toBeGreaterThanOrEqual(0);
            if (line.cap !== null) expect(line.amount).toBeLessThanOrEqual(line.cap);
            if (weights[i] === 0n) expect(line.amount).toBe(0);
            if (line.capApplied) expect(line.amount).toBe(line.cap);
          });
          if (result.unallocated > 0) {
            result.lines.forEach((line, i) => {
              if (weights[i]! > 0n) expect(line.capApplied).toBe(true);
            });
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'is water-filling: a capped line would have had more than its cap, uncapped lines stay proportional',
    () => {
      fc.assert(
        fc.property(poolArb, cappedLinesArb, (total, lines) => {
          const result = allocateWithCaps(total, lines);
          const weights = exactWeights(lines.map((line) => line.weight));
          const free = result.lines.map((line, i) => ({ line, weight: weights[i]! })).filter(({ line, weight }) => weight > 0n && !line.capApplied);
          const held = result.lines.map((line, i) => ({ line, weight: weights[i]! })).filter(({ line }) => line.capApplied);
          for (const u of free.slice(0, 20)) {
            for (const c of held.slice(0, 20)) {
              // cap_c / w_c < (a_u + 1) / w_u
              expect(BigInt(c.line.cap!) * u.weight < BigInt(u.line.amount + 1) * c.weight).toBe(true);
            }
            for (const v of free.slice(0, 20)) {
              // |a_u·w_v − a_v·w_u| < w_u + w_v
              const gap = BigInt(u.line.amount) * v.weight - BigInt(v.line.amount) * u.weight;
              const bound = u.weight + v.weight;
              expect(gap > -bound && gap < bound).toBe(true);
            }
          }
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'is deterministic and independent of input order',
    () => {
      fc.assert(
        fc.property(poolArb, cappedLinesArb, fc.nat(), (total, lines, seed) => {
          const first = allocateWithCaps(total, lines);
          expect(JSON.stringify(allocateWithCaps(total, lines))).toBe(JSON.stringify(first));
          const amounts = byId(first.lines, (line) => line.id);
          for (const line of allocateWithCaps(total, shuffle(lines, seed)).lines) expect(line).toEqual(amounts.get(line.id));
        }),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
