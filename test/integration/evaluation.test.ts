/** A full evaluation run against DynamoDB Local, checked by hand, and its determinism. */
import { beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from '#shared/data/batch.ts';
import { aggregateItem } from '#shared/data/surveys.ts';
import { writeMetricsVersion } from '#shared/data/metrics.ts';
import { allScores, createRun, getRun } from '#shared/data/evaluations.ts';
import { executeEvaluation } from '#shared/services/evaluation/phases.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';

const PERIOD = '2026Q3';
let stack: TestStack;
let district: TestDistrict;
let evaluator: string;

const CRITERIA: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'htn',
      label: { zh: '高血压随访率', en: 'Hypertension follow-up rate' },
      weight: 50,
      source: { ratio: { numerator: 'htn-followup-done', denominator: 'htn-followup-due' } },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'threshold-linear', lower: 60, upper: 90, maxPoints: 10 },
    },
    {
      code: 'top-box',
      label: { zh: '非常满意占比', en: 'Very satisfied' },
      weight: 30,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      minN: 10,
      method: { kind: 'threshold-linear', lower: 10, upper: 60, maxPoints: 10 },
    },
    {
      code: 'home-visits',
      label: { zh: '上门服务', en: 'Home visits' },
      weight: 20,
      source: { metric: 'home-visits-80plus' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
  ],
  gates: [{ kind: 'missing-upload', effect: 'void' }],
};

function survey(responses: number, top: number) {
  return { n: responses, 'q.overall.count': responses, 'q.overall.top': top, 'q.overall.sum': responses * 4 };
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  // institution 1: teams A, B, C upload metrics; institution 2: team D uploads nothing
  district = await createTestDistrict(stack.db, 'eval-d', { institutions: 2, teamsPerInstitution: 3 });
  const [a, b, c, d] = [district.teams[0]!, district.teams[1]!, district.teams[2]!, district.teams[3]!];
  await writeMetricsVersion(stack.db, {
    districtId: 'eval-d',
    institutionId: district.institutionIds[0]!,
    period: PERIOD,
    uploadedBy: 'clerk',
    uploadedAt: '2026-10-05T00:00:00.000Z',
    codes: ['htn-followup-due', 'htn-followup-done', 'home-visits-80plus'],
    format: 'seed',
    catalogueVersion: 1,
    rows: [
      { teamId: a.teamId, values: { 'htn-followup-due': 30, 'htn-followup-done': 27, 'home-visits-80plus': 10 } },
      { teamId: b.teamId, values: { 'htn-followup-due': 30, 'htn-followup-done': 20, 'home-visits-80plus': 20 } },
      { teamId: c.teamId, values: { 'htn-followup-due': 30, 'htn-followup-done': 30, 'home-visits-80plus': 30 } },
    ],
  });
  const key = (teamId: string, institutionId: string) => ({ districtId: 'eval-d', period: PERIOD, teamId, institutionId });
  await batchPut(stack.db, [
    aggregateItem(key(a.teamId, a.institutionId), survey(12, 6)),
    aggregateItem(key(b.teamId, b.institutionId), survey(9, 9)),
    aggregateItem(key(c.teamId, c.institutionId), survey(20, 2)),
    aggregateItem(key(d.teamId, d.institutionId), survey(12, 12)),
  ]);
  evaluator = await stack.token('evaluator', { districtId: 'eval-d', name: '赵敏' });
});

async function publishedVersion(): Promise<number> {
  const created = await stack.request('POST', '/districts/eval-d/criteria', {
    token: evaluator,
    body: { name: '测试', periodType: 'quarter', document: CRITERIA },
  });
  expect(created.status).toBe(201);
  const { version } = (await created.json()) as { version: number };
  expect((await stack.request('POST', `/districts/eval-d/criteria/${version}/publish`, { token: evaluator, body: {} })).status).toBe(200);
  return version;
}

