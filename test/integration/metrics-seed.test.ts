/** The demo seed's service metrics: version 1 for every institution, plausible and valid. */
import { beforeAll, describe, expect, it } from 'vitest';
import { currentMetricsOfDistrict, institutionsWithUploads } from '#shared/data/metrics.ts';
import { seedDemoDistrict, type DemoDistrict } from '../../local/seed/demo-district.ts';
import { seedDemoMetrics } from '../../local/seed/demo-metrics.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const TODAY = '2026-11-22';
let stack: TestStack;
let demo: DemoDistrict;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date(`${TODAY}T08:00:00Z`) });
  demo = await seedDemoDistrict(stack.db, stack.keyer, { residentsPerTeam: 6, today: TODAY });
}, 120_000);

describe('demo metrics', () => {
  it('uploads version 1 for every institution for the previous completed quarter', async () => {
    const result = await seedDemoMetrics(stack.db, demo, { today: TODAY });
    expect(result).toEqual({ period: '2026Q3', institutions: demo.institutions.length, rows: demo.teams.length });
    expect((await institutionsWithUploads(stack.db, demo.district.districtId, '2026Q3')).size).toBe(demo.institutions.length);

    const metrics = await currentMetricsOfDistrict(stack.db, demo.district.districtId, '2026Q3');
    expect(metrics.size).toBe(demo.teams.length);
    let weak = 0;
    for (const { values, version } of metrics.values()) {
      expect(version).toBe(1);
      for (const prefix of ['htn-followup', 'dm-followup', 'elderly-checkup', 'child-vaccinations']) {
        expect(values[`${prefix}-done`]!).toBeLessThanOrEqual(values[`${prefix}-due`]!);
      }
      if (values['htn-followup-due']! > 0 && values['htn-followup-done']! / values['htn-followup-due']! < 0.75) weak++;
    }
    const dues = [...metrics.values()].map((m) => m.values['htn-followup-due']!);
    expect(Math.max(...dues)).toBeGreaterThan(100);
    expect(weak).toBeGreaterThan(0);
    expect(weak).toBeLessThan(demo.teams.length / 4);

    const admin = await stack.token('admin');
    const read = await stack.request('GET', `/institutions/${demo.institutions[0]!.institutionId}/metrics/2026Q3`, { token: admin });
    expect(await read.json()).toMatchObject({ version: 1, uploadedBy: 'demo-seed', format: 'seed' });
  });

  it('changes nothing when run again', async () => {
    expect(await seedDemoMetrics(stack.db, demo, { today: TODAY })).toMatchObject({ institutions: 0, rows: 0 });
  });
});
