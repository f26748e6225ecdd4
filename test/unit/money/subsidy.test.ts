import { describe, expect, it } from 'vitest';
import { daysInYear, type SubsidyContract, settleSubsidy } from '../../../shared/domain/money/index.ts';

const contract = (
  contractId: string,
  institutionId: string,
  teamId: string,
  startDate: string,
  endDate: string,
  extra: Partial<SubsidyContract> = {},
): SubsidyContract => ({
  contractId,
  institutionId,
  teamId,
  insured: true,
  startDate,
  endDate,
  status: 'active',
  ...extra,
});

// 2024Q1: 31 + 29 + 31 = 91 days of a 366-day year
const leapQuarter = { start: '2024-01-01', end: '2024-03-31', days: 91 };
const contracts = [
  contract('c1', 'inst-gov', 't1', '2023-07-01', '2024-06-30'), // 91 days
  contract('c2', 'inst-gov', 't1', '2024-03-01', '2025-02-28'), // 31 days
  contract('c3', 'inst-gov', 't1', '2023-07-01', '2024-06-30', { insured: false }), // not subsidised
  contract('c4', 'inst-gov', 't2', '2023-02-01', '2024-01-31'), // 31 days
  contract('c5', 'inst-soc', 't3', '2024-01-01', '2024-12-31'), // 91 days
  contract('c6', 'inst-soc', 't3', '2023-11-01', '2024-02-29', { status: 'cancelled' }), // 60 days to its cancellation
  contract('c7', 'inst-soc', 't3', '2024-04-01', '2025-03-31'), // after the period
];
const institutions = [
  {
    institutionId: 'inst-soc',
    ownership: 'social' as const,
    servicePackages: [
      { code: 'basic', name: '基础包', feeFen: 0 },
      { code: 'chronic', name: '慢病管理包', feeFen: 30_000 },
      { code: 'light', feeFen: 10_000 },
    ],
  },
  { institutionId: 'inst-gov', ownership: 'government' as const, servicePackages: [{ code: 'chronic', name: '慢病管理包', feeFen: 10_000 }] },
];

