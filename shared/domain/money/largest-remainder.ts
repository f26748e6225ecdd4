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
  if (denominator <= SAFE && lines.every((line) => line.weight <= SAFE)) {
    for (const index of largestRemaindersOfSafe(remainders, lines, Number(leftover))) amounts[index] = amounts[index]! + 1n;
    return amounts;
  }
  const order = lines.map((_, index) => index).filter((index) => remainders[index]! > 0n);
  order.sort((a, b) => compareForExtraFen(lines[a]!, remainders[a]!, lines[b]!, remainders[b]!));
  for (const index of order) {
    if (leftover === 0n) break;
    amounts[index] = amounts[index]! + 1n;
    leftover -= 1n;
  }
  return amounts;
}

/** largestRemaindersOf for remainders and weights that are safe integers. */
function largestRemaindersOfSafe(remainders: readonly bigint[], lines: readonly ExactWeightedLine[], count: number): Uint32Array {
  const remainder = new Float64Array(lines.length);
  const weight = new Float64Array(lines.length);
  for (let index = 0; index < lines.length; index++) {
    remainder[index] = Number(remainders[index]!);
    weight[index] = Number(lines[index]!.weight);
  }
  return largestRemaindersOf(remainder, weight, (index) => lines[index]!.id, count);
}

/**
 * The `count` lines (indices) that come first in compareForExtraFen's order among those with a
 * remainder above 0, in no particular order; remainders and weights are safe integers, which
 * compare exactly as doubles. The set is unique because the order is total (ids are unique),
 * so selecting it (quickselect, linear on average) gives what sorting every line would.
 */
export function largestRemaindersOf(remainder: ArrayLike<number>, weight: ArrayLike<number>, idOf: (index: number) => string, count: number): Uint32Array {
  let candidates = 0;
  for (let index = 0; index < remainder.length; index++) if ((remainder[index] as number) > 0) candidates++;
  const order = new Uint32Array(candidates);
  let next = 0;
  for (let index = 0; index < remainder.length; index++) if ((remainder[index] as number) > 0) order[next++] = index;
  if (count >= candidates) return order;
  const before = (a: number, b: number): boolean => {
    const ra = remainder[a] as number;
    const rb = remainder[b] as number;
    if (ra !== rb) return ra > rb;
    const wa = weight[a] as number;
    const wb = weight[b] as number;
    if (wa !== wb) return wa > wb;
    return compareCodePoints(idOf(a), idOf(b)) < 0;
  };
  selectFirst(order, count, before);
  return order.subarray(0, count);
}

/** Rearranges `items` so that its first `count` entries are the ones that come first by `before` (a strict total order). */
function selectFirst(items: Uint32Array, count: number, before: (a: number, b: number) => boolean): void {
  let lo = 0;
  let hi = items.length - 1;
  let seed = 0x9e3779b9;
  while (lo < hi) {
    // a pseudo-random pivot keeps ordered inputs linear; the outcome does not depend on it
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const p = lo + ((seed >>> 0) % (hi - lo + 1));
    const pivot = items[p] as number;
    items[p] = items[hi] as number;
    items[hi] = pivot;
    let store = lo;
    for (let i = lo; i < hi; i++) {
      const item = items[i] as number;
      if (before(item, pivot)) {
        items[i] = items[store] as number;
        items[store] = item;
        store++;
      }
    }
    items[hi] = items[store] as number;
    items[store] = pivot;
    // items[lo..store) come before the pivot, items(store..hi] after it
    if (store === count || store + 1 === count) return;
    if (store > count) hi = store - 1;
    else lo = store + 1;
  }
}

function compareForExtraFen(a: ExactWeightedLine, remainderA: bigint, b: ExactWeightedLine, remainderB: bigint): number {
  if (remainderA !== remainderB) return remainderA > remainderB ? -1 : 1;
  if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
  return compareCodePoints(a.id, b.id);
}
