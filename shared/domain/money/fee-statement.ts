/**
 * What an institution receiving the contract subsidy may still charge a subsidised resident
 * (Shenzhen 2017): a government-run institution charges no contract service fee (its basic
 * package) and personalised services at most their published (limited) price; a social-run one
 * may collect at most its published fee minus the yearly subsidy, never below zero. Signing a
 * contract applies the same rule (maxChargeFen in ../contracts.ts), so the statement and the
 * contract records agree.
 */
import { assertFen, type Fen, formatYuan } from './fen.ts';

export type InstitutionOwnership = 'government' | 'social';

export interface ServicePackageFee {
  code: string;
  name?: string;
  /** published yearly fee per resident */
  feeFen: Fen;
  /** basic (the contract service fee) or a personalised / customised service package; absent: basic */
  kind?: 'basic' | 'personalised' | 'customised';
}

export interface FeeStatementLine {
  packageCode: string;
  packageName: string | null;
  publishedFeeFen: Fen;
  subsidyPerResidentYearFen: Fen;
  /** the most the institution may collect per year from a subsidised resident for this package */
  maxCollectFromSubsidisedResidentFen: Fen;
  rule: 'government-no-fee' | 'government-published-price' | 'social-fee-minus-subsidy';
  text: { en: string; zh: string };
}

export function feeStatement(ownership: InstitutionOwnership, packages: readonly ServicePackageFee[], yearlyRateFen: Fen): FeeStatementLine[] {
  return packages.map((pkg) => {
    assertFen(pkg.feeFen, `feeFen of package ${pkg.code}`);
    const name = pkg.name ?? pkg.code;
    const fee = formatYuan(pkg.feeFen);
    const subsidy = formatYuan(yearlyRateFen);
    if (ownership === 'government' && pkg.kind !== undefined && pkg.kind !== 'basic') {
      return {
        packageCode: pkg.code,
        packageName: pkg.name ?? null,
        publishedFeeFen: pkg.feeFen,
        subsidyPerResidentYearFen: yearlyRateFen,
        maxCollectFromSubsidisedResidentFen: pkg.feeFen,
        rule: 'government-published-price',
        text: {
          en:
            `Package ${name}: a personalised service of a government-run institution is charged at most its published (limited) price ¥${fee}; ` +
            `the contract service fee itself is ¥0.00 for a subsidised resident.`,
          zh: `服务包 ${name}：政府办机构的个性化服务最多按公布（限定）价格 ${fee} 元收取；享受补助的签约居民不收取签约服务费（0.00 元）。`,
        },
      };
    }
    if (ownership === 'government') {
      return {
        packageCode: pkg.code,
        packageName: pkg.name ?? null,
        publishedFeeFen: pkg.feeFen,
        subsidyPerResidentYearFen: yearlyRateFen,
        maxCollectFromSubsidisedResidentFen: 0,
        rule: 'government-no-fee',
        text: {
          en:
            `Package ${name}: a government-run institution receiving the subsidy of ¥${subsidy} per resident per year ` +
            `collects no contract fee (¥0.00) from a subsidised resident; published fee ¥${fee}.`,
          zh: `服务包 ${name}：政府办机构领取每人每年 ${subsidy} 元补助，不得向享受补助的签约居民收取签约服务费（0.00 元）；公布收费 ${fee} 元。`,
        },
      };
    }
    const maxCollect = Math.max(0, pkg.feeFen - yearlyRateFen);
    return {
      packageCode: pkg.code,
      packageName: pkg.name ?? null,
      publishedFeeFen: pkg.feeFen,
      subsidyPerResidentYearFen: yearlyRateFen,
      maxCollectFromSubsidisedResidentFen: maxCollect,
      rule: 'social-fee-minus-subsidy',
      text: {
        en:
          `Package ${name}: published fee ¥${fee} − subsidy ¥${subsidy} per resident per year ` +
          `→ collect at most ¥${formatYuan(maxCollect)} from a subsidised resident.`,
        zh: `服务包 ${name}：公布收费 ${fee} 元 − 每人每年补助 ${subsidy} 元 → 向享受补助的签约居民最多收取 ${formatYuan(maxCollect)} 元。`,
      },
    };
  });
}