describe('settleSubsidy', () => {
  it('pro-rates a leap-year quarter per institution and splits it to teams by contract-days', () => {
    const settlement = settleSubsidy({ period: leapQuarter, contracts, institutions });
    expect(settlement).toMatchObject({ yearDays: 366, yearlyRateFen: 12_000, period: leapQuarter });
    const [gov, soc] = settlement.institutions;
    // 12,000 × 153 / 366 = 5016.39… → 5016; teams 122 : 31 → 3999.69 + 1016.31 → t1 takes the odd fen
    expect(gov).toMatchObject({
      institutionId: 'inst-gov',
      ownership: 'government',
      subsidisedContracts: 3,
      contractDays: 153,
      uninsuredContracts: 1,
      exactSubsidyFen: '306000/61',
      subsidyFen: 5016,
      teams: [
        { teamId: 't1', subsidisedContracts: 2, contractDays: 122, subsidyFen: 4000 },
        { teamId: 't2', subsidisedContracts: 1, contractDays: 31, subsidyFen: 1016 },
      ],
    });
    // 12,000 × 151 / 366 = 4950.82 → 4951
    expect(soc).toMatchObject({ subsidisedContracts: 2, contractDays: 151, subsidyFen: 4951, teams: [{ teamId: 't3', subsidyFen: 4951 }] });
    expect(settlement).toMatchObject({ subsidisedContracts: 5, contractDays: 304, subsidyFen: 9967 });
  });

  it('states what each kind of institution may collect from a subsidised resident', () => {
    const [gov, soc] = settleSubsidy({ period: leapQuarter, contracts, institutions }).institutions;
    expect(soc!.feeStatement!.map((line) => line.maxCollectFromSubsidisedResidentFen)).toEqual([0, 18_000, 0]);
    expect(soc!.feeStatement![1]).toMatchObject({
      packageCode: 'chronic',
      publishedFeeFen: 30_000,
      subsidyPerResidentYearFen: 12_000,
      rule: 'social-fee-minus-subsidy',
      text: {
        en: 'Package 慢病管理包: published fee ¥300.00 − subsidy ¥120.00 per resident per year → collect at most ¥180.00 from a subsidised resident.',
        zh: '服务包 慢病管理包：公布收费 300.00 元 − 每人每年补助 120.00 元 → 向享受补助的签约居民最多收取 180.00 元。',
      },
    });
    expect(gov!.feeStatement).toEqual([
      {
        packageCode: 'chronic',
        packageName: '慢病管理包',
        publishedFeeFen: 10_000,
        subsidyPerResidentYearFen: 12_000,
        maxCollectFromSubsidisedResidentFen: 0,
        rule: 'government-no-fee',
        text: {
          en:
            'Package 慢病管理包: a government-run institution receiving the subsidy of ¥120.00 per resident per year ' +
            'collects no contract fee (¥0.00) from a subsidised resident; published fee ¥100.00.',
          zh: '服务包 慢病管理包：政府办机构领取每人每年 120.00 元补助，不得向享受补助的签约居民收取签约服务费（0.00 元）；公布收费 100.00 元。',
        },
      },
    ]);
  });

  it('pays exactly the yearly rate for a whole year, leap or not', () => {
    for (const year of ['2023', '2024']) {
      const settlement = settleSubsidy({
        period: { start: `${year}-01-01`, end: `${year}-12-31` },
        contracts: [contract('c', 'i', 't', '2020-01-01', '2030-12-31')],
      });
      expect(settlement.subsidyFen).toBe(12_000);
      expect(settlement.institutions[0]!.feeStatement).toBeNull();
    }
    expect(daysInYear(2024)).toBe(366);
    expect(daysInYear(1900)).toBe(365);
    expect(daysInYear(2000)).toBe(366);
  });

  it('uses 365 days outside leap years and rounds half up once per institution', () => {
    const q1 = settleSubsidy({ period: { start: '2023-01-01', end: '2023-03-31' }, contracts: [contract('c', 'i', 't', '2023-01-01', '2023-12-31')] });
    expect(q1.institutions[0]).toMatchObject({ contractDays: 90, subsidyFen: 2959 }); // 2958.90
    // 183 fen × 1 day / 366 = 0.5 → 1
    const half = settleSubsidy({
      period: { start: '2024-01-01', end: '2024-01-31' },
      yearlyRateFen: 183,
      contracts: [contract('c', 'i', 't', '2024-01-31', '2024-12-31')],
    });
    expect(half.institutions[0]).toMatchObject({ exactSubsidyFen: '1/2', subsidyFen: 1 });
    // rounding once per institution, not per contract: 3 contracts × 0.4 fen = 1.2 → 1 (per contract it would be 0)
    const pooled = settleSubsidy({
      period: { start: '2023-01-01', end: '2023-01-01' },
      yearlyRateFen: 146,
      contracts: [
        contract('a', 'i', 't1', '2023-01-01', '2023-01-01'),
        contract('b', 'i', 't2', '2023-01-01', '2023-01-01'),
        contract('c', 'i', 't3', '2023-01-01', '2023-01-01'),
      ],
    });
    expect(pooled.institutions[0]).toMatchObject({ subsidyFen: 1, teams: [{ subsidyFen: 1 }, { subsidyFen: 0 }, { subsidyFen: 0 }] });
  });

  it('lists known institutions without contracts with zeros', () => {
    const settlement = settleSubsidy({ period: leapQuarter, contracts: [], institutions });
    expect(settlement.institutions.map((line) => [line.institutionId, line.subsidyFen, line.teams.length])).toEqual([
      ['inst-gov', 0, 0],
      ['inst-soc', 0, 0],
    ]);
  });

  it('rejects a period across years, a wrong day count and bad contracts', () => {
    expect(() => settleSubsidy({ period: { start: '2024-12-01', end: '2025-01-31' }, contracts: [] })).toThrow(/one calendar year/);
    expect(() => settleSubsidy({ period: { ...leapQuarter, days: 90 }, contracts: [] })).toThrow(/91 days/);
    expect(() => settleSubsidy({ period: leapQuarter, contracts: [contracts[0]!, contracts[0]!] })).toThrow(/more than once/);
    expect(() => settleSubsidy({ period: leapQuarter, contracts: [contract('x', 'i', 't', '2024-02-01', '2024-01-01')] })).toThrow(/ends before/);
    expect(() => settleSubsidy({ period: leapQuarter, contracts: [contract('x', 'i', 't', '2024-02-30', '2024-03-01')] })).toThrow(/calendar date/);
  });
});
