/** A realistic district criteria set and deterministic synthetic team facts for the scoring tests. */
import type { CriteriaSet, TeamFacts } from '#shared/domain/scoring/index.ts';
import { seededRandom } from '../../../local/seed/random.ts';

export const METRIC_CODES = [
  'htn-followup-due',
  'htn-followup-done',
  'dm-followup-due',
  'dm-followup-done',
  'elderly-checkup-due',
  'elderly-checkup-done',
  'maternal-visits',
  'newborn-visits',
  'child-vaccinations-due',
  'child-vaccinations-done',
  'home-visits-80plus',
  'referrals-up',
  'referrals-down',
  'remote-consultations',
];

export const districtCriteria: CriteriaSet = {
  insufficientData: 'redistribute',
  domains: [
    { id: 'chronic', label: { en: 'chronic disease care', zh: '慢病管理' }, weight: 40 },
    { id: 'public-health', label: { en: 'public health', zh: '公共卫生' }, weight: 35 },
    { id: 'contracting', label: { en: 'contracting and satisfaction', zh: '签约与满意度' }, weight: 25 },
  ],
  indicators: [
    {
      code: 'htn-followup-rate',
      label: { en: 'hypertension follow-up rate', zh: '高血压随访率' },
      domain: 'chronic',
      weight: 40,
      source: { ratio: { numerator: 'htn-followup-done', denominator: 'htn-followup-due' } },
      higherIsBetter: true,
      minN: 20,
      method: { kind: 'threshold-linear', lower: 60, upper: 90, maxPoints: 10 },
    },
    {
      code: 'dm-followup-rate',
      label: { en: 'diabetes follow-up rate', zh: '糖尿病随访率' },
      domain: 'chronic',
      weight: 40,
      source: { ratio: { numerator: 'dm-followup-done', denominator: 'dm-followup-due' } },
      higherIsBetter: true,
      minN: 20,
      method: { kind: 'achievement-improvement' },
    },
    {
      code: 'elderly-checkup-rate',
      label: { en: 'elderly check-up rate', zh: '老年人体检率' },
      domain: 'public-health',
      weight: 30,
      source: { ratio: { numerator: 'elderly-checkup-done', denominator: 'elderly-checkup-due' } },
      higherIsBetter: true,
      minN: 30,
      method: { kind: 'threshold-linear', lower: '50', upper: '80', maxPoints: 10 },
    },
    {
      code: 'child-vaccination-rate',
      label: { en: 'child vaccination rate', zh: '儿童疫苗接种率' },
      domain: 'public-health',
      weight: 20,
      source: { ratio: { numerator: 'child-vaccinations-done', denominator: 'child-vaccinations-due' } },
      higherIsBetter: true,
      minN: 10,
      method: { kind: 'pass-fail', target: 95, maxPoints: 5 },
    },
    {
      code: 'home-visits-80plus',
      label: { en: 'home visits 80+', zh: '80岁以上上门服务' },
      domain: 'public-health',
      weight: 20,
      source: { metric: 'home-visits-80plus' },
      higherIsBetter: true,
      method: {
        kind: 'bands',
        bands: [
          { lower: 0, upper: 5, points: 0 },
          { lower: 5, upper: 15, points: 5 },
          { lower: 15, points: 10 },
        ],
      },
    },
    {
      code: 'referrals-down',
      label: { en: 'referrals back down', zh: '下转人次' },
      domain: 'public-health',
      weight: 20,
      source: { metric: 'referrals-down' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
    {
      code: 'maternal-newborn-visits',
      label: { en: 'newborn visits', zh: '新生儿访视' },
      domain: 'public-health',
      weight: 10,
      source: { metric: 'newborn-visits' },
      higherIsBetter: true,
      method: { kind: 'threshold-linear', lower: 0, upper: 12, maxPoints: 5 },
    },
    {
      code: 'remote-consultations',
      label: { en: 'remote consultations', zh: '远程会诊' },
      domain: 'chronic',
      weight: 20,
      source: { metric: 'remote-consultations' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
    {
      code: 'renewal-rate',
      label: { en: 'renewal rate', zh: '续约率' },
      domain: 'contracting',
      weight: 30,
      source: { registry: 'renewalRate' },
      higherIsBetter: true,
      minN: 50,
      method: {
        kind: 'relative-standing',
        maxPoints: 10,
        bands: [
          { lower: 0, upper: 50, points: 0 },
          { lower: 50, upper: 80, points: 5 },
          { lower: 80, points: 10 },
        ],
      },
    },
    {
      code: 'key-population-coverage',
      label: { en: 'key-population coverage', zh: '重点人群签约覆盖率' },
      domain: 'contracting',
      weight: 20,
      source: { registry: 'keyPopulationCoverage' },
      higherIsBetter: true,
      minN: 50,
      method: { kind: 'threshold-linear', lower: 40, upper: 70, maxPoints: 10 },
    },
    {
      code: 'referrals-up-share',
      label: { en: 'upward referral share', zh: '上转占比' },
      domain: 'contracting',
      weight: 10,
      source: { ratio: { numerator: 'referrals-up', denominator: 'referrals-down' } },
      higherIsBetter: false,
      minN: 10,
      method: { kind: 'achievement-improvement', threshold: 80, benchmark: 40 },
    },
    {
      code: 'satisfaction',
      label: { en: 'satisfaction (top box)', zh: '满意度（最满意占比）' },
      domain: 'contracting',
      weight: 40,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      minN: 30,
      method: { kind: 'threshold-linear', lower: 50, upper: 85, maxPoints: 10 },
    },
  ],
  gates: [
    { kind: 'missing-upload', effect: 'void' },
    {
      kind: 'floor',
      label: { en: 'satisfaction', zh: '满意度' },
      source: { survey: 'topBoxShare' },
      min: 40,
      minN: 30,
      effect: { capPercent: 50 },
    },
  ],
};

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  return seededRandom(seed).next;
}

/** Plausible facts for `count` teams; a few teams have gaps (no upload, small survey). */
export function syntheticTeams(count: number, seed = 1, prefix = 'team'): TeamFacts[] {
  const next = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const done = (due: number, lo: number, hi: number) => Math.min(due, Math.round(due * (lo + next() * (hi - lo))));
  return Array.from({ length: count }, (_, i) => {
    const htnDue = int(5, 400);
    const dmDue = int(5, 200);
    const elderlyDue = int(20, 500);
    const childDue = int(0, 60);
    const due = int(30, 600);
    const responses = int(0, 120);
    const keyPopulation = int(20, 800);
    const uploaded = next() > 0.03;
    return {
      teamId: `${prefix}-${String(i).padStart(6, '0')}`,
      uploaded,
      metrics: uploaded
        ? {
            'htn-followup-due': htnDue,
            'htn-followup-done': done(htnDue, 0.5, 1),
            'dm-followup-due': dmDue,
            'dm-followup-done': done(dmDue, 0.45, 1),
            'elderly-checkup-due': elderlyDue,
            'elderly-checkup-done': done(elderlyDue, 0.4, 0.95),
            'child-vaccinations-due': childDue,
            'child-vaccinations-done': done(childDue, 0.85, 1),
            'home-visits-80plus': int(0, 30),
            'referrals-down': int(0, 40),
            'referrals-up': int(0, 30),
            'newborn-visits': int(0, 15),
            'remote-consultations': int(0, 25),
          }
        : {},
      registry: {
        contracts: int(200, 2000),
        insuredContracts: int(150, 1800),
        renewals: { due, renewed: done(due, 0.7, 1) },
        keyPopulation: { eligible: keyPopulation, covered: done(keyPopulation, 0.3, 0.9) },
      },
      survey: { responses, topBox: done(responses, 0.3, 0.95) },
    };
  });
}
