/// <reference lib="dom" />
/**
 * The evaluator pages in a real headless Chromium, signed in with the gk_token cookie: create a
 * draft, see the API's validation messages with their paths, lose a race for a save (409 with a
 * reload link), preview against the published version (histogram and movers), publish, start a
 * run and watch its self-refreshing progress page until complete, open a team's scorecard; the
 * same pages in English; finance reads without forms; no sign-in gives an HTML 401 and a
 * cross-site form a 403.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from '#shared/data/batch.ts';
import { writeMetricsVersion } from '#shared/data/metrics.ts';
import { aggregateItem } from '#shared/data/surveys.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { executeEvaluation } from '#shared/services/evaluation/phases.ts';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, seriousAxeViolations, serveStack } from '../support/browser.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'page-eval';
const PERIOD = '2026Q3';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;
/** runs started from the pages wait for this, so the test sees the run queued first */
let releaseRuns: () => void = () => {};

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

/** The same criteria with the weights moved from hypertension to satisfaction: totals change, so there are movers. */
const REWEIGHTED: CriteriaSet = {
  ...CRITERIA,
  indicators: [{ ...CRITERIA.indicators[0]!, weight: 30 }, { ...CRITERIA.indicators[1]!, weight: 50 }, CRITERIA.indicators[2]!],
};

function survey(responses: number, top: number) {
  return { n: responses, 'q.overall.count': responses, 'q.overall.top': top, 'q.overall.sum': responses * 4 };
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  // as in evaluation.test.ts: institution 1 (teams A, B, C) uploads metrics, institution 2 (D, E, F) does not
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 3 });
  const [a, b, c, d] = [district.teams[0]!, district.teams[1]!, district.teams[2]!, district.teams[3]!];
  await writeMetricsVersion(stack.db, {
    districtId: D,
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
  const key = (teamId: string, institutionId: string) => ({ districtId: D, period: PERIOD, teamId, institutionId });
  await batchPut(stack.db, [
    aggregateItem(key(a.teamId, a.institutionId), survey(12, 6)),
    aggregateItem(key(b.teamId, b.institutionId), survey(9, 9)),
    aggregateItem(key(c.teamId, c.institutionId), survey(20, 2)),
    aggregateItem(key(d.teamId, d.institutionId), survey(12, 12)),
  ]);
  const released = new Promise<void>((resolve) => {
    releaseRuns = resolve;
  });
  stack.deps.launchEvaluation = async (evaluationId) => {
    void released.then(() => executeEvaluation(stack.db, evaluationId, stack.deps.now)).catch((error: unknown) => console.error('evaluation failed', error));
  };
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  releaseRuns();
  await browser?.close();
  await server?.close();
});