async function runToCompletion(version: number): Promise<{ evaluationId: string; fingerprint: string }> {
  // the runs here follow each other in one period: since issue 14 a rerun of an evaluated period needs a reason
  const started = await stack.request('POST', '/districts/eval-d/evaluations', {
    token: evaluator,
    body: { period: PERIOD, criteriaVersion: version, reason: 'rerun in the test' },
  });
  expect(started.status).toBe(202);
  const { evaluationId, startedByName } = (await started.json()) as { evaluationId: string; startedByName?: string };
  // the run records who started it by the name their token gave (shown on the finance pages' run labels)
  expect(startedByName).toBe('赵敏');
  for (let i = 0; i < 200; i++) {
    const run = (await (await stack.request('GET', `/evaluations/${evaluationId}`, { token: evaluator })).json()) as {
      status: string;
      fingerprint: string;
      error?: string;
    };
    if (run.status === 'completed') return { evaluationId, fingerprint: run.fingerprint };
    if (run.status === 'failed') throw new Error(run.error);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the run did not finish');
}

interface Scorecard {
  teamId: string;
  rank: number | null;
  percentile: string | null;
  score: {
    total: string | null;
    eligibility: string;
    indicators: { code: string; status: string; points: string | null; explanation: { en: string; zh: string } }[];
  };
}

async function scorecards(evaluationId: string): Promise<Map<string, Scorecard>> {
  const page = (await (await stack.request('GET', `/evaluations/${evaluationId}/scores?limit=100`, { token: evaluator })).json()) as { items: Scorecard[] };
  return new Map(page.items.map((s) => [s.teamId, s]));
}

describe('an evaluation run', () => {
  it('scores every team as computed by hand', async () => {
    const version = await publishedVersion();
    const { evaluationId, fingerprint } = await runToCompletion(version);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const cards = await scorecards(evaluationId);
    const [a, b, c, d] = district.teams.map((t) => cards.get(t.teamId)!);

    // A: htn 27/30 = 90 % → 10 of 10; top box 6/12 = 50 % → 8 of 10; home visits lowest of 3 → rank 1/6 → 1.6667
    //    50 + 30 × 0.8 + 20 × 1/6 = 77.333… → 77.33
    expect(a!.score.total).toBe('77.33');
    // B: htn 20/30 = 66.67 % → 2.2222; survey n = 9 < 10: insufficient, its weight redistributed over htn and home visits
    //    100 × (50 × 2/9 + 20 × 1/2) / 70 = 30.158… → 30.16
    expect(b!.score.total).toBe('30.16');
    expect(b!.score.indicators.find((i) => i.code === 'top-box')?.status).toBe('insufficient');
    // C: htn 100 % → 10; top box 10 % → 0 (at the lower threshold); home visits highest → rank 5/6 → 8.3333
    //    50 + 0 + 20 × 5/6 = 66.666… → 66.67
    expect(c!.score.total).toBe('66.67');
    // D: no upload → metric indicators insufficient (survey alone: 100) and the gate voids its incentive
    expect(d!.score.total).toBe('100.00');
    expect(d!.score.eligibility).toBe('void');
    expect([d!.rank, a!.rank, c!.rank, b!.rank]).toEqual([1, 2, 3, 4]);
    expect(a!.score.indicators[0]!.explanation.en).toContain('10');

    const clerk = await stack.token('clerk', { districtId: 'eval-d', institutionId: district.institutionIds[0] });
    // a clerk sees scorecards only once the results are published (issue 14; after publication: test/integration/period-lifecycle.test.ts)
    expect((await stack.request('GET', `/evaluations/${evaluationId}/teams/${a!.teamId}`, { token: clerk })).status).toBe(404);
    expect((await stack.request('GET', `/evaluations/${evaluationId}/teams/${d!.teamId}`, { token: clerk })).status).toBe(404);
  });

  it('reads the same rank and percentile on every path: pages of any size, one team, and all scorecards', async () => {
    const { evaluationId } = await runToCompletion(await publishedVersion());
    const whole = await scorecards(evaluationId);
    const ranks = [...whole.values()].map((s) => s.rank);
    expect(ranks.filter((r) => r !== null).sort()).toEqual([1, 2, 3, 4]);
    const standing = (s: { teamId: string; rank: number | null; percentile: string | null }) => [s.teamId, s.rank, s.percentile];

    const paged: Scorecard[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const page = (await (await stack.request('GET', `/evaluations/${evaluationId}/scores?${query}`, { token: evaluator })).json()) as {
        items: Scorecard[];
        nextCursor: string | null;
      };
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.map(standing)).toEqual([...whole.values()].map(standing));

    for (const card of whole.values()) {
      const one = (await (await stack.request('GET', `/evaluations/${evaluationId}/teams/${card.teamId}`, { token: evaluator })).json()) as Scorecard;
      expect(one).toEqual(card);
    }
    const all = [];
    for await (const s of allScores(stack.db, evaluationId)) all.push(standing(s));
    expect(all).toEqual([...whole.values()].map(standing));
  });

  it('gives the same fingerprint and the same results when run again on the same inputs', async () => {
    const version = await publishedVersion();
    const first = await runToCompletion(version);
    const second = await runToCompletion(version);
    expect(second.fingerprint).toBe(first.fingerprint);
    const strip = (cards: Map<string, Scorecard>) => JSON.stringify([...cards.values()].map(({ ...s }) => ({ ...s, evaluationId: undefined })));
    expect(strip(await scorecards(second.evaluationId))).toBe(strip(await scorecards(first.evaluationId)));
  });
});

describe('batches', () => {
  it('computing in batches of one team gives exactly the results of one batch for all', async () => {
    const version = await publishedVersion();
    const run = async (batchSize: number) => {
      const evaluationId = `eval-batch-${batchSize}`;
      await createRun(stack.db, {
        evaluationId,
        districtId: 'eval-d',
        period: PERIOD,
        baselinePeriod: '2026Q2',
        criteriaVersion: version,
        status: 'queued',
        phase: 'values',
        progress: { done: 0, total: 6 },
        startedBy: 'test',
        createdAt: '2026-11-22T08:00:00.000Z',
      });
      await executeEvaluation(stack.db, evaluationId, () => new Date('2026-11-22T09:00:00Z'), batchSize);
      const run = await getRun(stack.db, evaluationId);
      const scores = [];
      for await (const s of allScores(stack.db, evaluationId)) scores.push({ ...s, evaluationId: null });
      return { fingerprint: run!.fingerprint, summary: run!.summary, scores: JSON.stringify(scores) };
    };
    const whole = await run(100);
    const batched = await run(1);
    expect(batched.fingerprint).toBe(whole.fingerprint);
    expect(batched.summary).toEqual(whole.summary);
    expect(batched.scores).toBe(whole.scores);
  });
});

describe('criteria sets', () => {
  it('answers 422 with the path of each problem', async () => {
    const broken = {
      ...CRITERIA,
      indicators: [
        { ...CRITERIA.indicators[0]!, weight: 40, method: { kind: 'threshold-linear', lower: 90, upper: 60, maxPoints: 10 } },
        { ...CRITERIA.indicators[1]!, source: { metric: 'no-such-metric' } },
        CRITERIA.indicators[2]!,
      ],
    };
    const response = await stack.request('POST', '/districts/eval-d/criteria', {
      token: evaluator,
      body: { name: 'x', periodType: 'quarter', document: broken },
    });
    expect(response.status).toBe(422);
    const fields = ((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([expect.stringContaining('body.document.indicators.0.method'), expect.stringContaining('body.document.indicators.1.source')]),
    );
    expect(fields.some((f) => f.includes('weight') || f === 'body.document.indicators')).toBe(true);

    const schemaBroken = await stack.request('POST', '/districts/eval-d/criteria', {
      token: evaluator,
      body: { name: 'x', periodType: 'quarter', document: { ...CRITERIA, insufficientData: 'ignore' } },
    });
    expect(schemaBroken.status).toBe(422);
    expect(((await schemaBroken.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('body.document.insufficientData');
  });

  it('lets one of two simultaneous saves of a draft win and refuses the other with 409', async () => {
    const created = (await (
      await stack.request('POST', '/districts/eval-d/criteria', { token: evaluator, body: { name: '草稿', periodType: 'quarter', document: CRITERIA } })
    ).json()) as { version: number; revision: number };
    const save = (name: string) =>
      stack.request('PUT', `/districts/eval-d/criteria/${created.version}`, {
        token: evaluator,
        body: { revision: created.revision, name, document: CRITERIA },
      });
    const [one, two] = await Promise.all([save('甲'), save('乙')]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const stored = (await (await stack.request('GET', `/districts/eval-d/criteria/${created.version}`, { token: evaluator })).json()) as {
      name: string;
      revision: number;
    };
    expect(stored.revision).toBe(2);
    expect(stored.name).toBe(one.status === 200 ? '甲' : '乙');

    expect((await stack.request('POST', `/districts/eval-d/criteria/${created.version}/publish`, { token: evaluator, body: {} })).status).toBe(200);
    const afterPublish = await stack.request('PUT', `/districts/eval-d/criteria/${created.version}`, {
      token: evaluator,
      body: { revision: 2, name: '改', document: CRITERIA },
    });
    expect(afterPublish.status).toBe(409);
    expect(await afterPublish.json()).toMatchObject({ code: 'criteria-published' });
  });

  it('previews a draft against a period without storing a run', async () => {
    const created = (await (
      await stack.request('POST', '/districts/eval-d/criteria', { token: evaluator, body: { name: '预览', periodType: 'quarter', document: CRITERIA } })
    ).json()) as { version: number };
    const before = (await (await stack.request('GET', '/districts/eval-d/evaluations', { token: evaluator })).json()) as { items: unknown[] };
    const preview = (await (
      await stack.request('POST', `/districts/eval-d/criteria/${created.version}/preview`, { token: evaluator, body: { period: PERIOD } })
    ).json()) as { teams: number; scored: number; top: { total: string }[]; histogram: number[] };
    expect(preview.teams).toBe(6);
    expect(preview.top[0]!.total).toBe('100.00');
    expect(preview.histogram.reduce((s, n) => s + n, 0)).toBe(preview.scored);
    const after = (await (await stack.request('GET', '/districts/eval-d/evaluations', { token: evaluator })).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });
});
