/** One-line English and Chinese explanations of an incentive line, built from its explanation object. */
import { divideRoundHalfUp } from './exact-decimal.ts';
import { type Fen, formatYuan, formatYuanOfBigInt, groupThousands } from './fen.ts';
import type { IncentiveExplanation, IncentiveMethod, SizeMeasure } from './incentive-types.ts';

export interface TextContext {
  method: IncentiveMethod;
  scoreFloor: string | null;
  fenPerPoint: Fen | null;
  /** score-weighted: the share of the pool as a rounded percentage, e.g. "12.3457" */
  sharePercent: string | null;
}

const MEASURE_NAMES: Record<SizeMeasure, { en: string; zh: string }> = {
  'active-contracts': { en: 'active contracts', zh: '有效签约数' },
  'weighted-residents': { en: 'weighted residents', zh: '重点人群加权签约居民数' },
};

export function describeIncentiveLine(teamId: string, ex: IncentiveExplanation, context: TextContext): { en: string; zh: string } {
  // parts joined with "; " and "；"
  let en: string;
  let zh: string;
  if (ex.gate.eligibility === 'void') {
    en = `Team ${teamId}: score ${ex.score}; gate: void, nothing is paid`;
    zh = `团队 ${teamId}：得分 ${ex.score}；未通过门槛（作废），不予发放`;
  } else if (ex.belowFloor) {
    en = `Team ${teamId}: score ${ex.score} is below the floor ${context.scoreFloor}`;
    zh = `团队 ${teamId}：得分 ${ex.score} 低于最低分 ${context.scoreFloor}`;
  } else {
    const basis = describeBasis(teamId, ex, context);
    en = basis.en;
    zh = basis.zh;
    if (ex.gate.effect === 'capped') {
      en += `; gate caps it at ${ex.gate.capPercent}%`;
      zh += `；门槛限额 ${ex.gate.capPercent}%`;
    }
    if (ex.capApplied && ex.teamCapFen !== null) {
      const cap = formatYuan(ex.teamCapFen);
      en += `; team cap ¥${cap} applied`;
      zh += `；触及团队封顶 ${cap} 元`;
    }
    if (ex.scaledDown) {
      en += '; scaled down to fit the pool';
      zh += '；总额超出奖励池，按比例缩减';
    }
  }
  const paid = formatYuan(ex.amount);
  return { en: `${en}; paid ¥${paid}.`, zh: `${zh}；实发 ${paid} 元。` };
}

function describeBasis(teamId: string, ex: IncentiveExplanation, context: TextContext): { en: string; zh: string } {
  const raw = exactYuan(ex.rawAmountFen);
  const measure = ex.measure === null ? null : { value: groupThousands(ex.measure.value), ...MEASURE_NAMES[ex.measure.kind] };
  switch (context.method) {
    case 'score-weighted':
      return {
        en: `Team ${teamId}: score ${ex.score} × ${measure?.value} ${measure?.en} = ${context.sharePercent}% of the pool (${raw.en})`,
        zh: `团队 ${teamId}：得分 ${ex.score} × ${measure?.zh} ${measure?.value} = 奖励池的 ${context.sharePercent}%（${raw.zh}）`,
      };
    case 'value-per-point': {
      const perPoint = formatYuan(context.fenPerPoint ?? 0);
      return {
        en: `Team ${teamId}: ${ex.score} points × ¥${perPoint} per point${measure ? ` × ${measure.value} ${measure.en}` : ''} = ${raw.en}`,
        zh: `团队 ${teamId}：${ex.score} 分 × 每分 ${perPoint} 元${measure ? ` × ${measure.zh} ${measure.value}` : ''} = ${raw.zh}`,
      };
    }
    case 'grade-tiers':
      return ex.tier === null
        ? { en: `Team ${teamId}: score ${ex.score} reaches no tier`, zh: `团队 ${teamId}：得分 ${ex.score}，未达到任何档次` }
        : {
            en: `Team ${teamId}: score ${ex.score} is in the tier from ${ex.tier.minScore} up (${raw.en})`,
            zh: `团队 ${teamId}：得分 ${ex.score}，属于 ${ex.tier.minScore} 分及以上档（${raw.zh}）`,
          };
  }
}

/** divideRoundHalfUp for non-negative integers below 10^15: floor((2n + d) / 2d), exact since every product stays below 2^53. */
function roundHalfUpOfSafe(numerator: number, denominator: number): number {
  const top = 2 * numerator + denominator;
  const bottom = 2 * denominator;
  let q = Math.floor(top / bottom);
  if (q * bottom > top) q--;
  else if ((q + 1) * bottom <= top) q++;
  return q;
}

/** An exact fraction of fen ("1234" or "2469/2") as yuan; "≈"/"约" when it is not a whole fen. */
function exactYuan(fraction: string): { en: string; zh: string } {
  const [numerator = '0', denominator = '1'] = fraction.split('/');
  const approximate = denominator !== '1';
  const yuan =
    numerator.length <= 15 && denominator.length <= 15 && !numerator.startsWith('-')
      ? formatYuan(roundHalfUpOfSafe(Number(numerator), Number(denominator)))
      : formatYuanOfBigInt(divideRoundHalfUp(BigInt(numerator), BigInt(denominator)));
  return { en: `${approximate ? '≈' : ''}¥${yuan}`, zh: `${approximate ? '约 ' : ''}${yuan} 元` };
}
