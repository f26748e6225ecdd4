/**
 * The cost section (bench/cost-model.ts) on a tiny district against DynamoDB Local: the quarter is
 * walked to the end (the period settled with the approved settlement in force), every phase is
 * metered, and what was measured can never be below the minimum the stored items require (each
 * written once): a meter that missed writes would fail here. The figures per team agree with the
 * totals and the price with the list prices.
 */
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb } from '#shared/data/db.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { getInForce } from '#shared/data/settlements.ts';
import { measureQuarter } from '../../bench/cost-model.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack();
});

describe('the cost model', () => {
  it('walks a quarter to settled and measures at least the minimum in every phase', async () => {
    const quiet = createDb({ tableName: stack.db.tableName, endpoint: inject('dynamoDbEndpoint'), region: 'local' });
    try {
      const result = await measureQuarter(stack.db, quiet, {
        institutions: 1,
        teamsPerInstitution: 2,
        residentsPerTeam: 4,
        appSurveyEvery: 2,
        invitationsPerTeam: 2,
      });
      const details = result.details as {
        quarter: { districtId: string; period: string; teams: number; contracts: number; surveysAccepted: number; settlementId: string };
        totals: { read: number; write: number; calls: number; callsWithoutCapacity: number };
        minimum: { items: number; writeUnits: number; readUnits: number };
        byPhase: Record<string, { read: number; write: number }>;
      };
      const { quarter, totals, minimum, byPhase } = details;
      expect(quarter).toMatchObject({ teams: 2, contracts: 8 });
      expect(quarter.surveysAccepted).toBeGreaterThanOrEqual(4);
      expect((await getPeriodStatus(quiet, quarter.districtId, quarter.period)).state).toBe('settled');
      expect((await getInForce(quiet, quarter.districtId, quarter.period))?.settlementId).toBe(quarter.settlementId);

      expect(totals.callsWithoutCapacity).toBe(0);
      expect(totals.write).toBeGreaterThanOrEqual(minimum.writeUnits);
      for (const phase of ['registry', 'contracts', 'surveys', 'uploads', 'evaluation', 'settlement']) expect(byPhase[phase]?.write, phase).toBeGreaterThan(0);
      for (const phase of ['publication', 'reports']) expect(byPhase[phase]?.read, phase).toBeGreaterThan(0);

      const figure = (measure: string) => result.figures.find((f) => f.measure.startsWith(measure))!;
      expect(figure('write units').value).toBeCloseTo(totals.write / 2);
      expect(figure('write units').baseline).toBeCloseTo(minimum.writeUnits / 2);
      expect(figure('read units').value).toBeCloseTo(totals.read / 2);
      expect(figure('on-demand price').value).toBeCloseTo((1000 * ((totals.read / 2) * 0.125 + (totals.write / 2) * 0.625)) / 1e6);
    } finally {
      quiet.doc.destroy();
    }
    // a whole quarter through the app: a minute on a loaded machine
  }, 240_000);
});
