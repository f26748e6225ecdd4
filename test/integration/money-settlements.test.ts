/**
 * Money rules on settlements, periods and uploads (issue 13, rules 1, 8, 9) against DynamoDB
 * Local, through the API, reading the table back: four-eyes over every revision (also when
 * officers recompute and approve at once), evaluations and settlements only for ended periods,
 * and a period close that wins against uploads racing it.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { batchPut } from '#shared/data/batch.ts';
import { type Contract, contractImportItems } from '#shared/data/contracts.ts';
import { createRun, listRuns, putScores } from '#shared/data/evaluations.ts';
import { settlementKeys } from '#shared/data/keys.ts';
import { ensureCatalogue } from '#shared/data/metric-catalogue.ts';
import { getCurrentMetricsVersion, listMetricsVersions, writeMetricsVersion } from '#shared/data/metrics.ts';
import { closePeriod, getPeriodStatus } from '#shared/data/period-status.ts';
import { getSettlement, listAudit } from '#shared/data/settlements.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const NOW = new Date('2027-01-10T08:00:00Z');
const D = 'ms-d';
let stack: TestStack;
let district: TestDistrict;
const officer = (name: string, districtId = D) => stack.token('finance', { districtId, sub: name });

async function completedRun(evaluationId: string, period: string): Promise<void> {
  await createRun(stack.db, {
    evaluationId,
    districtId: D,
    period,
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: district.teams.length, total: district.teams.length },
    startedBy: 'evaluator-1',
    createdAt: NOW.toISOString(),
    completedAt: NOW.toISOString(),
    fingerprint: `${evaluationId}`.padEnd(64, '0'),
  });
  await finalizePeriod(stack.db, D, period, evaluationId);
  await putScores(
    stack.db,
    district.teams.map((team, i) => ({
      evaluationId,
      teamId: team.teamId,
      institutionId: team.institutionId,
      score: {
        teamId: team.teamId,
        status: 'scored',
        total: i ? '70.00' : '90.00',
        indicators: [],
        domains: [],
        gates: [],
        eligibility: 'eligible',
        capPercent: 100,
      } as never,
      rank: i + 1,
      percentile: null,
    })),
  );
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 1 });
  const contracts: Contract[] = district.teams.flatMap((team, t) =>
    Array.from({ length: 3 }, (_, i) => ({
      contractId: `ms-c-${t}-${i}`,
      teamId: team.teamId,
      institutionId: team.institutionId,
      districtId: D,
      residentRef: `ms-ref-${t}-${i}`,
      identityMasked: '990108********001X',
      insured: true,
      keyPopulations: [],
      servicePackage: { kind: 'basic' as const, code: 'basic', priceFen: 0 },
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      status: 'active' as const,
      renewals: 0,
      signedAt: '2026-01-01T00:00:00.000Z',
    })),
  );
  await batchPut(stack.db, contracts.flatMap(contractImportItems));
  for (const period of ['2026Q1', '2026Q2', '2026Q3', '2026Q4']) await completedRun(`ms-eval-${period.toLowerCase()}`, period);
});

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

const REQUEST = { poolFen: 1_000_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } };

async function createDraft(token: string, period: string): Promise<{ settlementId: string; computationId: string }> {
  const response = await settlementCall(stack, 'POST', `/districts/${D}/settlements`, {
    token,
    body: { evaluationId: `ms-eval-${period.toLowerCase()}`, ...REQUEST },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { settlementId: string; computationId: string };
}

function approve(settlementId: string, token: string, comment = 'Checked the lines against the evaluation') {
  return stack.request('POST', `/settlements/${settlementId}/approve`, { token, body: { comment } });
}

function recompute(settlementId: string, token: string, body: Record<string, unknown> = {}) {
  return settlementCall(stack, 'POST', `/settlements/${settlementId}/recompute`, { token, body });
}

describe('rule 1: four-eyes over every revision', () => {
  it('refuses an officer who recomputed in any earlier revision, even after the creator "refreshes" it; the audit shows every actor and comment', async () => {
    const [a, b, c] = (await Promise.all(['fe-a', 'fe-b', 'fe-c'].map((n) => officer(n)))) as [string, string, string];
    const draft = await createDraft(a, '2026Q1');
    // B inflates the pool with a 100/0 role split
    expect((await recompute(draft.settlementId, b, { poolFen: 99_000_000, roleShares: { 'general-practitioner': 100, 'community-nurse': 0 } })).status).toBe(
      200,
    );
    const byB = await approve(draft.settlementId, b);
    expect(byB.status).toBe(403);
    expect((await byB.json()) as object).toMatchObject({ code: 'approver-took-part' });
    // A refreshes with an empty recompute: B is still not a second pair of eyes
    expect((await recompute(draft.settlementId, a)).status).toBe(200);
    expect((await approve(draft.settlementId, b)).status).toBe(403);
    expect((await approve(draft.settlementId, a)).status).toBe(403);
    // an approval needs a comment
    expect((await approve(draft.settlementId, c, '   ')).status).toBe(400);
    const approved = await approve(draft.settlementId, c, '与考核结果核对无误');
    expect(approved.status).toBe(200);

    const stored = (await getSettlement(stack.db, draft.settlementId))!;
    expect(stored).toMatchObject({ status: 'approved', approvedBy: 'fe-c' });
    expect(new Set(stored.participants)).toEqual(new Set(['fe-a', 'fe-b']));
    const audit = await listAudit(stack.db, draft.settlementId);
    expect(audit.map((e) => [e.action, e.by])).toEqual([
      ['create', 'fe-a'],
      ['recompute', 'fe-b'],
      ['recompute', 'fe-a'],
      ['approve', 'fe-c'],
    ]);
    expect(audit.at(-1)?.comment).toBe('与考核结果核对无误');
  });

  it('two officers recomputing and approving at once: whoever approves never took part in any revision', async () => {
    for (const period of ['2026Q2', '2026Q3']) {
      const names = ['rc-a', 'rc-b', 'rc-c', 'rc-d'].map((n) => `${n}-${period}`);
      const [a, b, c, d] = (await Promise.all(names.map((n) => officer(n)))) as [string, string, string, string];
      const draft = await createDraft(a, period);
      // B and C each recompute and approve, D approves, all at the same moment
      const responses = await Promise.all([
        recompute(draft.settlementId, b, { poolFen: 5_000_000 }),
        approve(draft.settlementId, b!),
        recompute(draft.settlementId, c, { poolFen: 7_000_000 }),
        approve(draft.settlementId, c!),
        approve(draft.settlementId, d),
      ]);
      for (const r of responses) expect([200, 403, 409]).toContain(r.status);
      const stored = (await getSettlement(stack.db, draft.settlementId))!;
      const audit = await listAudit(stack.db, draft.settlementId);
      const shapers = new Set(audit.filter((e) => e.action === 'create' || e.action === 'recompute').map((e) => e.by));
      expect(new Set(stored.participants)).toEqual(shapers);
      const approvals = audit.filter((e) => e.action === 'approve');
      expect(approvals.length).toBeLessThanOrEqual(1);
      if (stored.status === 'approved') {
        expect(approvals).toHaveLength(1);
        expect(shapers.has(stored.approvedBy!)).toBe(false);
        // nothing was recomputed after the approval
        expect(audit.at(-1)?.action).toBe('approve');
      } else {
        // nobody left who did not take part: approve now with a fresh officer
        expect((await approve(draft.settlementId, await officer(`rc-e-${period}`))).status).toBe(200);
      }
    }
  });
});

describe('the refusals on the finance pages, in Chinese and English', () => {
  it('shows an officer who took part why they cannot approve, and asks for a comment', async () => {
    const a = await officer('pg-a');
    const draft = await createDraft(a, '2026Q4');
    const form = (body: string, lang: string) =>
      stack.request('POST', `/finance/settlements/${draft.settlementId}/approve?lang=${lang}`, {
        headers: { cookie: `gk_token=${a}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const zh = await form('comment=ok&lang=zh', 'zh');
    expect(zh.status).toBe(403);
    expect(await zh.text()).toContain('您参与了本结算');
    const en = await form('comment=ok&lang=en', 'en');
    expect(await en.text()).toContain('You took part in this settlement');
    const b = await officer('pg-b');
    const noComment = await stack.request('POST', `/finance/settlements/${draft.settlementId}/approve?lang=zh`, {
      headers: { cookie: `gk_token=${b}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'lang=zh',
    });
    expect(noComment.status).toBe(400);
    expect(await noComment.text()).toContain('审批须填写意见');
    // the settlement page shows the approval as a confirmation step with a required comment
    const page = await (await stack.request('GET', `/finance/settlements/${draft.settlementId}?lang=zh`, { token: b })).text();
    expect(page).toContain('data-testid="approve-step"');
    expect(page).toContain('确认批准');
    expect(page).toMatch(/<textarea name="comment" required/);
  });
});

describe('rule 8: only ended periods', () => {
  it('refuses a settlement on a running or future period with 409 period-not-ended, and stores nothing', async () => {
    for (const period of ['2027Q1', '2027Q2']) {
      await completedRun(`ms-eval-${period.toLowerCase()}`, period);
      const a = await officer('pe-a');
      const body = { evaluationId: `ms-eval-${period.toLowerCase()}`, ...REQUEST };
      const created = await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token: a, body });
      expect(created.status).toBe(409);
      expect((await created.json()) as object).toMatchObject({ code: 'period-not-ended', period });
      expect((await settlementCall(stack, 'POST', `/districts/${D}/settlements/preview`, { token: a, body })).status).toBe(409);
    }
    const listed = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': settlementKeys.settlementsOfDistrict(D).gsi1pk },
      }),
    );
    expect((listed.Items ?? []).filter((s) => String(s.period).startsWith('2027'))).toEqual([]);
  });

  it('refuses to start an evaluation run of a running or future period, and stores no run', async () => {
    const evaluator = await stack.token('evaluator', { districtId: D });
    const created = await stack.request('POST', `/districts/${D}/criteria`, {
      token: evaluator,
      body: { name: '季度考核', periodType: 'quarter', document: CRITERIA },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { version } = (await created.json()) as { version: number };
    expect((await stack.request('POST', `/districts/${D}/criteria/${version}/publish`, { token: evaluator, body: {} })).status).toBe(200);
    for (const period of ['2027Q1', '2027Q3']) {
      const started = await stack.request('POST', `/districts/${D}/evaluations`, { token: evaluator, body: { period, criteriaVersion: version } });
      expect(started.status).toBe(409);
      expect((await started.json()) as object).toMatchObject({ code: 'period-not-ended', period });
    }
    // the only 2027 runs are the completed ones this file wrote straight into the table
    const runs = (await listRuns(stack.db, D, 100)).items.filter((r) => r.period.startsWith('2027'));
    expect(runs.map((r) => r.evaluationId).sort()).toEqual(['ms-eval-2027q1', 'ms-eval-2027q2']);
  });

  it('shows the refusal of a period that has not ended on the new-settlement page, in Chinese and English', async () => {
    const token = await officer('pe-page-2');
    const query = 'evaluationId=ms-eval-2027q1&pool=1000&method=score-weighted&sizeMeasure=active-contracts&keyPopulationWeight=2&preview=1';
    const zh = await stack.request('GET', `/finance/districts/${D}/settlements/new?${query}&lang=zh`, { token });
    expect(zh.status).toBe(409);
    expect(await zh.text()).toContain('考核期 2027Q1 尚未结束');
    const en = await stack.request('GET', `/finance/districts/${D}/settlements/new?${query}&lang=en`, { token });
    expect(await en.text()).toContain('Period 2027Q1 has not ended');
  });

  it('offers only ended periods on the new-settlement page', async () => {
    const page = await stack.request('GET', `/finance/districts/${D}/settlements/new?lang=zh`, { token: await officer('pe-page') });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('ms-eval-2026q4');
    expect(html).not.toContain('ms-eval-2027q1');
    expect(html).not.toContain('ms-eval-2027q2');
  });
});

describe('rule 9: the close wins the race against uploads', () => {
  const period = '2026Q4';
  const rows = () =>
    district.teams
      .filter((t) => t.institutionId === district.institutionIds[0])
      .map((t) => ({ teamId: t.teamId, values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, 4])) }));

  it('stores no version once the period is closed, even for uploads that started before the close', async () => {
    await ensureCatalogue(stack.db, D, NOW.toISOString());
    const institutionId = district.institutionIds[0]!;
    const clerk = await stack.token('clerk', { districtId: D, institutionId });
    const admin = await stack.token('admin');
    const upload = () => stack.request('PUT', `/institutions/${institutionId}/metrics/${period}`, { token: clerk, body: { rows: rows() } });
    const uploads = Array.from({ length: 8 }, () => upload());
    const close = new Promise<Response>((resolve) =>
      setTimeout(() => resolve(stack.request('POST', `/districts/${D}/periods/${period}/close`, { token: admin })), 15),
    );
    const [closed, ...results] = await Promise.all([close, ...uploads]);
    expect(closed.status).toBe(200);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const accepted = results.filter((r) => r.status === 201).length;

    // read back: exactly the accepted versions exist, numbered without gaps, and the pointer names the last
    const versions = (await listMetricsVersions(stack.db, institutionId, period, 100)).items;
    expect(versions).toHaveLength(accepted);
    expect(versions.map((v) => v.version).sort((x, y) => x - y)).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
    expect((await getCurrentMetricsVersion(stack.db, D, institutionId, period))?.version ?? 0).toBe(accepted);
    expect((await getPeriodStatus(stack.db, D, period)).status).toBe('closed');

    // after the close nothing more lands, through the API or straight through the repository
    expect((await upload()).status).toBe(409);
    await expect(
      writeMetricsVersion(stack.db, {
        districtId: D,
        institutionId,
        period,
        uploadedBy: 'late-clerk',
        uploadedAt: NOW.toISOString(),
        codes: DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code),
        format: 'json',
        catalogueVersion: 1,
        rows: rows(),
      }),
    ).rejects.toMatchObject({ code: 'period-closed' });
    expect((await listMetricsVersions(stack.db, institutionId, period, 100)).items).toHaveLength(accepted);
  });

  it('the write itself re-checks: an upload whose early check passed before an administrator closed the period is refused', async () => {
    const institutionId = district.institutionIds[1]!;
    const period2 = '2026Q3';
    // the handler's early check saw an open period; the close lands before the version's transaction
    await closePeriod(stack.db, D, period2, 'admin-1', NOW.toISOString());
    await expect(
      writeMetricsVersion(stack.db, {
        districtId: D,
        institutionId,
        period: period2,
        uploadedBy: 'clerk',
        uploadedAt: NOW.toISOString(),
        codes: DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code),
        format: 'json',
        catalogueVersion: 1,
        rows: rows().map((r) => ({ ...r, teamId: district.teams[1]!.teamId })),
      }),
    ).rejects.toMatchObject({ code: 'period-closed' });
    expect((await listMetricsVersions(stack.db, institutionId, period2, 100)).items).toEqual([]);
    expect(await getCurrentMetricsVersion(stack.db, D, institutionId, period2)).toBeNull();
  });
});
