import { describe, expect, it } from 'vitest';
import { type MemberSplit, splitTeamAmount, type TeamMembership } from '../../../shared/domain/money/index.ts';

const quarter = { start: '2026-01-01', end: '2026-03-31' }; // 90 days
const shares = { 'general-practitioner': 40, 'community-nurse': 30, other: 10 };
const amounts = (split: MemberSplit) => Object.fromEntries(split.lines.map((line) => [line.memberId, line.amount]));

const members: TeamMembership[] = [
  { memberId: 'gp1', role: 'general-practitioner', joinedOn: '2025-06-01' },
  { memberId: 'nurse1', role: 'community-nurse', joinedOn: '2024-01-01', leftOn: '2026-02-14' },
  { memberId: 'nurse2', role: 'community-nurse', joinedOn: '2026-02-15' },
  { memberId: 'pharm1', role: 'pharmacist', joinedOn: '2026-01-01' },
];

describe('splitTeamAmount', () => {
  it('pro-rates a member who left mid-period and the one who replaced her', () => {
    // weights: 40×90, 30×45, 30×45, other 10×90 = 3600 : 1350 : 1350 : 900 of 7200
    const split = splitTeamAmount({ teamAmount: 100_000, period: quarter, members, roleShares: shares });
    expect(amounts(split)).toEqual({ gp1: 50_000, nurse1: 18_750, nurse2: 18_750, pharm1: 12_500 });
    expect(split).toMatchObject({ periodDays: 90, allocated: 100_000, unallocated: 0 });
    expect(split.lines[1]).toEqual({
      memberId: 'nurse1',
      amount: 18_750,
      daysPresent: 45,
      weight: '15',
      stints: [{ role: 'community-nurse', joinedOn: '2024-01-01', leftOn: '2026-02-14', daysPresent: 45, share: '30', shareSource: 'role' }],
    });
    expect(split.lines[3]!.stints[0]!.shareSource).toBe('other');
  });

  it('gives the odd fen by largest remainder so the split adds up to the team amount', () => {
    // 100,001 × 3600/7200 = 50,000.5 (largest remainder); the others .1875, .1875, .125
    const split = splitTeamAmount({ teamAmount: 100_001, period: quarter, members, roleShares: shares });
    expect(amounts(split)).toEqual({ gp1: 50_001, nurse1: 18_750, nurse2: 18_750, pharm1: 12_500 });
  });

  it('breaks equal remainders between the two nurses by member id', () => {
    const split = splitTeamAmount({ teamAmount: 7201, period: quarter, members: members.slice(1, 3), roleShares: shares });
    expect(amounts(split)).toEqual({ nurse1: 3601, nurse2: 3600 });
  });

  it('gives 0 to a role without a share when no "other" share is set', () => {
    const split = splitTeamAmount({
      teamAmount: 700,
      period: quarter,
      members,
      roleShares: { 'general-practitioner': 40, 'community-nurse': 30 },
    });
    expect(amounts(split)).toEqual({ gp1: 400, nurse1: 150, nurse2: 150, pharm1: 0 });
    expect(split.lines[3]!.stints[0]).toMatchObject({ share: '0', shareSource: 'none' });
  });

  it('sums the stints of a member who changed role', () => {
    const split = splitTeamAmount({
      teamAmount: 9000,
      period: quarter,
      members: [
        { memberId: 'm1', role: 'community-nurse', joinedOn: '2025-01-01', leftOn: '2026-01-31' },
        { memberId: 'm1', role: 'general-practitioner', joinedOn: '2026-02-01' },
        { memberId: 'm2', role: 'general-practitioner', joinedOn: '2026-04-01' },
      ],
      roleShares: shares,
    });
    // m1: 30×31 + 40×59 = 3290; m2 joins after the period
    expect(split.lines).toMatchObject([
      { memberId: 'm1', amount: 9000, daysPresent: 90, weight: '329/9' },
      { memberId: 'm2', amount: 0, daysPresent: 0, weight: '0' },
    ]);
  });

  it('reports the amount as unallocated when nobody was present', () => {
    const split = splitTeamAmount({
      teamAmount: 500,
      period: quarter,
      members: [{ memberId: 'gone', role: 'general-practitioner', joinedOn: '2025-01-01', leftOn: '2025-12-31' }],
      roleShares: shares,
    });
    expect(split).toMatchObject({ allocated: 0, unallocated: 500 });
  });

  it('rejects overlapping stints, bad dates and a member who left before joining', () => {
    const base = { teamAmount: 1, period: quarter, roleShares: shares };
    expect(() =>
      splitTeamAmount({
        ...base,
        members: [
          { memberId: 'm', role: 'other', joinedOn: '2026-01-01', leftOn: '2026-02-01' },
          { memberId: 'm', role: 'other', joinedOn: '2026-02-01' },
        ],
      }),
    ).toThrow(/overlapping/);
    expect(() => splitTeamAmount({ ...base, members: [{ memberId: 'm', role: 'other', joinedOn: '2026-02-30' }] })).toThrow(/calendar date/);
    expect(() => splitTeamAmount({ ...base, members: [{ memberId: 'm', role: 'other', joinedOn: '2026-02-02', leftOn: '2026-02-01' }] })).toThrow(
      /left before joining/,
    );
    expect(() => splitTeamAmount({ ...base, period: { start: '2026-03-01', end: '2026-02-01' }, members: [] })).toThrow(/ends before/);
  });
});
