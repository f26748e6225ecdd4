/**
 * The criteria set the engine bench scores with: the demo district's ten indicators (all five
 * methods, two gates) plus two more, so the set has twelve indicators and also covers a
 * lower-is-better indicator with fixed CMS limits and relative standing through bands. The two
 * new indicators' 10 % of the weight comes from the demo's two 15 % indicators.
 */
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { DEMO_CRITERIA } from '../../local/seed/demo-criteria.ts';

const LIGHTER = new Set(['htn-followup-rate', 'satisfaction-top-box']);

export const BENCH_CRITERIA: CriteriaSet = {
  ...DEMO_CRITERIA,
  indicators: [
    ...DEMO_CRITERIA.indicators.map((indicator) => (LIGHTER.has(indicator.code) ? { ...indicator, weight: Number(indicator.weight) - 5 } : indicator)),
    {
      code: 'referrals-up',
      label: { zh: '上转人次', en: 'Referrals up to hospitals' },
      weight: 5,
      source: { metric: 'referrals-up' },
      higherIsBetter: false,
      method: { kind: 'achievement-improvement', threshold: 60, benchmark: 15 },
    },
    {
      code: 'remote-consultations',
      label: { zh: '远程会诊人次', en: 'Remote consultations' },
      weight: 5,
      source: { metric: 'remote-consultations' },
      higherIsBetter: true,
      method: {
        kind: 'relative-standing',
        maxPoints: 10,
        bands: [
          { lower: 0, upper: 25, points: 0 },
          { lower: 25, upper: 75, points: 6 },
          { lower: 75, points: 10 },
        ],
      },
    },
  ],
};
