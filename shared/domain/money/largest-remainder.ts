/**
 * The largest-remainder method on exact integers. Each line first gets its quota rounded
 * down; the fen left over go one each to the lines with the largest remainders. Ties are
 * broken by the larger weight, then by the id in ascending code-point order, so the result
 * depends only on the (id, weight) pairs and never on their order.
 */
import { compareCodePoints } from './line-ids.ts';

export interface ExactWeightedLine {
  id: string;
  /** a non-negative integer; only ratios between lines matter */
  weight: bigint;
}

/**
 * Splits `total` in proportion to the weights (quota = total × weight / Σ weights).
 * Amounts in input order. When every weight is 0 every amount is 0 (the caller reports the
 * total as unallocated).
 */
export function largestRemainder(total: bigint, lines: readonly ExactWeightedLine[]): bigint[] {
  const totalWeight = lines.reduce((sum, line) => sum + line.weight, 0n);
  if (totalWeight === 0n || total === 0n) return lines.map(() => 0n);
  return roundQuotas(
    lines.map((line) => total * line.weight),
    totalWeight,
    lines,
    total,
  );
}

/**
 * Rounds the exact quotas weight / denominator of each line to whole fen so that they add up
 * to floor(Σ quotas): every line gets its quota rounded down or up, never further away.
 * Used when entitlements fit in the pool and are paid as earned.
 */
export function roundEntitlements(lines: readonly ExactWeightedLine[], denominator: bigint): bigint[] {
  const target = lines.reduce((sum, line) => sum + line.weight, 0n) / denominator;
  return roundQuotas(
    lines.map((line) => line.weight),
    denominator,
    lines,
    target,
  );
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Quota of line i = numerators[i] / denominator; target ≤ Σ quotas < target + lines with a remainder. */
function roundQuotas(numerators: readonly bigint[], denominator: bigint, lines: readonly ExactWeightedLine[], target: bigint): bigint[] {
  const amounts = numerators.map((numerator) => numerator / denominator);
  const remainders = numerators.map((numerator) => numerator % denominator);
  let leftover = target - amounts.reduce((sum, amount) => sum + amount, 0n);
  if (leftover === 0n) return amounts;
  // More lines have a remainder than there are fen left over, so lines whose quota is a whole
  // number (including zero-weight lines) never receive one.
  const order = lines.map((_, index) => index).filter((index) => remainders[index]! > 0n);
  if (denominator <= SAFE && lines.every((line) => line.weight <= SAFE)) {
    // remainders are below the denominator: as safe integers they compare exactly, and faster
    const remainder = Float64Array.from(remainders, Number);
    const weight = Float64Array.from(lines, (line) => Number(line.weight));
    order.sort((a, b) => remainder[b]! - remainder[a]! || weight[b]! - weight[a]! || compareCodePoints(lines[a]!.id, lines[b]!.id));
  } else {
    order.sort((a, b) => compareForExtraFen(lines[a]!, remainders[a]!, lines[b]!, remainders[b]!));
  }
  for (const index of order) {
    if (leftover === 0n) break;
    amounts[index] = amounts[index]! + 1n;
    leftover -= 1n;
  }
  return amounts;
}

function compareForExtraFen(a: ExactWeightedLine, remainderA: bigint, b: ExactWeightedLine, remainderB: bigint): number {
  if (remainderA !== remainderB) return remainderA > remainderB ? -1 : 1;
  if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
  return compareCodePoints(a.id, b.id);
}
