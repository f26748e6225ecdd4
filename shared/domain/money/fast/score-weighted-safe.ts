/**
 * allocateScoreWeighted for the common inputs, on doubles holding safe integers: scores and
 * percentages as plain numbers or short decimal texts, every weight and their sum below 2^53.
 * It follows the general path (score-weighted.ts with capped-allocation.ts and
 * largest-remainder.ts) step by step and gives the same amounts, to the fen; a product that may
 * pass 2^53 is computed with BigInt. Each team's figures are kept in typed columns, and a line's
 * facts (PreparedTeam, LineFacts) are rebuilt from them only when its explanation is read, so a
 * district of 420,000 lines holds a few numbers per line. Anything else (including every input
 * the general path rejects) returns null, and the general path runs instead.
 */
import { type QuickDecimal, readQuickDecimal, type ScannedDigits, scannedDigits } from '../../exact/decimal-text.ts';
import type { Fen } from '../fen.ts';
import type { Eligibility, IncentiveExplanation, IncentiveLine, IncentiveResult, ScoreWeightedOptions, TeamIncentiveInput } from '../incentive-types.ts';
import type { PreparedTeam } from '../incentive-inputs.ts';
import { largestRemaindersOf } from '../largest-remainder.ts';
import { lazyLine } from '../lazy-line.ts';
import { assertUniqueIds, compareCodePoints } from '../line-ids.ts';
import { callFacts, describeLine, explainLine, type LineFacts } from '../score-weighted-lines.ts';

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * A column of a number per team, as a plain array on the JS heap: typed arrays live outside it,
 * and tens of MB more of those than at the last full collection set off another one, which
 * marks the whole heap (all the district's facts) again.
 */
const column = (n: number, fill = 0): number[] => new Array<number>(n).fill(fill);
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
const ELIGIBILITY: readonly Eligibility[] = ['eligible', 'capped', 'void'];
const GATE_DENOMINATOR = 10_000; // percentages in hundredths

/** parsePercentLike's hundredths for a quick input within 0–100; −1 otherwise. */
function hundredths(value: unknown, read: Reader): number {
  if (!readQuickDecimal(value, 2, read.quick, read.digits)) return -1;
  const h = read.quick.units * (POW10[2 - read.quick.scale] as number);
  return h <= 10_000 ? h : -1;
}

/** Where one allocation's decimal reads land, made once per call rather than once per team. */
interface Reader {
  quick: QuickDecimal;
  digits: ScannedDigits;
}
const reader = (): Reader => ({ quick: { units: 0, scale: 0 }, digits: scannedDigits() });

/** Sign of a × b − c × d for non-negative safe integers: doubles when clearly apart, BigInt otherwise. */
function compareProducts(a: number, b: number, c: number, d: number): number {
  const left = a * b;
  const right = c * d;
  if (left <= SAFE && right <= SAFE) return left < right ? -1 : left > right ? 1 : 0;
  if (Math.abs(left - right) > 1e-12 * (left + right)) return left < right ? -1 : 1;
  const x = BigInt(a) * BigInt(b);
  const y = BigInt(c) * BigInt(d);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** floor(a × b / d) and the remainder (in quotientRemainder) for non-negative safe integers with a result below 2^53. */
let quotientRemainder = 0;
function mulDiv(a: number, b: number, d: number): number {
  const product = a * b;
  if (product <= SAFE) {
    let q = Math.floor(product / d);
    let r = product - q * d;
    if (r < 0) {
      q--;
      r += d;
    } else if (r >= d) {
      q++;
      r -= d;
    }
    quotientRemainder = r;
    return q;
  }
  const big = BigInt(a) * BigInt(b);
  const divisor = BigInt(d);
  quotientRemainder = Number(big % divisor);
  return Number(big / divisor);
}

/** Each team's inputs as the general path reads them, in columns; null when any is not a quick input. */
interface Columns {
  ids: string[];
  score: number[];
  /** −1: not capped */
  capPercent: number[];
  eligibility: number[];
  belowFloor: number[];
  activeContracts: number[];
  residents: number[];
  residentsScale: number[];
}

function readColumns(teams: readonly TeamIncentiveInput[], floor: number): Columns | null {
  const n = teams.length;
  const read = reader();
  const c: Columns = {
    ids: new Array<string>(n),
    score: column(n),
    capPercent: column(n),
    eligibility: column(n),
    belowFloor: column(n),
    activeContracts: column(n),
    residents: column(n),
    residentsScale: column(n),
  };
  for (let i = 0; i < n; i++) {
    const team = teams[i] as TeamIncentiveInput;
    const score = hundredths(team.score, read);
    const eligibility = ELIGIBILITY.indexOf(team.eligibility);
    if (score < 0 || eligibility < 0 || !Number.isSafeInteger(team.activeContracts) || team.activeContracts < 0) return null;
    let cap = -1;
    if (team.eligibility === 'capped') {
      cap = hundredths(team.gateCapPercent, read);
      if (cap < 0) return null;
    }
    if (!readQuickDecimal(team.weightedResidents, 6, read.quick, read.digits)) return null;
    const residents = read.quick.units;
    c.ids[i] = team.teamId;
    c.score[i] = score;
    c.capPercent[i] = cap;
    c.eligibility[i] = eligibility;
    c.belowFloor[i] = floor >= 0 && score < floor ? 1 : 0;
    c.activeContracts[i] = team.activeContracts;
    c.residents[i] = residents;
    c.residentsScale[i] = read.quick.scale;
  }
  return c;
}

/** exactMeasures on safe integers: each team's measure at the largest scale; null past 2^53. */
function measures(c: Columns, kind: ScoreWeightedOptions['sizeMeasure']): number[] | null {
  if (kind === 'active-contracts') return c.activeContracts;
  let scale = 0;
  for (let i = 0; i < c.residentsScale.length; i++) scale = Math.max(scale, c.residentsScale[i] as number);
  const units = column(c.residents.length);
  for (let i = 0; i < units.length; i++) {
    const u = (c.residents[i] as number) * (POW10[scale - (c.residentsScale[i] as number)] as number);
    if (u > SAFE) return null;
    units[i] = u;
  }
  return units;
}

export function allocateScoreWeightedSafe(teams: readonly TeamIncentiveInput[], options: ScoreWeightedOptions): IncentiveResult | null {
  if (options.sizeMeasure !== 'active-contracts' && options.sizeMeasure !== 'weighted-residents') return null;
  assertUniqueIds(
    teams.map((team) => team.teamId),
    'team',
  );
  const floor = options.scoreFloor === undefined ? -1 : hundredths(options.scoreFloor, reader());
  if (options.scoreFloor !== undefined && floor < 0) return null;
  const c = readColumns(teams, floor);
  if (!c) return null;
  const measure = measures(c, options.sizeMeasure);
  if (!measure) return null;
  const n = teams.length;

  const weight = column(n);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    if (c.eligibility[i] === 2 || c.belowFloor[i] === 1) continue;
    const w = (c.score[i] as number) * (measure[i] as number);
    if (w > SAFE) return null;
    weight[i] = w;
    totalWeight += w;
    if (totalWeight > SAFE) return null;
  }

  const pool = options.pool;
  const teamCap = options.teamCapFen ?? -1;
  // −1: none; a gate limit is at most the pool
  const limit = column(n, -1);
  const cap = column(n, -1);
  for (let i = 0; i < n; i++) {
    const gate = c.capPercent[i] as number;
    if (gate >= 0 && totalWeight > 0) {
      limit[i] = Number((BigInt(pool) * BigInt(weight[i] as number) * BigInt(gate)) / (BigInt(totalWeight) * BigInt(GATE_DENOMINATOR)));
    }
    const l = limit[i] as number;
    cap[i] = l < 0 ? teamCap : teamCap < 0 || l < teamCap ? l : teamCap;
  }

  const { amount, capApplied, unallocated } = allocateWithCaps(pool, c.ids, weight, totalWeight, cap);

  const call = callFacts(options, BigInt(pool), BigInt(totalWeight));
  const factsOf = (i: number): LineFacts => {
    const l = limit[i] as number;
    const held = capApplied[i] === 1;
    return {
      call,
      team: preparedTeam(c, i),
      weight: BigInt(weight[i] as number),
      limit: l < 0 ? null : BigInt(l),
      held,
      heldByGate: held && l >= 0 && (teamCap < 0 || l <= teamCap),
      amount: amount[i] as number,
    };
  };
  const explain = (i: number): IncentiveExplanation => explainLine(factsOf(i));
  const describe = (i: number, explanation: IncentiveExplanation) => describeLine(factsOf(i), explanation);
  const lines: IncentiveLine[] = new Array(n);
  for (let i = 0; i < n; i++) lines[i] = lazyLine(c.ids[i] as string, amount[i] as number, i, explain, describe);

  return { method: 'score-weighted', pool, paid: pool - unallocated, unallocated, scaledDown: false, lines };
}

/** The team as prepareTeams gives it. */
function preparedTeam(c: Columns, i: number): PreparedTeam {
  const cap = c.capPercent[i] as number;
  return {
    teamId: c.ids[i] as string,
    score: { units: BigInt(c.score[i] as number), scale: 2 },
    eligibility: ELIGIBILITY[c.eligibility[i] as number] as Eligibility,
    belowFloor: c.belowFloor[i] === 1,
    capPercent: cap < 0 ? null : { units: BigInt(cap), scale: 2 },
    activeContracts: c.activeContracts[i] as number,
    weightedResidents: { units: BigInt(c.residents[i] as number), scale: c.residentsScale[i] as number },
  };
}

/** allocateExactWithCaps, then largestRemainder over the lines still sharing, on safe integers. */
function allocateWithCaps(
  total: Fen,
  ids: readonly string[],
  weight: number[],
  totalWeight: number,
  cap: number[],
): { amount: number[]; capApplied: number[]; unallocated: Fen } {
  const n = ids.length;
  const amount = column(n);
  const capApplied = column(n);
  const capped: number[] = [];
  for (let i = 0; i < n; i++) if ((weight[i] as number) > 0 && (cap[i] as number) >= 0) capped.push(i);
  capped.sort(
    (a, b) =>
      compareProducts(cap[a] as number, weight[b] as number, cap[b] as number, weight[a] as number) || compareCodePoints(ids[a] as string, ids[b] as string),
  );
  let remaining = total;
  let sharingWeight = totalWeight;
  for (const i of capped) {
    const w = weight[i] as number;
    const c = cap[i] as number;
    if (compareProducts(remaining, w, c, sharingWeight) <= 0) break;
    amount[i] = c;
    capApplied[i] = 1;
    remaining -= c;
    sharingWeight -= w;
  }

  let sharing = 0;
  for (let i = 0; i < n; i++) if ((weight[i] as number) > 0 && capApplied[i] === 0) sharing++;
  // only lines with a weight share, and every zero-weight line gets 0 anyway
  if (sharing === 0) return { amount, capApplied, unallocated: remaining };
  if (remaining === 0 || sharingWeight === 0) return { amount, capApplied, unallocated: 0 };
  const remainder = column(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const w = weight[i] as number;
    if (w === 0 || capApplied[i] === 1) continue;
    const q = mulDiv(remaining, w, sharingWeight);
    amount[i] = q;
    remainder[i] = quotientRemainder;
    given += q;
  }
  const leftover = remaining - given;
  if (leftover > 0) for (const i of largestRemaindersOf(remainder, weight, (index) => ids[index] as string, leftover)) amount[i] = (amount[i] as number) + 1;
  return { amount, capApplied, unallocated: 0 };
}
