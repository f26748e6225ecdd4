/**
 * The demo seed's period walk (local/seed/demo-periods.ts) on a small district: the earlier
 * quarter ends final and settled, the later one in review with an open appeal.
 */
import { describe, expect, it } from 'vitest';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { seedDemoEvaluation } from '../../local/seed/demo-evaluation.ts';
import { seedDemoPeriods } from '../../local/seed/demo-periods.ts';
import { createTestDistrict } from '../support/fixtures.ts';
import { createTestStack } from '../support/stack.ts';

describe('the demo periods', () => {
  it('leaves one period final and settled and the next in review with an open appeal', async () => {
    const now = new Date('2026-12-05T08:00:00+08:00');
    const stack = await createTestStack({ now: () => now });
    const D = 'demo-life';
    const district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
    const { writeMetricsVersion } = await import('#shared/data/metrics.ts');
    for (const period of ['2026Q2', '2026Q3']) {
      for (const institutionId of district.institutionIds) {
        const rows = district.teams
          .filter((t) => t.institutionId === institutionId)
          .map((t, i) => ({ teamId: t.teamId, values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, 5 + i])) }));
        await writeMetricsVersion(stack.db, {
          districtId: D,
          institutionId,
          period,
          uploadedBy: 'seed',
          uploadedAt: '2026-07-05T00:00:00.000Z',
          codes: DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code),
          format: 'json',
          catalogueVersion: 1,
          rows,
        });
      }
    }
    const earlier = await seedDemoEvaluation(stack.db, { districtId: D, period: '2026Q2', now: () => now });
    await seedDemoEvaluation(stack.db, { districtId: D, period: '2026Q3', now: () => now, criteriaVersion: earlier.criteriaVersion });
    const { appeal } = await seedDemoPeriods(stack.deps, {
      districtId: D,
      settled: { period: '2026Q2', evaluationId: earlier.evaluationId },
      inReview: { period: '2026Q3' },
    });
    expect((await getPeriodStatus(stack.db, D, '2026Q2')).state).toBe('settled');
    expect(await getPeriodStatus(stack.db, D, '2026Q3')).toMatchObject({ state: 'published', openAppeals: 1 });
    expect(appeal.status).toBe('open');
  }, 120_000);
});
