/**
 * A district whose quarter is published for review, reached through the API as users do: a
 * one-indicator criteria version, every institution's metrics uploaded, the run after the data
 * deadline, and publication. The clock is the caller's (`setNow`), as the lifecycle tests move it.
 */
import { expect } from 'vitest';
import { getRun } from '#shared/data/evaluations.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { createTestDistrict, type TestDistrict } from './fixtures.ts';
import type { TestStack } from './stack.ts';

export const HOME_VISITS_CRITERIA = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'home-visits',
      label: { zh: '高龄老人上门服务', en: 'Home visits (80+)' },
      weight: 100,
      source: { metric: 'home-visits-80plus' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
  ],
  gates: [],
} as unknown as CriteriaSet;

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** Waits for a run to complete and become official (the transition follows the completion). */
export async function runFinished(stack: TestStack, evaluationId: string) {
  for (let i = 0; i < 300; i++) {
    const run = await getRun(stack.db, evaluationId, true);
    if (run?.status === 'completed' || run?.status === 'failed') {
      const period = await getPeriodStatus(stack.db, run.districtId, run.period);
      if (run.status === 'failed' || period.officialRuns.some((r) => r.evaluationId === evaluationId) || i > 50) return run;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${evaluationId} did not finish`);
}

export interface PublishedPeriod {
  district: TestDistrict;
  evaluator: string;
  /** one clerk token per institution, in district.institutionIds order */
  clerks: string[];
  criteriaVersion: number;
  officialRunId: string;
  reviewEndsAt: string;
}

type SetNow = (iso: string) => void;

/**
 * `period` (a quarter) of a new district published on the 12th day after its end (its data
 * deadline is the 10th). Leaves the clock there.
 */
export async function publishedPeriod(
  stack: TestStack,
  setNow: SetNow,
  options: { districtId: string; period: string; before: string; after: string; institutions?: number; teamsPerInstitution?: number },
): Promise<PublishedPeriod> {
  const { districtId: D } = options;
  const district = await createTestDistrict(stack.db, D, { institutions: options.institutions ?? 2, teamsPerInstitution: options.teamsPerInstitution ?? 2 });
  const evaluator = await stack.token('evaluator', { districtId: D, sub: `评价员-${D}` });
  const clerks: string[] = [];
  for (const institutionId of district.institutionIds)
    clerks.push(await stack.token('clerk', { districtId: D, institutionId, sub: `联络员-${institutionId}` }));
  setNow(options.before);
  const created = await json<{ version: number }>(
    await stack.request('POST', `/districts/${D}/criteria`, {
      token: evaluator,
      body: { name: '上门服务', periodType: 'quarter', document: HOME_VISITS_CRITERIA },
    }),
    201,
  );
  await json(await stack.request('POST', `/districts/${D}/criteria/${created.version}/publish`, { token: evaluator, body: {} }), 200);
  const base = { district, evaluator, clerks, criteriaVersion: created.version };
  return { ...base, ...(await publishAnotherPeriod(stack, setNow, base, options)) };
}

/** Another quarter of the same district through uploads (every metric `value(institution, team)`), its run and publication. */
export async function publishAnotherPeriod(
  stack: TestStack,
  setNow: SetNow,
  p: Pick<PublishedPeriod, 'district' | 'evaluator' | 'clerks' | 'criteriaVersion'>,
  options: { period: string; before: string; after: string; value?: (institutionIndex: number, teamIndex: number) => number },
): Promise<{ officialRunId: string; reviewEndsAt: string }> {
  const { period } = options;
  const D = p.district.districtId;
  setNow(options.before);
  for (const [index, institutionId] of p.district.institutionIds.entries()) {
    const teams = p.district.teams.filter((t) => t.institutionId === institutionId);
    const value = (i: number) => (options.value ? options.value(index, i) : 3 + index * 2 + i);
    const rows = teams.map((t, i) => ({ teamId: t.teamId, values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, value(i)])) }));
    await json(await stack.request('PUT', `/institutions/${institutionId}/metrics/${period}`, { token: p.clerks[index], body: { rows } }), 201);
  }
  setNow(options.after);
  const run = await json<{ evaluationId: string }>(
    await stack.request('POST', `/districts/${D}/evaluations`, { token: p.evaluator, body: { period, criteriaVersion: p.criteriaVersion } }),
    202,
  );
  expect((await runFinished(stack, run.evaluationId))?.status).toBe('completed');
  const published = await json<{ reviewEndsAt: string }>(await stack.request('POST', `/districts/${D}/periods/${period}/publish`, { token: p.evaluator }), 200);
  return { officialRunId: run.evaluationId, reviewEndsAt: published.reviewEndsAt };
}
