import { describe, expect, it } from 'vitest';
import { allocateIncentives, type IncentiveResult, type TeamIncentiveInput } from '../../../shared/domain/money/index.ts';

const team = (teamId: string, score: number | string, activeContracts: number, extra: Partial<TeamIncentiveInput> = {}): TeamIncentiveInput => ({
  teamId,
  score,
  eligibility: 'eligible',
  activeContracts,
  weightedResidents: activeContracts,
  ...extra,
});

const amounts = (result: IncentiveResult) => Object.fromEntries(result.lines.map((line) => [line.teamId, line.amount]));

describe('score-weighted', () => {
  it('splits the pool by score × active contracts with largest remainder', () => {
    // weights 9000×100, 8000×150, 6050×200 = 900,000 : 1,200,000 : 1,210,000 (W = 3,310,000)
    // quotas 27190.33, 36253.78, 36555.89 → floors sum 99,998; the 2 fen go to C (.89) and B (.78)
    const result = allocateIncentives([team('A', 90, 100), team('B', 80, 150), team('C', '60.50', 200)], {
      method: 'score-weighted',
      pool: 100_000,
      sizeMeasure: 'active-contracts',
    });
    expect(amounts(result)).toEqual({ A: 27_190, B: 36_254, C: 36_556 });
    expect(result).toMatchObject({ paid: 100_000, unallocated: 0, scaledDown: false });
    expect(result.lines[0]!.explanation).toMatchObject({ rawShare: '90/331', rawAmountFen: '9000000/331', score: '90.00' });
  });

  it('can weight by key-population weighted residents given as decimals', () => {
    const result = allocateIncentives([team('A', 50, 0, { weightedResidents: '10.5' }), team('B', 50, 0, { weightedResidents: '31.5' })], {
      method: 'score-weighted',
      pool: 1000,
      sizeMeasure: 'weighted-residents',
    });
    expect(amounts(result)).toEqual({ A: 250, B: 750 });
    expect(result.lines[0]!.explanation.measure).toEqual({ kind: 'weighted-residents', value: '10.5' });
  });

  it('applies the floor, voids and gate caps, and gives the freed money to the others', () => {
    // A and B share the pool (9000 → raw 4500 each); B's gate limits it to 50% of 4500;
    // C is void, D is below the floor
    const teams = [
      team('A', 80, 100),
      team('B', 80, 100, { eligibility: 'capped', gateCapPercent: 50 }),
      team('C', 80, 100, { eligibility: 'void' }),
      team('D', '59.99', 100),
    ];
    const result = allocateIncentives(teams, { method: 'score-weighted', pool: 9000, sizeMeasure: 'active-contracts', scoreFloor: 60 });
    expect(amounts(result)).toEqual({ A: 6750, B: 2250, C: 0, D: 0 });
    expect(result).toMatchObject({ paid: 9000, unallocated: 0 });
    const [a, b, c, d] = result.lines;
    expect(b!.explanation.gate).toEqual({ eligibility: 'capped', capPercent: '50.00', limitFen: 2250, effect: 'capped' });
    expect(c!.explanation.gate.effect).toBe('voided');
    expect(d!.explanation.belowFloor).toBe(true);
    expect(a!.text.en).toBe('Team A: score 80.00 × 100 active contracts = 50.0000% of the pool (¥45.00); paid ¥67.50.');
    expect(a!.text.zh).toBe('团队 A：得分 80.00 × 有效签约数 100 = 奖励池的 50.0000%（45.00 元）；实发 67.50 元。');
    expect(b!.text.en).toBe('Team B: score 80.00 × 100 active contracts = 50.0000% of the pool (¥45.00); gate caps it at 50.00%; paid ¥22.50.');
    expect(b!.text.zh).toBe('团队 B：得分 80.00 × 有效签约数 100 = 奖励池的 50.0000%（45.00 元）；门槛限额 50.00%；实发 22.50 元。');
    expect(c!.text.en).toBe('Team C: score 80.00; gate: void, nothing is paid; paid ¥0.00.');
    expect(c!.text.zh).toBe('团队 C：得分 80.00；未通过门槛（作废），不予发放；实发 0.00 元。');
    expect(d!.text.en).toBe('Team D: score 59.99 is below the floor 60.00; paid ¥0.00.');
    expect(d!.text.zh).toBe('团队 D：得分 59.99 低于最低分 60.00；实发 0.00 元。');
  });

  it('reports money as unallocated when every team that could take it is capped', () => {
    const teams = [team('A', 80, 100), team('B', 80, 100, { eligibility: 'capped', gateCapPercent: 50 })];
    const result = allocateIncentives(teams, { method: 'score-weighted', pool: 9000, sizeMeasure: 'active-contracts', teamCapFen: 6000 });
    expect(amounts(result)).toEqual({ A: 6000, B: 2250 });
    expect(result).toMatchObject({ paid: 8250, unallocated: 750 });
    expect(result.lines[0]!.explanation).toMatchObject({ capApplied: true, teamCapFen: 6000 });
    expect(result.lines[0]!.text.en).toContain('team cap ¥60.00 applied');
  });

  it('redistributes a team cap over several rounds', () => {
    // raw 1000, 2000, 3000, 4000; d capped at 3000 → c's quota 3500 → capped; a, b share 4000
    const result = allocateIncentives([team('a', 100, 1), team('b', 100, 2), team('c', 100, 3), team('d', 100, 4)], {
      method: 'score-weighted',
      pool: 10_000,
      sizeMeasure: 'active-contracts',
      teamCapFen: 3000,
    });
    expect(amounts(result)).toEqual({ a: 1333, b: 2667, c: 3000, d: 3000 });
    expect(result.lines.map((line) => line.explanation.capApplied)).toEqual([false, false, true, true]);
  });

  it('leaves the whole pool unallocated when no team has a weight', () => {
    const result = allocateIncentives([team('A', 0, 100), team('B', 90, 0), team('C', 90, 10, { eligibility: 'void' })], {
      method: 'score-weighted',
      pool: 500,
      sizeMeasure: 'active-contracts',
    });
    expect(result).toMatchObject({ paid: 0, unallocated: 500 });
  });
});

