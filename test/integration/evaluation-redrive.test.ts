/**
 * The Step Functions task handlers over batches against DynamoDB Local: a run killed after some
 * batches and redriven (every batch of the interrupted phase run again) ends identical to an
 * uninterrupted run, with nothing counted twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from '#shared/data/batch.ts';
import { createCriteriaDraft, publishCriteria } from '#shared/data/criteria.ts';
import { allScores, createRun, getRun } from '#shared/data/evaluations.ts';
import { writeMetricsVersion } from '#shared/data/metrics.ts';
import { aggregateItem } from '#shared/data/surveys.ts';
import { teamItem } from '#shared/data/teams.ts';
import { type PlanResult, runEvaluationTask } from '#shared/services/evaluation/tasks.ts';
import { DEMO_CRITERIA } from '../../local/seed/demo-criteria.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict } from '../support/fixtures.ts';

const TEAMS = 250; // three batches of 100
const now = () => new Date('2026-11-22T08:00:00Z');
let stack: TestStack;
let version: number;

beforeAll(async () => {
  stack = await createTestStack({ now });
  const district = await createTestDistrict(stack.db, 'redrive-d', { teamsPerInstitution: 1 });
  const institutionId = district.institutionIds[0]!;
  const template = district.teams[0]!;
  const teams = Array.from({ length: TEAMS - 1 }, (_, i) => ({ ...template, teamId: `${template.teamId}-${String(i).padStart(3, '0')}`, name: `团队 ${i}` }));
  await batchPut(stack.db, teams.map(teamItem));
  const allTeamIds = [template.teamId, ...teams.map((t) => t.teamId)];
  for (const period of ['2026Q2', '2026Q3']) {
    await writeMetricsVersion(stack.db, {
      districtId: 'redrive-d',
      institutionId,
      period,
      uploadedBy: 'test',
      uploadedAt: '2026-10-01T00:00:00.000Z',
      codes: ['htn-followup-due', 'htn-followup-done', 'dm-followup-due', 'dm-followup-done', 'home-visits-80plus', 'referrals-down'],
      format: 'seed',
      catalogueVersion: 1,
      rows: allTeamIds.map((teamId, i) => ({
        teamId,
        values: {
          'htn-followup-due': 40,
          'htn-followup-done': 20 + (i % 21),
          'dm-followup-due': 20,
          'dm-followup-done': period === '2026Q3' ? 8 + (i % 13) : 6 + (i % 11),
          'home-visits-80plus': i % 17,
          'referrals-down': i % 7,
        },
      })),
    });
  }
  await batchPut(
    stack.db,
    allTeamIds.map((teamId, i) =>
      aggregateItem(
        { districtId: 'redrive-d', period: '2026Q3', teamId, institutionId },
        { n: 12, 'q.overall.count': 12, 'q.overall.top': i % 12, 'q.overall.sum': 36 + (i % 12) * 2 },
      ),
    ),
  );
  const draft = await createCriteriaDraft(stack.db, {
    districtId: 'redrive-d',
    name: 'redrive',
    periodType: 'quarter',
    document: DEMO_CRITERIA,
    createdBy: 't',
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedBy: 't',
    updatedAt: '2026-10-01T00:00:00.000Z',
  });
  version = (await publishCriteria(stack.db, 'redrive-d', draft.version, 't', '2026-10-01T00:00:00.000Z')).version;
}, 120_000);

async function newRun(evaluationId: string): Promise<void> {
  await createRun(stack.db, {
    evaluationId,
    districtId: 'redrive-d',
    period: '2026Q3',
    baselinePeriod: '2026Q2',
    criteriaVersion: version,
    status: 'queued',
    phase: 'values',
    progress: { done: 0, total: TEAMS },
    startedBy: 'test',
    createdAt: '2026-11-22T08:00:00.000Z',
  });
}

const task = (event: Parameters<typeof runEvaluationTask>[1]) => runEvaluationTask(stack.db, event, now);

async function results(evaluationId: string) {
  const scores = [];
  for await (const s of allScores(stack.db, evaluationId)) scores.push({ ...s, evaluationId: null });
  const run = await getRun(stack.db, evaluationId, true);
  return { scores, run };
}

describe('evaluation tasks', () => {
  it('a run killed mid-phase and redriven equals an uninterrupted run', async () => {
    await newRun('eval-whole');
    const plan = (await task({ task: 'plan', evaluationId: 'eval-whole' })) as PlanResult;
    expect(plan.batches).toHaveLength(3);
    for (const item of plan.batches) await task({ task: 'values', ...item, evaluationId: 'eval-whole' });
    await task({ task: 'statistics', evaluationId: 'eval-whole' });
    for (const item of plan.batches) await task({ task: 'scores', ...item, evaluationId: 'eval-whole' });
    await task({ task: 'ranking', evaluationId: 'eval-whole' });

    await newRun('eval-redriven');
    const redrivenPlan = (await task({ task: 'plan', evaluationId: 'eval-redriven' })) as PlanResult;
    const batches = redrivenPlan.batches.map((b) => ({ ...b, evaluationId: 'eval-redriven' }));
    // the first execution dies after two batches of phase 1 …
    for (const item of batches.slice(0, 2)) await task({ task: 'values', ...item });
    // … the failure is recorded, and the redrive runs the whole phase again, then the rest, with one scores batch twice
    await task({ task: 'fail', evaluationId: 'eval-redriven', error: 'Lambda.ServiceException' });
    expect((await getRun(stack.db, 'eval-redriven', true))?.status).toBe('failed');
    for (const item of batches) await task({ task: 'values', ...item });
    await task({ task: 'statistics', evaluationId: 'eval-redriven' });
    for (const item of [...batches, batches[1]!]) await task({ task: 'scores', ...item });
    await task({ task: 'ranking', evaluationId: 'eval-redriven' });

    const whole = await results('eval-whole');
    const redriven = await results('eval-redriven');
    expect(redriven.scores).toHaveLength(TEAMS);
    expect(JSON.stringify(redriven.scores)).toBe(JSON.stringify(whole.scores));
    expect(redriven.run?.fingerprint).toBe(whole.run?.fingerprint);
    expect(redriven.run?.status).toBe('completed');
    expect(redriven.run?.progress).toEqual({ done: TEAMS, total: TEAMS });
    expect(redriven.run?.summary).toEqual(whole.run?.summary);
  });

  it('marks a run failed through the fail task, and a completed run stays immutable', async () => {
    await newRun('eval-failing');
    await task({ task: 'fail', evaluationId: 'eval-failing', error: 'States.Timeout' });
    expect((await getRun(stack.db, 'eval-failing', true))?.status).toBe('failed');
    await expect(task({ task: 'fail', evaluationId: 'eval-whole' })).rejects.toMatchObject({ code: 'run-finished' });
  });
});
