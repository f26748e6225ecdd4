/**
 * Splitting an amount of fen over lines in proportion to weights, exactly: the lines always
 * add up to what is allocated, and allocated + unallocated = total.
 */
import { allocateExactWithCaps } from './capped-allocation.ts';
import { type DecimalInput, maxScale, parseDecimal, unitsAtScale } from './exact-decimal.ts';
import { assertFen, type Fen, fenFromBigInt } from './fen.ts';
import { largestRemainder } from './largest-remainder.ts';
import { assertUniqueIds } from './line-ids.ts';
import { invalidMoneyInput } from './money-errors.ts';

/** A non-negative integer (number or bigint) or an exact decimal string such as "1234.5". */
export type WeightInput = DecimalInput;

export const MAX_WEIGHT_DECIMALS = 18;

export interface WeightedLineInput {
  id: string;
  weight: WeightInput;
}

export interface CappedLineInput extends WeightedLineInput {
  /** the most this line may receive, in fen; absent: no cap */
  cap?: Fen;
}

export interface AllocationLine {
  id: string;
  amount: Fen;
}

export interface CappedAllocationLine extends AllocationLine {
  cap: Fen | null;
  /** true when the cap held the line below its proportional share */
  capApplied: boolean;
}

export interface Allocation<Line extends AllocationLine = AllocationLine> {
  total: Fen;
  allocated: Fen;
  /** fen nobody could take: all weights 0, or every line with a weight capped */
  unallocated: Fen;
  /** in input order */
  lines: Line[];
}

/**
 * Weights as integers on one common scale. Numbers must be non-negative safe integers;
 * fractional weights come as decimal strings (up to 18 decimals) so nothing is rounded.
 */
export function exactWeights(weights: readonly WeightInput[], label = 'weight'): bigint[] {
  const decimals = weights.map((weight) => {
    if (typeof weight === 'number' && !Number.isInteger(weight)) {
      throw invalidMoneyInput('fractional-weight-number', `A fractional ${label} must be a decimal string, e.g. "12.5"`, {
        field: label,
      });
    }
    return parseDecimal(weight, label, MAX_WEIGHT_DECIMALS);
  });
  const scale = maxScale(decimals);
  return decimals.map((d) => unitsAtScale(d, scale));
}

/**
 * Largest-remainder split of `total` in proportion to the weights. Zero-weight lines get 0;
 * when every weight is 0 nothing is allocated and the whole total is reported as unallocated.
 */
export function allocateByWeights(total: Fen, lines: readonly WeightedLineInput[]): Allocation {
  assertFen(total, 'total');
  assertUniqueIds(
    lines.map((line) => line.id),
    'line',
  );
  const weights = exactWeights(lines.map((line) => line.weight));
  const amounts = largestRemainder(
    BigInt(total),
    lines.map((line, index) => ({ id: line.id, weight: weights[index]! })),
  );
  const allocated = amounts.reduce((sum, amount) => sum + amount, 0n);
  return {
    total,
    allocated: fenFromBigInt(allocated),
    unallocated: fenFromBigInt(BigInt(total) - allocated),
    lines: lines.map((line, index) => ({ id: line.id, amount: Number(amounts[index]!) })),
  };
}

/**
 * Proportional split with per-line caps: a line whose share would exceed its cap gets the cap,
 * and the excess is shared again among the uncapped lines, round after round, until nothing is
 * left over or every line with a weight is capped (the rest is then unallocated).
 */
export function allocateWithCaps(total: Fen, lines: readonly CappedLineInput[]): Allocation<CappedAllocationLine> {
  assertFen(total, 'total');
  assertUniqueIds(
    lines.map((line) => line.id),
    'line',
  );
  for (const line of lines) if (line.cap !== undefined) assertFen(line.cap, `cap of ${line.id}`);
  const weights = exactWeights(lines.map((line) => line.weight));
  const result = allocateExactWithCaps(
    BigInt(total),
    lines.map((line, index) => ({ id: line.id, weight: weights[index]!, cap: line.cap === undefined ? null : BigInt(line.cap) })),
  );
  return {
    total,
    allocated: fenFromBigInt(BigInt(total) - result.unallocated),
    unallocated: fenFromBigInt(result.unallocated),
    lines: lines.map((line, index) => ({
      id: line.id,
      amount: Number(result.amounts[index]!),
      cap: line.cap ?? null,
      capApplied: result.capApplied[index]!,
    })),
  };
}