describe('value-per-point', () => {
  const teams = [team('A', '85.50', 10), team('B', 70, 20), team('C', 99, 30, { eligibility: 'void' })];

  it('pays entitlements in full when they fit in the pool', () => {
    const result = allocateIncentives(teams, { method: 'value-per-point', pool: 20_000, fenPerPoint: 100 });
    expect(amounts(result)).toEqual({ A: 8550, B: 7000, C: 0 });
    expect(result).toMatchObject({ paid: 15_550, unallocated: 4450, scaledDown: false });
    expect(result.lines[0]!.text.en).toBe('Team A: 85.50 points × ¥1.00 per point = ¥85.50; paid ¥85.50.');
    expect(result.lines[0]!.text.zh).toBe('团队 A：85.50 分 × 每分 1.00 元 = 85.50 元；实发 85.50 元。');
  });

  it('scales down to the pool by largest remainder when entitlements exceed it', () => {
    // 10,000 × 8550/15550 = 5498.39…, 10,000 × 7000/15550 = 4501.60… → B takes the last fen
    const result = allocateIncentives(teams, { method: 'value-per-point', pool: 10_000, fenPerPoint: 100 });
    expect(amounts(result)).toEqual({ A: 5498, B: 4502, C: 0 });
    expect(result).toMatchObject({ paid: 10_000, unallocated: 0, scaledDown: true });
    expect(result.lines[1]!.text.en).toBe('Team B: 70.00 points × ¥1.00 per point = ¥70.00; scaled down to fit the pool; paid ¥45.02.');
    expect(result.lines[1]!.text.zh).toBe('团队 B：70.00 分 × 每分 1.00 元 = 70.00 元；总额超出奖励池，按比例缩减；实发 45.02 元。');
  });

  it('pays per point per contract and rounds fractional entitlements keeping the total', () => {
    // entitlements 85.55, 70.55, 10.50, 20 fen → Σ 186.60 → 186 paid; A and B tie on .55, A has the larger entitlement
    const result = allocateIncentives([team('A', '85.55', 1), team('B', '70.55', 1), team('C', '5.25', 2), team('D', 20, 1)], {
      method: 'value-per-point',
      pool: 1000,
      fenPerPoint: 1,
      sizeMeasure: 'active-contracts',
    });
    expect(amounts(result)).toEqual({ A: 86, B: 70, C: 10, D: 20 });
    expect(result).toMatchObject({ paid: 186, unallocated: 814 });
    expect(result.lines[0]!.explanation.entitledFen).toBe('1711/20');
    expect(result.lines[0]!.text.en).toBe('Team A: 85.55 points × ¥0.01 per point × 1 active contracts = ≈¥0.86; paid ¥0.86.');
  });

  it('applies gate percentages and the team cap to the entitlement', () => {
    const result = allocateIncentives([team('A', '85.50', 10, { eligibility: 'capped', gateCapPercent: '50' }), team('B', 90, 10)], {
      method: 'value-per-point',
      pool: 100_000,
      fenPerPoint: 100,
      teamCapFen: 8000,
    });
    expect(amounts(result)).toEqual({ A: 4275, B: 8000 });
    expect(result.lines[0]!.explanation.gate.effect).toBe('capped');
    expect(result.lines[1]!.explanation).toMatchObject({ capApplied: true, entitledFen: '8000', rawAmountFen: '9000' });
  });
});

