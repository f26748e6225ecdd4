/**
 * Proportional allocation with per-line caps ("water filling"), on exact integers.
 *
 * A line whose proportional quota of what is left exceeds its cap is held at the cap and
 * leaves the pool; the rest is shared again among the remaining lines, until no quota exceeds
 * its cap. Capping a line raises everyone else's quota, so the lines can be visited once in
 * ascending order of cap / weight. What remains is split by the largest-remainder method;
 * because every remaining quota is at most its (integer) cap, the rounding cannot break a cap.
 * When every line with a weight is capped, the rest cannot be placed and is unallocated.
 */
import { compareCodePoints } from './line-ids.ts';
import { type ExactWeightedLine, largestRemainder } from './largest-remainder.ts';

export interface ExactCappedLine extends ExactWeightedLine {
  /** null: no cap */
  cap: bigint | null;
}

export interface ExactCappedResult {
  amounts: bigint[];
  /** true where the cap held the line below its proportional quota */
  capApplied: boolean[];
  unallocated: bigint;
}

export function allocateExactWithCaps(total: bigint, lines: readonly ExactCappedLine[]): ExactCappedResult {
  const amounts = lines.map(() => 0n);
  const capApplied = lines.map(() => false);
  // 1 while a line with a weight still shares in what is left
  const sharing = Uint8Array.from(lines, (line) => (line.weight > 0n ? 1 : 0));

  let remaining = total;
  let sharingWeight = 0n;
  for (const line of lines) if (line.weight > 0n) sharingWeight += line.weight;
  for (const index of capsInAscendingRatio(lines, sharing)) {
    const line = lines[index]!;
    const cap = line.cap!;
    // quota = remaining × weight / sharingWeight; held at the cap when quota > cap
    if (remaining * line.weight <= cap * sharingWeight) break;
    amounts[index] = cap;
    capApplied[index] = true;
    sharing[index] = 0;
    remaining -= cap;
    sharingWeight -= line.weight;
  }

  const rest: number[] = [];
  for (let index = 0; index < lines.length; index++) if (sharing[index] === 1) rest.push(index);
  const restAmounts = largestRemainder(
    remaining,
    rest.map((index) => lines[index]!),
  );
  rest.forEach((index, position) => {
    amounts[index] = restAmounts[position]!;
  });
  return { amounts, capApplied, unallocated: rest.length === 0 ? remaining : 0n };
}

function capsInAscendingRatio(lines: readonly ExactCappedLine[], sharing: Uint8Array): number[] {
  const capped: number[] = [];
  for (let index = 0; index < lines.length; index++) if (sharing[index] === 1 && lines[index]!.cap !== null) capped.push(index);
  return capped.sort((a, b) => {
    const x = lines[a]!;
    const y = lines[b]!;
    const left = x.cap! * y.weight;
    const right = y.cap! * x.weight;
    if (left !== right) return left < right ? -1 : 1;
    return compareCodePoints(x.id, y.id);
  });
}