/** A browser context signed in through /login, which lands on the role's home page (checked with axe, for English and for ids). */
async function signedIn(role: 'evaluator' | 'finance', sub: string, viewport = { width: 1200, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login`);
  await page.selectOption('select[name=role]', role);
  await page.fill('input[name=districtId]', D);
  await page.fill('input[name=subject]', sub);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname === `/${role}`);
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(await englishOnChinesePage(page, [sub, 'evaluator-zhang', D])).toEqual([]);
  expect(
    await idsShown(
      page,
      district.teams.map((t) => t.teamId),
    ),
  ).toEqual([]);
  await page.close();
  return context;
}

const listUrl = () => `${server.baseUrl}/evaluator/districts/${D}/criteria`;

/** The JSON view is the editor's advanced option: opened first. */
async function replaceDocument(page: Page, document: unknown): Promise<void> {
  const json = page.getByTestId('json-editor');
  if ((await json.getAttribute('open')) === null) await json.locator('summary').click();
  await page.getByLabel('评价标准文档（JSON）').fill(JSON.stringify(document, null, 2));
}

describe('evaluator pages', () => {
  let runUrl: string;

  it('creates a draft, shows the API’s validation messages with their paths, and explains a stale save', async () => {
    const context = await signedIn('evaluator', 'evaluator-zhang');
    const page = await context.newPage();
    // from the home page, by the navigation
    await page.goto(`${server.baseUrl}/evaluator`);
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '评价标准与评价' }).click();
    await page.waitForURL((url) => url.href.split('?')[0] === listUrl());
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`评价标准 · ${D} 区`);
    expect(await page.textContent('body')).toContain('还没有评价标准版本');

    // a new draft from the example template
    const newDraft = page.getByTestId('new-draft-form');
    expect(await page.evaluate(() => document.compatMode)).toBe('CSS1Compat');
    expect(await newDraft.getByLabel('基于').inputValue()).toBe('');
    // with the keyboard: type the name, Enter submits the form
    await newDraft.getByLabel('名称').focus();
    await page.keyboard.type('2026 年季度考核');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/criteria\/1\?lang=zh&done=created/);
    expect(await page.getByRole('status').textContent()).toContain('草稿已创建');
    expect(await page.getByTestId('criteria-status').textContent()).toBe('草稿');
    expect(await page.getByLabel('评价标准文档（JSON）').inputValue()).toContain('satisfaction-top-box');

    // an invalid document: limits the wrong way round, an unknown metric, weights not adding up to 100
    const broken = {
      ...CRITERIA,
      indicators: [
        { ...CRITERIA.indicators[0]!, weight: 40, method: { kind: 'threshold-linear', lower: 90, upper: 60, maxPoints: 10 } },
        { ...CRITERIA.indicators[1]!, source: { metric: 'no-such-metric' } },
        CRITERIA.indicators[2]!,
      ],
    };
    await replaceDocument(page, broken);
    await page.getByTestId('editor').getByRole('button', { name: '保存草稿' }).click();
    const alert = page.getByTestId('editor').getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('评价标准文档有以下问题');
    const problems = await page.getByTestId('problems').locator('li').allTextContents();
    expect(problems.some((p) => p.startsWith('indicators.0.method'))).toBe(true);
    expect(problems.some((p) => p.startsWith('indicators.1.source'))).toBe(true);
    // what was typed is kept, and the revision it started from too
    expect(await page.getByLabel('评价标准文档（JSON）').inputValue()).toContain('"no-such-metric"');
    expect(await page.getByTestId('editor').locator('input[name=revision]').inputValue()).toBe('1');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-draft-errors.png`, fullPage: true });

    // not JSON at all: where it breaks
    await page.getByLabel('评价标准文档（JSON）').fill('{\n  "insufficientData": "redistribute"\n  "indicators": []\n}');
    await page.getByTestId('editor').getByRole('button', { name: '保存草稿' }).click();
    await expect(page.getByTestId('problems').textContent()).resolves.toMatch(/^document 不是有效的 JSON：.*（第 3 行第 3 列）$/);

    // a second editor opens the same revision; the first saves a fixed document; the second's save is refused
    const other = await context.newPage();
    await other.goto(`${listUrl()}/1`);
    await replaceDocument(page, CRITERIA);
    await page.getByTestId('editor').getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/done=saved/);
    expect(await page.getByRole('status').textContent()).toContain('草稿已保存');
    expect(await page.getByTestId('revision').textContent()).toBe('2');

    await other.getByTestId('form-editor').getByLabel('名称', { exact: true }).fill('另一个名称');
    await other.getByTestId('form-editor').getByRole('button', { name: '保存草稿' }).click();
    const conflict = other.getByTestId('conflict');
    await expect(conflict.textContent()).resolves.toContain('现为第 2 次修订，您编辑的是第 1 次');
    expect(await other.getByTestId('form-editor').getByLabel('名称', { exact: true }).inputValue()).toBe('另一个名称');
    await other.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-draft-conflict.png`, fullPage: true });
    await conflict.getByRole('link', { name: '重新加载最新版本' }).click();
    await other.waitForURL(/\/criteria\/1\?lang=zh$/);
    expect(await other.getByTestId('form-editor').getByLabel('名称', { exact: true }).inputValue()).toBe('2026 年季度考核');
    expect(await other.getByLabel('评价标准文档（JSON）').inputValue()).toContain('"home-visits-80plus"');
    await context.close();
  });

  it('publishes a version, previews a new draft against it with a histogram and the biggest movers, and publishes that', async () => {
    const context = await signedIn('evaluator', 'evaluator-zhang');
    const page = await context.newPage();
    await page.goto(`${listUrl()}/1`);
    // publishing is a confirmation step
    await page.getByTestId('publish-step').locator('summary').click();
    await page.getByRole('button', { name: '确认发布' }).click();
    await page.waitForURL(/done=published/);
    expect(await page.getByTestId('criteria-status').textContent()).toBe('已发布');
    expect(await page.locator('textarea[name=document]').count()).toBe(0);
    expect(await page.getByTestId('document').textContent()).toContain('"htn"');

    // a new draft from version 1, the list's default base
    await page.goto(listUrl());
    expect(await page.locator('[data-testid=versions] tr[data-version="1"]').textContent()).toContain('已发布');
    const newDraft = page.getByTestId('new-draft-form');
    expect(await newDraft.getByLabel('基于').inputValue()).toBe('1');
    await newDraft.getByLabel('名称').fill('满意度加权');
    await newDraft.getByRole('button', { name: '创建草稿' }).click();
    await page.waitForURL(/\/criteria\/2\?/);
    expect(await page.getByLabel('评价标准文档（JSON）').inputValue()).toContain('"htn"');
    await replaceDocument(page, REWEIGHTED);
    await page.getByTestId('editor').getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/done=saved/);

    // the preview: period suggested (last quarter), compared with the latest published version by default
    expect(await page.getByLabel('周期').inputValue()).toBe(PERIOD);
    expect(await page.getByLabel('对比版本').inputValue()).toBe('1');
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await page.waitForURL(/\/criteria\/2\/preview\?lang=zh$/);
    const preview = page.getByTestId('preview');
    expect(await preview.getByTestId('preview-teams').textContent()).toBe('6');
    expect(await preview.getByTestId('preview-void').textContent()).toBe('3');
    const histogram = page.locator('svg[data-testid=preview-histogram]');
    expect(await histogram.getAttribute('role')).toBe('img');
    expect(await histogram.locator('title').first().textContent()).toContain('总分分布');
    expect(await histogram.locator('text').allTextContents()).toEqual(expect.arrayContaining(['总分', '团队数', '90–100']));
    expect(await page.locator('[data-testid=top-teams] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: /变化最大的团队（?.*第 1 版/ }).count()).toBe(1);
    const movers = page.locator('[data-testid=movers] tbody tr');
    expect(await movers.count()).toBeGreaterThan(0);
    expect(await movers.first().textContent()).toMatch(/[+−]\d+\.\d\d/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-preview.png`, fullPage: true });

    // publishing is a confirmation step
    await page.getByTestId('publish-step').locator('summary').click();
    await page.getByRole('button', { name: '确认发布' }).click();
    await page.waitForURL(/done=published/);
    expect(await page.getByTestId('criteria-status').textContent()).toBe('已发布');
    await context.close();
  });

  it('starts a run, watches its progress page refresh itself until complete, and opens a team’s scorecard', async () => {
    const context = await signedIn('evaluator', 'evaluator-zhang');
    const page = await context.newPage();
    await page.goto(listUrl());
    const start = page.getByTestId('start-form');
    expect(await start.getByLabel('周期').inputValue()).toBe(PERIOD);
    expect(await start.getByLabel('已发布的版本').inputValue()).toBe('2');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-criteria-list.png`, fullPage: true });

    // a period of the wrong kind is refused with the API's message, on the page
    await start.getByLabel('周期').fill('2026');
    await start.getByRole('button', { name: '开始评价' }).click();
    await expect(page.getByTestId('start-form').getByRole('alert').textContent()).resolves.toContain('Version 2 is for quarter periods');
    expect(await page.getByTestId('start-form').getByLabel('周期').inputValue()).toBe('2026');

    await page.getByTestId('start-form').getByLabel('周期').fill(PERIOD);
    await page.getByTestId('start-form').getByRole('button', { name: '开始评价' }).click();
    await page.waitForURL(/\/evaluator\/evaluations\/eval-/);
    runUrl = page.url().split('?')[0]!;
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('queued');
    expect(await page.locator('meta[http-equiv=refresh]').getAttribute('content')).toBe('2');
    expect(await page.getByTestId('progress').textContent()).toBe('0 / 6');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-run-progress.png`, fullPage: true });

    releaseRuns();
    await page.locator('[data-testid=run-status][data-status=completed]').waitFor({ timeout: 20_000 });
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    expect(await page.getByTestId('status').textContent()).toBe('已完成');
    expect(await page.getByTestId('summary-void').textContent()).toBe('3');
    expect(await page.locator('svg[data-testid=run-histogram]').count()).toBe(1);
    const rows = page.locator('[data-testid=results] tbody tr');
    expect(await rows.count()).toBe(6);
    const first = district.teams[0]!;
    const row = page.locator(`[data-testid=results] tr[data-team="${first.teamId}"]`);
    // team A with the re-weighted criteria: 30 × 10/10 + 50 × 8/10 + 20 × 1/6 = 73.33
    expect(await row.textContent()).toContain('73.33');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-run-completed.png`, fullPage: true });

    await row.getByRole('link', { name: first.name }).click();
    await page.waitForURL(/\/teams\//);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`评分卡 · ${first.name}`);
    expect(await page.getByTestId('total').textContent()).toBe('73.33');
    const htn = page.locator('[data-testid=indicators] [data-indicator=htn]');
    expect(await htn.locator('td.explanation').textContent()).toMatch(/^高血压随访率.*90/);
    expect(await page.getByTestId('gates').textContent()).toContain('本期已上报');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-scorecard.png`, fullPage: true });

    // a team of the institution that uploaded nothing: its incentive is void, and the gate says why
    const voided = district.teams[3]!;
    await page.goto(`${runUrl}/teams/${voided.teamId}`);
    expect(await page.getByTestId('eligibility').textContent()).toBe('作废');
    expect(await page.getByTestId('gates').textContent()).toContain('本期未上报');
    await context.close();
  });

  it('speaks English with ?lang=en, on a phone too', async () => {
    const context = await signedIn('evaluator', 'evaluator-zhang', { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${listUrl()}?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Evaluation criteria · ${D} 区`);
    expect(await page.getByTestId('start-form').getByRole('button').textContent()).toBe('Start evaluation');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-criteria-list-en-mobile.png`, fullPage: true });

    const team = district.teams[0]!;
    await page.goto(`${runUrl}/teams/${team.teamId}?lang=en`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Scorecard · ${team.name}`);
    expect(await page.locator('[data-testid=indicators] [data-indicator=htn] td.explanation').textContent()).toMatch(/^Hypertension follow-up rate .*90/);
    expect(await page.getByTestId('gates').textContent()).toContain('uploaded for the period');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-scorecard-en-mobile.png`, fullPage: true });

    // the language switch keeps the page
    await page.getByRole('link', { name: '中文' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(page.url()).toContain(`/teams/${team.teamId}?lang=zh`);
    await context.close();
  });

  it('lets finance read without forms, and asks a visitor without a sign-in to sign in', async () => {
    const context = await signedIn('finance', 'finance-li');
    const page = await context.newPage();
    await page.goto(listUrl());
    // the page's own forms: the shell's header holds only the sign-out form
    expect(await page.getByTestId('session').count()).toBe(1);
    expect(await page.locator('main form').count()).toBe(0);
    await page.goto(`${listUrl()}/2`);
    expect(await page.textContent('body')).toContain('财务人员可查看标准');
    expect(await page.locator('main form').count()).toBe(0);
    await context.close();

    const anonymous = await browser.newPage();
    const response = await anonymous.goto(listUrl());
    expect(response?.status()).toBe(401);
    const signIn = anonymous.getByRole('link', { name: '登录' });
    expect(await signIn.getAttribute('href')).toBe(`/login?next=${encodeURIComponent(`/evaluator/districts/${D}/criteria`)}`);
    await anonymous.close();

    // a form posted from another site with the evaluator's cookie is refused (a browser cannot forge Origin, so at the server)
    const crossSite = await stack.app.request(`/evaluator/districts/${D}/criteria`, {
      method: 'POST',
      headers: {
        cookie: `gk_token=${await stack.token('evaluator', { districtId: D })}`,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'name=x&periodType=quarter&basedOn=',
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('<html');
  });
});
