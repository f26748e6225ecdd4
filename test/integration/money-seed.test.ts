/** The demo seed keeps the money rules (issue 13): fees within the rules, no active contract past its end, counters equal to their contracts. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#shared/data/keys.ts';
import { maxChargeFen } from '#shared/domain/contracts.ts';
import { reconcileContracts } from '#shared/services/contract-reconcile.ts';
import { type DemoDistrict, seedDemoDistrict } from '../../local/seed/demo-district.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const TODAY = '2026-11-22';
let stack: TestStack;
let demo: DemoDistrict;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date(`${TODAY}T08:00:00Z`) });
  demo = await seedDemoDistrict(stack.db, stack.keyer, { residentsPerTeam: 2, today: TODAY });
}, 120_000);

describe('the demo seed', () => {
  it('charges every resident a published package at most at the allowed fee', () => {
    const institutions = new Map(demo.institutions.map((i) => [i.institutionId, i]));
    for (const c of demo.contracts) {
      const institution = institutions.get(c.institutionId)!;
      const pkg = institution.servicePackages.find((p) => p.code === c.servicePackage.code && p.kind === c.servicePackage.kind);
      expect(pkg, c.contractId).toBeDefined();
      const max = maxChargeFen({
        ownership: institution.ownership,
        kind: pkg!.kind,
        publishedFeeFen: pkg!.feeFen,
        insured: c.insured,
        subsidyPerYearFen: demo.district.settings.subsidyPerResidentYearFen,
      });
      expect(c.servicePackage.priceFen, c.contractId).toBeLessThanOrEqual(max);
    }
  });

  it('stores no contract active past its end, and its counters equal the active contracts, every one in the end schedule', async () => {
    expect(demo.contracts.filter((c) => c.status === 'active' && c.endDate < TODAY)).toEqual([]);
    expect(demo.contracts.some((c) => c.status === 'ended')).toBe(true);
    const report = await reconcileContracts(stack.db, demo.district.districtId, TODAY);
    expect(report.contractsChecked).toBe(demo.contracts.length);
    expect(report.pastEnd).toEqual([]);
    expect(report.unscheduled).toEqual([]);
    expect(report.counterDrift).toEqual([]);
    expect(report.overlaps).toEqual([]);
  }, 120_000);

  it("names every resident's latest term, ended ones too, in their current-contract item, and dates every renewal", async () => {
    const ended = demo.contracts.filter((c) => c.status === 'ended');
    for (const c of ended.slice(0, 20)) {
      const item = await stack.db.doc.send(
        new GetCommand({ TableName: stack.db.tableName, Key: keys.residentCurrentContract(c.residentRef), ConsistentRead: true }),
      );
      expect(item.Item?.contractId, c.contractId).toBe(c.contractId);
    }
    for (const c of demo.contracts.filter((c) => c.renewals > 0)) {
      expect(c.renewedAt?.length, c.contractId).toBe(c.renewedEnds?.length);
      expect(c.renewedAt![0]! > c.signedAt && c.renewedAt![0]!.slice(0, 10) <= c.renewedEnds![0]!, c.contractId).toBe(true);
    }
  });

  it('has no team above the district cap', () => {
    for (const team of demo.teams) expect(team.capacity).toBeLessThanOrEqual(demo.district.settings.teamCapacity);
  });
});
