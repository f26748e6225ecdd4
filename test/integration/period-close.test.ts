/**
 * Period close against DynamoDB Local (shared/services/evaluation/period-close.ts): the runs it
 * starts once the data deadline has passed (and not before), and that firing it again,
 * concurrently or after a crash, never duplicates one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRun, type EvaluationRun, getRun, listRuns } from '#shared/data/evaluations.ts';
import { periodCloseRunId } from '#shared/domain/period-close.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { closePeriods, PERIOD_CLOSE_STARTER, type PeriodCloseReport } from '#shared/services/evaluation/period-close.ts';
import { createTestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * 02:00 on 11 October in Beijing, when the daily schedule fires: the third quarter's data deadline
 * (10 days after 30 September) passed at midnight. (Before issue 14 the schedule fired on 1 October.)
 */
const FIRING = new Date('2026-10-11T02:00:00+08:00');
/** the day before: the deadline has not passed */
const BEFORE_DEADLINE = new Date('2026-10-10T02:00:00+08:00');
let now = FIRING;
const PERIOD = '2026Q3';

const CRITERIA: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'top-box',
      label: { zh: '非常满意占比', en: 'Very satisfied' },
      weight: 100,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      minN: 10,
      method: { kind: 'threshold-linear', lower: 10, upper: 60, maxPoints: 10 },
    },
  ],
  gates: [],
};

let stack: TestStack;
let admin: string;

