/**
 * Splitting a team's incentive among its members by the role shares the district sets.
 *
 * weight of a member = Σ over their stints of role share × days present in the period / period days
 * amount = largest-remainder split of the team amount by weight (lines add up to the team amount).
 * A role without a configured share takes the share of 'other'; without that either its share is 0.
 * Dates are inclusive: joinedOn is the first day on the team, leftOn the last.
 */
import { daysInclusive, overlapDays } from '../dates.ts';
import { pow10 } from '../exact/integers.ts';
import { type DecimalInput, type ExactDecimal, formatDecimal, formatFraction, maxScale, parseDecimal, unitsAtScale } from './exact-decimal.ts';
import { assertFen, type Fen, fenFromBigInt } from './fen.ts';
import { assertIsoDate } from './input-guards.ts';
import { largestRemainder } from './largest-remainder.ts';
import { invalidMoneyInput } from './money-errors.ts';

export const FALLBACK_ROLE = 'other';
const SHARE_DECIMALS = 6;

export interface TeamMembership {
  memberId: string;
  role: string;
  joinedOn: string;
  /** last day on the team, inclusive; absent while still a member */
  leftOn?: string;
}

/** e.g. { 'general-practitioner': 40, 'community-nurse': 30, other: 10 }; only ratios matter. */
export type RoleShares = Readonly<Record<string, DecimalInput>>;

export interface MemberSplitInput {
  teamAmount: Fen;
  period: { start: string; end: string };
  /** one entry per stint; a member who changed role or came back has several */
  members: readonly TeamMembership[];
  roleShares: RoleShares;
}

export type ShareSource = 'role' | 'other' | 'none';

export interface MemberStint {
  role: string;
  joinedOn: string;
  leftOn: string | null;
  daysPresent: number;
  share: string;
  shareSource: ShareSource;
}

export interface MemberSplitLine {
  memberId: string;
  amount: Fen;
  daysPresent: number;
  /** exact: Σ share × days present / period days, a reduced fraction */
  weight: string;
  stints: MemberStint[];
}

export interface MemberSplit {
  teamAmount: Fen;
  periodDays: number;
  allocated: Fen;
  /** the whole amount when no member has a weight (nobody present, or every share 0) */
  unallocated: Fen;
  /** one line per member, in order of first appearance */
  lines: MemberSplitLine[];
}

export function splitTeamAmount(input: MemberSplitInput): MemberSplit {
  assertFen(input.teamAmount, 'teamAmount');
  const { start, end } = input.period;
  assertIsoDate(start, 'period.start');
  assertIsoDate(end, 'period.end');
  if (end < start) throw invalidMoneyInput('invalid-period', 'The period ends before it starts', { start, end });
  const periodDays = daysInclusive(start, end);
  const shares = parseShares(input.roleShares);
  const scale = maxScale([...shares.values()]);

  const byMember = new Map<string, { stints: MemberStint[]; weight: bigint; days: number }>();
  for (const member of input.members) {
    validateMembership(member);
    const leftOn = member.leftOn ?? null;
    const daysPresent = overlapDays(member.joinedOn, leftOn ?? end, start, end);
    const { share, source } = shareOf(member.role, shares);
    const entry = byMember.get(member.memberId) ?? { stints: [], weight: 0n, days: 0 };
    entry.stints.push({ role: member.role, joinedOn: member.joinedOn, leftOn, daysPresent, share: formatDecimal(share), shareSource: source });
    entry.weight += unitsAtScale(share, scale) * BigInt(daysPresent);
    entry.days += daysPresent;
    byMember.set(member.memberId, entry);
  }
  for (const [memberId, entry] of byMember) assertNoOverlap(memberId, entry.stints);

  const members = [...byMember];
  const amounts = largestRemainder(
    BigInt(input.teamAmount),
    members.map(([memberId, entry]) => ({ id: memberId, weight: entry.weight })),
  );
  const allocated = amounts.reduce((sum, amount) => sum + amount, 0n);
  const weightDenominator = pow10(scale) * BigInt(periodDays);
  return {
    teamAmount: input.teamAmount,
    periodDays,
    allocated: fenFromBigInt(allocated),
    unallocated: fenFromBigInt(BigInt(input.teamAmount) - allocated),
    lines: members.map(([memberId, entry], i) => ({
      memberId,
      amount: Number(amounts[i]!),
      daysPresent: entry.days,
      weight: formatFraction(entry.weight, weightDenominator),
      stints: entry.stints,
    })),
  };
}

function parseShares(roleShares: RoleShares): Map<string, ExactDecimal> {
  const shares = new Map<string, ExactDecimal>();
  for (const [role, share] of Object.entries(roleShares)) {
    shares.set(role, parseDecimal(share, `share of ${role}`, SHARE_DECIMALS));
  }
  return shares;
}

function shareOf(role: string, shares: ReadonlyMap<string, ExactDecimal>): { share: ExactDecimal; source: ShareSource } {
  const own = shares.get(role);
  if (own) return { share: own, source: 'role' };
  const fallback = shares.get(FALLBACK_ROLE);
  if (fallback) return { share: fallback, source: 'other' };
  return { share: { units: 0n, scale: 0 }, source: 'none' };
}

function validateMembership(member: TeamMembership): void {
  if (typeof member.memberId !== 'string' || member.memberId.length === 0) {
    throw invalidMoneyInput('invalid-id', 'Every member needs a non-empty memberId', { field: 'memberId' });
  }
  assertIsoDate(member.joinedOn, `joinedOn of ${member.memberId}`);
  if (member.leftOn !== undefined) {
    assertIsoDate(member.leftOn, `leftOn of ${member.memberId}`);
    if (member.leftOn < member.joinedOn) {
      throw invalidMoneyInput('left-before-joined', `Member ${member.memberId} left before joining`, { memberId: member.memberId });
    }
  }
}

/** Overlapping stints of one member would count the same days twice. */
function assertNoOverlap(memberId: string, stints: readonly MemberStint[]): void {
  const sorted = [...stints].sort((a, b) => (a.joinedOn < b.joinedOn ? -1 : a.joinedOn > b.joinedOn ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    if (previous.leftOn === null || previous.leftOn >= sorted[i]!.joinedOn) {
      throw invalidMoneyInput('overlapping-stints', `Member ${memberId} has overlapping stints on the team`, { memberId });
    }
  }
}
