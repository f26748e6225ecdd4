/**
 * The demo district's published quarterly criteria: ten indicators using five methods
 * (threshold-linear, achievement-improvement, bands, relative standing, pass/fail), an
 * insufficient-data rule (redistribute, the CMS way) and two gates.
 */
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';

export const DEMO_CRITERIA: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'htn-followup-rate',
      label: { zh: '高血压患者随访率', en: 'Hypertension follow-up rate' },
      weight: 15,
      source: { ratio: { numerator: 'htn-followup-done', denominator: 'htn-followup-due' } },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'threshold-linear', lower: 60, upper: 90, maxPoints: 10 },
    },
    {
      code: 'dm-followup-rate',
      label: { zh: '糖尿病患者随访率', en: 'Diabetes follow-up rate' },
      weight: 10,
      source: { ratio: { numerator: 'dm-followup-done', denominator: 'dm-followup-due' } },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'achievement-improvement', improvement: true },
    },
    {
      code: 'elderly-checkup-rate',
      label: { zh: '65岁以上老人健康体检率', en: 'Health check-ups of residents 65+' },
      weight: 10,
      source: { ratio: { numerator: 'elderly-checkup-done', denominator: 'elderly-checkup-due' } },
      higherIsBetter: true,
      minN: 5,
      method: {
        kind: 'bands',
        bands: [
          { lower: 0, upper: 50, points: 0 },
          { lower: 50, upper: 70, points: 4 },
          { lower: 70, upper: 85, points: 7 },
          { lower: 85, points: 10 },
        ],
      },
    },
    {
      code: 'child-vaccination-rate',
      label: { zh: '儿童疫苗接种率', en: 'Child vaccination rate' },
      weight: 10,
      source: { ratio: { numerator: 'child-vaccinations-done', denominator: 'child-vaccinations-due' } },
      higherIsBetter: true,
      minN: 3,
      method: { kind: 'pass-fail', target: 90, maxPoints: 10 },
    },
    {
      code: 'home-visits',
      label: { zh: '80岁以上老人上门服务', en: 'Home visits to residents over 80' },
      weight: 10,
      source: { metric: 'home-visits-80plus' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
    {
      code: 'referrals-down',
      label: { zh: '上级医院下转患者', en: 'Referrals back down from hospitals' },
      weight: 5,
      source: { metric: 'referrals-down' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
    {
      code: 'satisfaction-top-box',
      label: { zh: '居民满意度（非常满意占比）', en: 'Satisfaction: share very satisfied' },
      weight: 15,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      minN: 10,
      method: { kind: 'threshold-linear', lower: 10, upper: 60, maxPoints: 10 },
    },
    {
      code: 'satisfaction-mean',
      label: { zh: '居民满意度（平均分）', en: 'Satisfaction: mean score' },
      weight: 10,
      source: { survey: 'mean100' },
      higherIsBetter: true,
      minN: 10,
      method: {
        kind: 'bands',
        bands: [
          { lower: 0, upper: 60, points: 0 },
          { lower: 60, upper: 75, points: 5 },
          { lower: 75, upper: 85, points: 8 },
          { lower: 85, points: 10 },
        ],
      },
    },
    {
      code: 'renewal-rate',
      label: { zh: '续约率', en: 'Renewal rate' },
      weight: 10,
      source: { registry: 'renewalRate' },
      higherIsBetter: true,
      minN: 3,
      method: { kind: 'threshold-linear', lower: 80, upper: 95, maxPoints: 10 },
    },
    {
      code: 'key-population-coverage',
      label: { zh: '重点人群签约占比', en: 'Key-population share of contracts' },
      weight: 5,
      source: { registry: 'keyPopulationCoverage' },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'threshold-linear', lower: 20, upper: 60, maxPoints: 10 },
    },
  ],
  gates: [
    { kind: 'missing-upload', label: { zh: '未上报服务数据', en: 'No service metrics uploaded' }, effect: 'void' },
    {
      kind: 'floor',
      label: { zh: '满意度过低', en: 'Satisfaction too low' },
      source: { survey: 'topBoxShare' },
      min: 5,
      minN: 10,
      effect: { capPercent: 50 },
    },
  ],
};
