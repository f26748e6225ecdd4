/**
 * A period's life against DynamoDB Local (issue 14): open with its data deadline and
 * completeness, uploads refused after the deadline, the schedule starting the run after the
 * deadline, a rerun replacing the official results with a reason (the previous ones stay
 * readable), settlement refused before final, publication (two at once: one wins), an appeal
 * accepted with a correction run and its before/after, one rejected, final after the window,
 * reopen refused once final, settlement of the official run and the period settled; and an
 * appeal filed at the window's end racing the finalisation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getRun } from '#shared/data/evaluations.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { closePeriods } from '#shared/services/evaluation/period-close.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const D = 'life-d';
const PERIOD = '2026Q3';
const CRITERIA: CriteriaSet = {
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
} as CriteriaSet;

let now = new Date('2026-10-05T08:00:00+08:00');
let stack: TestStack;
let district: TestDistrict;
let evaluator: string;
let admin: string;
const clerks: string[] = [];

const at = (iso: string) => {
  now = new Date(iso);
};

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

function metricsBody(institutionIndex: number, value: number) {
  const teams = district.teams.filter((t) => t.institutionId === district.institutionIds[institutionIndex]);
  return {
    rows: teams.map((t) => ({
      teamId: t.teamId,
      values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, value + teams.indexOf(t)])),
    })),
  };
}

async function finished(evaluationId: string) {
  for (let i = 0; i < 300; i++) {
    const run = await getRun(stack.db, evaluationId, true);
    if (run?.status === 'completed' || run?.status === 'failed') {
      // the official-run transition follows the completion: wait for it too
      const period = await getPeriodStatus(stack.db, run.districtId, run.period);
      if (run.status === 'failed' || period.officialRuns.some((r) => r.evaluationId === evaluationId) || i > 50) return run;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${evaluationId} did not finish`);
}

type PeriodBody = {
  state: string;
  deadlineAt: string;
  reviewEndsAt?: string;
  officialRunId?: string;
  officialRuns: { evaluationId: string; reason?: string }[];
  openAppeals: number;
  history: { action: string; from: string; to: string; by: string; reason?: string }[];
  completeness: { institutionId: string; metrics: { version: number } | null; teams: number; surveyResponses: number }[];
};

const readPeriod = async (token = evaluator) => json<PeriodBody>(await stack.request('GET', `/districts/${D}/periods/${PERIOD}`, { token }), 200);

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
  evaluator = await stack.token('evaluator', { districtId: D, sub: 'evaluator-1' });
  admin = await stack.token('admin', { sub: 'admin-1' });
  for (const institutionId of district.institutionIds) clerks.push(await stack.token('clerk', { districtId: D, institutionId, sub: `clerk-${institutionId}` }));
  const created = await json<{ version: number }>(
    await stack.request('POST', `/districts/${D}/criteria`, { token: evaluator, body: { name: '上门服务', periodType: 'quarter', document: CRITERIA } }),
    201,
  );
  await json(await stack.request('POST', `/districts/${D}/criteria/${created.version}/publish`, { token: evaluator, body: {} }), 200);
});

describe("a period's life", () => {
  let firstRun: string;
  let officialRun: string;
  let acceptedAppeal: string;
  let rejectedAppeal: string;

  it('is open until its data deadline, 10 days after its end, and shows what data is in per institution', async () => {
    const period = await readPeriod();
    expect(period).toMatchObject({ state: 'open', deadlineAt: '2026-10-10T16:00:00.000Z', officialRuns: [], history: [] });
    expect(period.completeness.map((c) => c.metrics)).toEqual([null, null]);
    await json(await stack.request('PUT', `/institutions/${district.institutionIds[0]}/metrics/${PERIOD}`, { token: clerks[0], body: metricsBody(0, 3) }), 201);
    await json(await stack.request('PUT', `/institutions/${district.institutionIds[1]}/metrics/${PERIOD}`, { token: clerks[1], body: metricsBody(1, 5) }), 201);
    const after = await readPeriod();
    expect(after.completeness.map((c) => [c.institutionId, c.metrics?.version, c.teams])).toEqual([
      [district.institutionIds[0], 1, 2],
      [district.institutionIds[1], 1, 2],
    ]);
    // a clerk sees their own institution only
    expect((await readPeriod(clerks[0])).completeness.map((c) => c.institutionId)).toEqual([district.institutionIds[0]]);
  });

  it('refuses uploads once the deadline has passed, and the schedule starts the run then and not before', async () => {
    at('2026-10-10T23:00:00+08:00');
    const early = await closePeriods(stack.deps);
    expect(early.outcomes.filter((o) => o.districtId === D)).toEqual([{ districtId: D, period: PERIOD, result: 'skipped', reason: 'deadline-not-passed' }]);

    at('2026-10-11T02:00:00+08:00');
    expect((await readPeriod()).state).toBe('deadline-passed');
    const late = await stack.request('PUT', `/institutions/${district.institutionIds[0]}/metrics/${PERIOD}`, { token: clerks[0], body: metricsBody(0, 4) });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'period-closed', state: 'deadline-passed' });

    const report = await closePeriods(stack.deps);
    const outcome = report.outcomes.find((o) => o.districtId === D);
    expect(outcome).toMatchObject({ result: 'started' });
    firstRun = (outcome as { evaluationId: string }).evaluationId;
    expect((await finished(firstRun)).status).toBe('completed');
    const period = await readPeriod();
    expect(period).toMatchObject({ state: 'evaluated', officialRunId: firstRun });
    expect(period.history.map((h) => [h.action, h.from, h.to])).toEqual([['evaluate', 'open', 'evaluated']]);
  });

  it('refuses to settle before the period is final', async () => {
    const finance = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const refused = await settlementCall(stack, 'POST', `/districts/${D}/settlements`, {
      token: finance,
      body: { evaluationId: firstRun, poolFen: 100_000, method: { kind: 'value-per-point', fenPerPoint: 100 } },
    });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'period-not-final', state: 'evaluated' });
    // nothing public before publication
    expect((await stack.request('GET', `/public/districts/${D}/results/${PERIOD}`)).status).toBe(404);
  });

  it('replaces the official results with a rerun that gives a reason; the previous results stay readable', async () => {
    const noReason = await stack.request('POST', `/districts/${D}/evaluations`, { token: evaluator, body: { period: PERIOD, criteriaVersion: 1 } });
    expect(noReason.status).toBe(422);
    expect(await noReason.json()).toMatchObject({ code: 'rerun-reason-required' });
    const rerun = await json<{ evaluationId: string }>(
      await stack.request('POST', `/districts/${D}/evaluations`, {
        token: evaluator,
        body: { period: PERIOD, criteriaVersion: 1, reason: '机构 2 的数据核对后重算' },
      }),
      202,
    );
    expect((await finished(rerun.evaluationId)).status).toBe('completed');
    officialRun = rerun.evaluationId;
    const period = await readPeriod();
    expect(period.officialRunId).toBe(officialRun);
    expect(period.officialRuns.map((r) => [r.evaluationId, r.reason])).toEqual([
      [firstRun, undefined],
      [officialRun, '机构 2 的数据核对后重算'],
    ]);
    expect(period.history.at(-1)).toMatchObject({
      action: 'evaluate',
      from: 'evaluated',
      to: 'evaluated',
      reason: '机构 2 的数据核对后重算',
      by: 'evaluator-1',
    });
    expect((await stack.request('GET', `/evaluations/${firstRun}/scores`, { token: evaluator })).status).toBe(200);
  });

  it('publishes once when two evaluators publish at the same moment', async () => {
    at('2026-10-12T09:00:00+08:00');
    const ownTeam = district.teams.find((t) => t.institutionId === district.institutionIds[0])!;
    const scorecard = () => stack.request('GET', `/evaluations/${officialRun}/teams/${ownTeam.teamId}`, { token: clerks[0] });
    expect((await scorecard()).status).toBe(404);
    const responses = await Promise.all([0, 1].map(() => stack.request('POST', `/districts/${D}/periods/${PERIOD}/publish`, { token: evaluator })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const record = await getPeriodStatus(stack.db, D, PERIOD);
    expect(record.state).toBe('published');
    expect(record.history.filter((h) => h.action === 'publish')).toHaveLength(1);
    expect(record.reviewEndsAt).toBe('2026-10-19T01:00:00.000Z');
    // the clerk sees their team's scorecard during the review
    expect((await scorecard()).status).toBe(200);
    // the public results page, without sign-in, in Chinese and English: every team with total, grade and rank
    const zh = await stack.request('GET', `/public/districts/${D}/results/${PERIOD}`);
    expect(zh.status).toBe(200);
    const zhHtml = await zh.text();
    expect(zhHtml).toContain('名次');
    for (const team of district.teams) expect(zhHtml).toContain(team.name);
    // no survey answers here: the counts are suppressed below the district minimum
    expect(zhHtml).toContain('少于 10 份');
    const en = await (await stack.request('GET', `/public/districts/${D}/results/${PERIOD}?lang=en`)).text();
    expect(en).toContain('Under review');
    expect(en).toMatch(/<td>[A-E]<\/td>/);
  });

  it('takes appeals from clerks during the window; one rejected, one accepted with a correction run listing the teams that changed', async () => {
    const [team0] = district.teams.filter((t) => t.institutionId === district.institutionIds[0]);
    const [team1] = district.teams.filter((t) => t.institutionId === district.institutionIds[1]);
    const appeal = (clerk: string, teamId: string, claimedValue: number) =>
      stack.request('POST', `/districts/${D}/periods/${PERIOD}/appeals`, {
        token: clerk,
        body: { teamId, indicator: 'home-visits', metric: 'home-visits-80plus', claimedValue, reason: '上报时漏记了 6 次上门服务' },
      });
    // a clerk cannot appeal for another institution's team
    expect((await appeal(clerks[0]!, team1!.teamId, 9)).status).toBe(404);
    acceptedAppeal = (await json<{ appealId: string }>(await appeal(clerks[0]!, team0!.teamId, 9), 201)).appealId;
    rejectedAppeal = (await json<{ appealId: string }>(await appeal(clerks[1]!, team1!.teamId, 1), 201)).appealId;
    expect((await getPeriodStatus(stack.db, D, PERIOD)).openAppeals).toBe(2);
    // the evaluator's period page lists them with the forms to decide
    const page = await stack.request('GET', `/evaluator/districts/${D}/periods/${PERIOD}?lang=en`, { token: evaluator });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Published for review');
    expect(html).toContain(`/evaluator/appeals/${acceptedAppeal}/decision`);

    const rejected = await json<{ status: string; decisionReason: string }>(
      await stack.request('POST', `/appeals/${rejectedAppeal}/decision`, { token: evaluator, body: { decision: 'reject', reason: '与原始记录一致' } }),
      200,
    );
    expect(rejected).toMatchObject({ status: 'rejected', decisionReason: '与原始记录一致' });
    expect((await stack.request('POST', `/appeals/${rejectedAppeal}/decision`, { token: evaluator, body: { decision: 'accept', reason: 'x' } })).status).toBe(
      409,
    );

    const accepted = await json<{ status: string; correctionRunId: string; metricVersion: number }>(
      await stack.request('POST', `/appeals/${acceptedAppeal}/decision`, { token: evaluator, body: { decision: 'accept', reason: '核对上门记录属实' } }),
      200,
    );
    expect(accepted).toMatchObject({ status: 'accepted', metricVersion: 2 });
    expect((await finished(accepted.correctionRunId)).status).toBe('completed');
    const metrics = await json<{ version: number; reason: string; rows: { teamId: string; values: Record<string, number> }[] }>(
      await stack.request('GET', `/institutions/${district.institutionIds[0]}/metrics/${PERIOD}`, { token: evaluator }),
      200,
    );
    expect(metrics.version).toBe(2);
    expect(metrics.rows.find((r) => r.teamId === team0!.teamId)?.values['home-visits-80plus']).toBe(9);

    const period = await readPeriod();
    expect(period).toMatchObject({ state: 'published', officialRunId: accepted.correctionRunId, openAppeals: 0 });
    expect(period.history.at(-1)).toMatchObject({ action: 'correct', from: 'published', to: 'published', reason: `appeal ${acceptedAppeal}` });

    const list = await json<{
      items: { appealId: string; status: string; changes?: { teamId: string; before: { total: string | null }; after: { total: string | null } }[] }[];
    }>(await stack.request('GET', `/districts/${D}/periods/${PERIOD}/appeals`, { token: evaluator }), 200);
    const withChanges = list.items.find((a) => a.appealId === acceptedAppeal)!;
    const change = withChanges.changes?.find((c) => c.teamId === team0!.teamId);
    expect(change).toBeDefined();
    expect(Number(change!.after.total)).toBeGreaterThan(Number(change!.before.total));
    // each clerk sees their own institution's appeals
    const own = await json<{ items: { appealId: string }[] }>(
      await stack.request('GET', `/districts/${D}/periods/${PERIOD}/appeals`, { token: clerks[1] }),
      200,
    );
    expect(own.items.map((a) => a.appealId)).toEqual([rejectedAppeal]);
  });

  it('becomes final when the window has closed with every appeal decided; then it cannot be reopened, and only its official run is settled', async () => {
    at('2026-10-19T09:00:00+08:00');
    // reads answer final but write nothing (no GET has side effects, issue 16)
    const period = await readPeriod();
    expect(period.state).toBe('final');
    expect(period.history.at(-1)?.action).not.toBe('finalize');
    expect((await stack.request('GET', `/public/districts/${D}/results/${PERIOD}`)).status).toBe(200);
    expect((await getPeriodStatus(stack.db, D, PERIOD)).state).toBe('published');

    const a = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const b = await stack.token('finance', { districtId: D, sub: 'finance-b' });
    const body = (evaluationId: string) => ({ evaluationId, poolFen: 100_000, method: { kind: 'value-per-point', fenPerPoint: 100 } });
    // the first unsafe action that needs the stored state final (here: creating a settlement) writes the transition
    const settlement = await json<{ settlementId: string }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token: a, body: body(period.officialRunId!) }),
      201,
    );
    const stored = await getPeriodStatus(stack.db, D, PERIOD);
    expect(stored.state).toBe('final');
    expect(stored.history.at(-1)).toMatchObject({ action: 'finalize', from: 'published', to: 'final', by: 'review-window' });

    const late = await stack.request('POST', `/districts/${D}/periods/${PERIOD}/appeals`, {
      token: clerks[0],
      body: { teamId: district.teams[0]!.teamId, indicator: 'home-visits', metric: 'home-visits-80plus', claimedValue: 5, reason: '太晚了' },
    });
    expect(late.status).toBe(409);
    const reopen = await stack.request('POST', `/districts/${D}/periods/${PERIOD}/reopen`, { token: admin, body: { reason: '再补数据' } });
    expect(reopen.status).toBe(409);
    expect(await reopen.json()).toMatchObject({ code: 'period-final' });
    const stale = await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token: a, body: body(firstRun) });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ code: 'run-not-official' });
    await json(await stack.request('POST', `/settlements/${settlement.settlementId}/approve`, { token: b, body: { comment: '核对无误' } }), 200);
    const settled = await readPeriod();
    expect(settled.state).toBe('settled');
    expect(settled.history.map((h) => h.to)).toEqual(['evaluated', 'evaluated', 'published', 'published', 'final', 'settled']);
  });
});

describe('an appeal filed at the end of the window racing the finalisation', () => {
  it('ends in one outcome: either the appeal is in and the period stays published, or the period is final and the appeal refused', async () => {
    const R = 'race-d';
    const local = await createTestDistrict(stack.db, R, { institutions: 1, teamsPerInstitution: 2 });
    const ev = await stack.token('evaluator', { districtId: R, sub: 'evaluator-r' });
    const clerk = await stack.token('clerk', { districtId: R, institutionId: local.institutionIds[0]!, sub: 'clerk-r' });
    at('2026-10-05T08:00:00+08:00');
    const created = await json<{ version: number }>(
      await stack.request('POST', `/districts/${R}/criteria`, { token: ev, body: { name: 'x', periodType: 'quarter', document: CRITERIA } }),
      201,
    );
    await json(await stack.request('POST', `/districts/${R}/criteria/${created.version}/publish`, { token: ev, body: {} }), 200);
    const rows = {
      rows: local.teams.map((t, i) => ({ teamId: t.teamId, values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, 2 + i])) })),
    };
    await json(await stack.request('PUT', `/institutions/${local.institutionIds[0]}/metrics/${PERIOD}`, { token: clerk, body: rows }), 201);
    at('2026-10-11T08:00:00+08:00');
    const run = await json<{ evaluationId: string }>(
      await stack.request('POST', `/districts/${R}/evaluations`, { token: ev, body: { period: PERIOD, criteriaVersion: created.version } }),
      202,
    );
    await finished(run.evaluationId);
    const published = await json<{ reviewEndsAt: string }>(await stack.request('POST', `/districts/${R}/periods/${PERIOD}/publish`, { token: ev }), 200);

    // two callers with their own clocks: the clerk a millisecond before the window's end, a reader a millisecond after
    const end = Date.parse(published.reviewEndsAt);
    const clerkStack = { ...stack.deps, now: () => new Date(end - 1) };
    const readerStack = { ...stack.deps, now: () => new Date(end + 1) };
    const { fileAppealAsClerk } = await import('#shared/services/appeals.ts');
    const { readPeriodForUpdate: read } = await import('#shared/services/periods.ts');
    const [filing, reading] = await Promise.allSettled([
      fileAppealAsClerk(clerkStack, {
        districtId: R,
        period: PERIOD,
        caller: { subject: 'clerk-r', role: 'clerk', districtId: R, institutionId: local.institutionIds[0] },
        appeal: { teamId: local.teams[0]!.teamId, indicator: 'home-visits', metric: 'home-visits-80plus', claimedValue: 9, reason: '最后一刻' },
      }),
      read(readerStack, R, PERIOD),
    ]);
    expect(reading.status).toBe('fulfilled');
    const record = await getPeriodStatus(stack.db, R, PERIOD);
    const appeals = await json<{ items: unknown[] }>(await stack.request('GET', `/districts/${R}/periods/${PERIOD}/appeals`, { token: ev }), 200);
    if (filing.status === 'fulfilled') {
      expect(record).toMatchObject({ state: 'published', openAppeals: 1 });
      expect(appeals.items).toHaveLength(1);
    } else {
      expect((filing.reason as { code?: string }).code).toBe('appeal-window-closed');
      expect(record).toMatchObject({ state: 'final', openAppeals: 0 });
      expect(appeals.items).toHaveLength(0);
    }
  });
});