async function publishCriteria(districtId: string, periodType: 'quarter' | 'year' = 'quarter', publish = true): Promise<number> {
  const created = await stack.request('POST', `/districts/${districtId}/criteria`, {
    token: admin,
    body: { name: '季度考核', periodType, document: CRITERIA },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const { version } = (await created.json()) as { version: number };
  if (publish) expect((await stack.request('POST', `/districts/${districtId}/criteria/${version}/publish`, { token: admin, body: {} })).status).toBe(200);
  return version;
}

async function runsOf(districtId: string): Promise<EvaluationRun[]> {
  return (await listRuns(stack.db, districtId, 100)).items;
}

async function finished(evaluationId: string): Promise<EvaluationRun> {
  for (let i = 0; i < 300; i++) {
    const run = await getRun(stack.db, evaluationId, true);
    if (run && (run.status === 'completed' || run.status === 'failed')) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${evaluationId} did not finish`);
}

const outcomesOf = (report: PeriodCloseReport, districtId: string) => report.outcomes.filter((o) => o.districtId === districtId);

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  admin = await stack.token('admin');
  // ready: published quarterly criteria, no run yet
  await createTestDistrict(stack.db, 'close-ready', { institutions: 1, teamsPerInstitution: 3 });
  await publishCriteria('close-ready');
  // an evaluator already ran the quarter
  await createTestDistrict(stack.db, 'close-done', { institutions: 1, teamsPerInstitution: 2 });
  const version = await publishCriteria('close-done');
  const started = await stack.request('POST', '/districts/close-done/evaluations', { token: admin, body: { period: PERIOD, criteriaVersion: version } });
  expect(started.status).toBe(202);
  await finished(((await started.json()) as { evaluationId: string }).evaluationId);
  // a draft only, and year criteria only: nothing to run a quarter with
  await createTestDistrict(stack.db, 'close-draft', { institutions: 1, teamsPerInstitution: 1 });
  await publishCriteria('close-draft', 'quarter', false);
  await createTestDistrict(stack.db, 'close-yearly', { institutions: 1, teamsPerInstitution: 1 });
  await publishCriteria('close-yearly', 'year');
});

describe('a period close', () => {
  it('starts nothing while the data deadline has not passed (the day before it)', async () => {
    now = BEFORE_DEADLINE;
    try {
      const report = await closePeriods(stack.deps);
      expect(outcomesOf(report, 'close-ready')).toEqual([{ districtId: 'close-ready', period: PERIOD, result: 'skipped', reason: 'deadline-not-passed' }]);
      expect(await runsOf('close-ready')).toEqual([]);
    } finally {
      now = FIRING;
    }
  });

  it('starts one run of the closed quarter where criteria are published and no run exists, and none elsewhere', async () => {
    const report = await closePeriods(stack.deps);
    expect(report.periods).toEqual([PERIOD]);
    expect(outcomesOf(report, 'close-ready')).toEqual([
      { districtId: 'close-ready', period: PERIOD, result: 'started', evaluationId: periodCloseRunId('close-ready', PERIOD, 1), criteriaVersion: 1 },
    ]);
    expect(outcomesOf(report, 'close-done')).toEqual([{ districtId: 'close-done', period: PERIOD, result: 'skipped', reason: 'already-run' }]);
    expect(outcomesOf(report, 'close-draft')).toEqual([{ districtId: 'close-draft', period: PERIOD, result: 'skipped', reason: 'no-published-criteria' }]);
    expect(outcomesOf(report, 'close-yearly')).toEqual([{ districtId: 'close-yearly', period: PERIOD, result: 'skipped', reason: 'no-published-criteria' }]);

    const [run] = await runsOf('close-ready');
    expect(await runsOf('close-ready')).toHaveLength(1);
    expect(run).toMatchObject({ period: PERIOD, baselinePeriod: '2026Q2', criteriaVersion: 1, startedBy: PERIOD_CLOSE_STARTER, progress: { total: 3 } });
    // launched in this process, as an evaluator's run is
    const done = await finished(run!.evaluationId);
    expect(done.status).toBe('completed');
    expect(done.summary?.teams).toBe(3);

    expect(await runsOf('close-done')).toHaveLength(1);
    expect(await runsOf('close-draft')).toEqual([]);
    expect(await runsOf('close-yearly')).toEqual([]);
  });

  it('starts nothing more when it fires again, one after the other or five at once', async () => {
    const again = await closePeriods(stack.deps);
    expect(again.outcomes.filter((o) => o.result === 'started' || o.result === 'failed')).toEqual([]);
    const burst = await Promise.all(Array.from({ length: 5 }, () => closePeriods(stack.deps)));
    expect(burst.flatMap((r) => r.outcomes).filter((o) => o.result === 'started' || o.result === 'failed')).toEqual([]);
    expect(await runsOf('close-ready')).toHaveLength(1);
    expect(await runsOf('close-done')).toHaveLength(1);
    expect(await runsOf('close-draft')).toEqual([]);
  });

  it("lets exactly one of five concurrent firings create a new district's run", async () => {
    await createTestDistrict(stack.db, 'close-race', { institutions: 1, teamsPerInstitution: 2 });
    await publishCriteria('close-race');
    const reports = await Promise.all(Array.from({ length: 5 }, () => closePeriods(stack.deps)));
    const results = reports.flatMap((r) => outcomesOf(r, 'close-race')).map((o) => o.result);
    expect(results.filter((r) => r === 'started')).toHaveLength(1);
    expect(results.filter((r) => r === 'failed')).toEqual([]);
    const runs = await runsOf('close-race');
    expect(runs.map((r) => r.evaluationId)).toEqual([periodCloseRunId('close-race', PERIOD, 1)]);
    expect((await finished(runs[0]!.evaluationId)).status).toBe('completed');
  });

  it('starts its own run that a crashed firing queued but never launched', async () => {
    await createTestDistrict(stack.db, 'close-crash', { institutions: 1, teamsPerInstitution: 2 });
    await publishCriteria('close-crash');
    const evaluationId = periodCloseRunId('close-crash', PERIOD, 1);
    await createRun(stack.db, {
      evaluationId,
      districtId: 'close-crash',
      period: PERIOD,
      baselinePeriod: '2026Q2',
      criteriaVersion: 1,
      status: 'queued',
      phase: 'values',
      progress: { done: 0, total: 2 },
      startedBy: PERIOD_CLOSE_STARTER,
      createdAt: FIRING.toISOString(),
    });
    const report = await closePeriods(stack.deps);
    expect(outcomesOf(report, 'close-crash')).toEqual([
      { districtId: 'close-crash', period: PERIOD, result: 'already-started', evaluationId, criteriaVersion: 1 },
    ]);
    expect((await finished(evaluationId)).status).toBe('completed');
    expect(await runsOf('close-crash')).toHaveLength(1);
  });

  it('closes named periods by hand, and refuses one that has not ended', async () => {
    const report = await closePeriods(stack.deps, { periods: ['2026Q2'] });
    expect(outcomesOf(report, 'close-done')).toEqual([
      { districtId: 'close-done', period: '2026Q2', result: 'started', evaluationId: periodCloseRunId('close-done', '2026Q2', 1), criteriaVersion: 1 },
    ]);
    for (const outcome of report.outcomes) if ('evaluationId' in outcome) expect((await finished(outcome.evaluationId)).status).toBe('completed');
    await expect(closePeriods(stack.deps, { periods: ['2026Q4'] })).rejects.toThrow(/2026Q4/);
    await expect(closePeriods(stack.deps, { periods: ['2026'] })).rejects.toThrow(/not a period that has ended/i);
  });
});