describe('grade-tiers', () => {
  const tiers = [
    { minScore: 60, amountFen: 1000 },
    { minScore: 90, amountFen: 5000 },
    { minScore: '80', amountFen: 3000 },
  ];
  const teams = [
    team('A', 90, 1),
    team('B', '89.99', 1),
    team('C', 60, 1),
    team('D', '59.99', 1),
    team('E', 95, 1, { eligibility: 'capped', gateCapPercent: 40 }),
  ];

  it('pays each band its amount, lower bound inclusive', () => {
    const result = allocateIncentives(teams, { method: 'grade-tiers', pool: 20_000, tiers });
    expect(amounts(result)).toEqual({ A: 5000, B: 3000, C: 1000, D: 0, E: 2000 });
    expect(result).toMatchObject({ paid: 11_000, unallocated: 9000, scaledDown: false });
    expect(result.lines[0]!.explanation.tier).toEqual({ minScore: '90.00', amountFen: 5000 });
    expect(result.lines[0]!.text.en).toBe('Team A: score 90.00 is in the tier from 90.00 up (¥50.00); paid ¥50.00.');
    expect(result.lines[0]!.text.zh).toBe('团队 A：得分 90.00，属于 90.00 分及以上档（50.00 元）；实发 50.00 元。');
    expect(result.lines[3]!.text.en).toBe('Team D: score 59.99 reaches no tier; paid ¥0.00.');
  });

  it('scales down over the pool exactly', () => {
    const even = allocateIncentives(teams, { method: 'grade-tiers', pool: 5500, tiers });
    expect(amounts(even)).toEqual({ A: 2500, B: 1500, C: 500, D: 0, E: 1000 });
    // one more fen: remainders .4545 (A), .2727 (B), .0909 (C), .1818 (E) → A
    const odd = allocateIncentives(teams, { method: 'grade-tiers', pool: 5501, tiers });
    expect(amounts(odd)).toEqual({ A: 2501, B: 1500, C: 500, D: 0, E: 1000 });
    expect(odd).toMatchObject({ paid: 5501, unallocated: 0, scaledDown: true });
  });

  it('rejects two tiers with the same bound', () => {
    expect(() =>
      allocateIncentives(teams, {
        method: 'grade-tiers',
        pool: 1,
        tiers: [
          { minScore: 60, amountFen: 1 },
          { minScore: '60.00', amountFen: 2 },
        ],
      }),
    ).toThrow(/Two tiers/);
  });
});

describe('input checks', () => {
  const options = { method: 'score-weighted', pool: 100, sizeMeasure: 'active-contracts' } as const;
  it.each([
    ['a score above 100', [team('A', '100.01', 1)], /between 0 and 100/],
    ['a score with 3 decimals', [team('A', '80.123', 1)], /at most 2 decimals/],
    ['a float score', [team('A', 0.1 + 0.2, 1)], /at most 2 decimals/],
    ['a negative score', [team('A', -1, 1)], /non-negative/],
    ['a capped team without a percentage', [team('A', 80, 1, { eligibility: 'capped' })], /no gateCapPercent/],
    ['fractional contracts', [team('A', 80, 1.5)], /activeContracts/],
    ['duplicate teams', [team('A', 80, 1), team('A', 70, 1)], /more than once/],
  ])('rejects %s', (_, teams, message) => {
    expect(() => allocateIncentives(teams, options)).toThrow(message);
  });

  it('rejects an unknown size measure', () => {
    expect(() => allocateIncentives([team('A', 80, 1)], { ...options, sizeMeasure: 'beds' } as never)).toThrow(/sizeMeasure/);
  });

  it('rejects an unknown method', () => {
    expect(() => allocateIncentives([], { method: 'lottery' } as never)).toThrow(/Unknown incentive method/);
  });
});
