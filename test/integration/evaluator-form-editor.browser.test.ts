/// <reference lib="dom" />
/**
 * The evaluator's whole job through pages only, in Chromium at 1366 px: sign in through /login,
 * change a weight in the form-based criteria editor (the total follows as you type; saving with
 * the total off and a limit the wrong way round is refused with Chinese messages and 1-based rows
 * next to the fields), fix it, see the differences from the published version, preview, publish
 * behind a confirmation, and run the evaluation to completion. axe-core on every page visited.
 * (Not checked here: English on these zh pages — the indicator summary still shows sources as
 * `survey topBoxShare`.)
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from '#shared/data/batch.ts';
import { getCriteria } from '#shared/data/criteria.ts';
import { aggregateItem } from '#shared/data/surveys.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { createCriteriaVersion, publishCriteriaVersion } from '#shared/services/evaluation/criteria-edits.ts';
import { launchChromium, SCREENSHOT_DIR, seriousAxeViolations, serveStack } from '../support/browser.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'page-form';
const PERIOD = '2026Q3';
const EVALUATOR = 'evaluator-wang';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;

const CRITERIA: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'top-box',
      label: { zh: '非常满意占比', en: 'Very satisfied' },
      weight: 50,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'threshold-linear', lower: 10, upper: 60, maxPoints: 10 },
    },
    {
      code: 'mean',
      label: { zh: '满意度得分', en: 'Satisfaction score' },
      weight: 30,
      source: { survey: 'mean100' },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'threshold-linear', lower: 50, upper: 90, maxPoints: 10 },
    },
    {
      code: 'renewal',
      label: { zh: '续约率', en: 'Renewal rate' },
      weight: 20,
      source: { registry: 'renewalRate' },
      higherIsBetter: true,
      method: { kind: 'pass-fail', target: 80, maxPoints: 10 },
    },
  ],
};

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createTestDistrict(stack.db, D, { institutions: 1, teamsPerInstitution: 3 });
  await batchPut(
    stack.db,
    district.teams.map((team, i) => {
      const n = 10 + i;
      return aggregateItem(
        { districtId: D, period: PERIOD, teamId: team.teamId, institutionId: team.institutionId },
        { n, 'q.overall.count': n, 'q.overall.top': 3 + 2 * i, 'q.overall.sum': n * 4 },
      );
    }),
  );
  const v1 = await createCriteriaVersion(stack.deps, D, 'evaluator-zhang', { name: '2026 年季度考核', periodType: 'quarter', document: CRITERIA });
  await publishCriteriaVersion(stack.deps, D, v1.version, 'evaluator-zhang');
  await createCriteriaVersion(stack.deps, D, 'evaluator-zhang', { name: '满意度加权', periodType: 'quarter', document: CRITERIA, basedOnVersion: 1 });
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** axe and a screenshot. */
async function checkPage(page: Page, shot: string): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await seriousAxeViolations(page), shot).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-form-${shot}.png`, fullPage: true });
}

const weight = (page: Page, row: number) => page.getByLabel(`第 ${row} 行 权重`);

describe('the form-based criteria editor', () => {
  it('changes a weight with the total shown, is refused in Chinese next to the fields, previews, publishes after confirming, and runs', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent(`/evaluator/districts/${D}/criteria/2`)}`);
    await page.selectOption('select[name=role]', 'evaluator');
    await page.fill('input[name=districtId]', D);
    await page.fill('input[name=subject]', EVALUATOR);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/criteria\/2$/);
    const totals = page.getByTestId('weight-totals');
    expect(await weight(page, 1).inputValue()).toBe('50');
    expect(await totals.textContent()).toContain('100');
    // only the chosen method's parameters are shown
    expect(await page.getByLabel('第 1 行 上限').isVisible()).toBe(true);
    expect(await page.getByLabel('第 1 行 目标值').isVisible()).toBe(false);
    expect(await page.getByLabel('第 3 行 目标值').isVisible()).toBe(true);
    await checkPage(page, 'draft');

    // one weight up: the total follows as you type; a limit the wrong way round too
    await weight(page, 1).fill('60');
    expect(await totals.locator('[data-total=indicators]').textContent()).toBe('110');
    await page.getByLabel('第 1 行 上限').fill('5');
    await page.getByTestId('form-editor').getByRole('button', { name: '保存草稿' }).click();
    const problems = page.getByTestId('form-problems');
    expect(await problems.textContent()).toContain('指标权重合计为 110，应为 100');
    const upper = page.getByLabel('第 1 行 上限');
    expect(await upper.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await upper.getAttribute('aria-describedby')}`).textContent()).toBe('第 1 行：上限（5）必须大于下限（10）');
    expect(await weight(page, 1).inputValue()).toBe('60');
    expect((await getCriteria(stack.db, D, 2))!.revision).toBe(1);
    await checkPage(page, 'refused');

    // fixed: the total is 100 again; saved; the differences from version 1 listed
    await upper.fill('60');
    await weight(page, 2).fill('20');
    expect(await totals.locator('[data-total=indicators]').textContent()).toBe('100');
    await page.getByTestId('form-editor').getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/done=saved/);
    const saved = (await getCriteria(stack.db, D, 2))!;
    expect(saved.document.indicators.map((i) => [i.code, i.weight])).toEqual([
      ['top-box', 60],
      ['mean', 20],
      ['renewal', 20],
    ]);
    expect(saved.document.indicators[2]!.method).toEqual({ kind: 'pass-fail', target: 80, maxPoints: 10 });
    const diff = page.getByTestId('diff');
    expect(await diff.locator('tr[data-diff=changed]').allTextContents()).toEqual(['非常满意占比权重5060', '满意度得分权重3020']);
    await checkPage(page, 'saved');

    // preview, then publish behind the confirmation
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await page.waitForURL(/\/criteria\/\d+\/preview\?lang=\w+$/);
    expect(await page.getByTestId('preview-teams').textContent()).toBe('3');
    await checkPage(page, 'preview');
    expect(await page.getByRole('button', { name: '确认发布' }).isVisible()).toBe(false);
    await page.getByTestId('publish-step').locator('summary').click();
    await checkPage(page, 'publish-confirm');
    await page.getByRole('button', { name: '确认发布' }).click();
    await page.waitForURL(/done=published/);
    expect(await page.getByTestId('criteria-status').textContent()).toBe('已发布');
    expect((await getCriteria(stack.db, D, 2))!.status).toBe('published');
    await checkPage(page, 'published');

    // run it
    const start = page.getByTestId('start-form');
    expect(await start.getByLabel('已发布的版本').inputValue()).toBe('2');
    await start.getByRole('button', { name: '开始评价' }).click();
    await page.waitForURL(/\/evaluator\/evaluations\/eval-/);
    await page.locator('[data-testid=run-status][data-status=completed]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=results] tbody tr').count()).toBe(3);
    // names, not ids, in the results; searched, sorted by name in reverse
    const results = page.getByTestId('results');
    expect(await results.textContent()).not.toContain(district.institutionIds[0]!);
    expect(await results.textContent()).toContain('测试社区卫生服务中心 1');
    const filter = page.getByTestId('results-filter');
    await filter.getByLabel('排序').selectOption({ label: '团队名称' });
    await filter.getByLabel('倒序').check();
    await filter.getByRole('button', { name: '筛选' }).click();
    expect(await page.locator('[data-testid=results] tbody tr td:nth-child(2)').allTextContents()).toEqual(['测试团队 1-3', '测试团队 1-2', '测试团队 1-1']);
    await page.getByTestId('results-filter').getByLabel('搜索团队或机构名称').fill('1-2');
    await page.getByTestId('results-filter').getByRole('button', { name: '筛选' }).click();
    expect(await page.locator('[data-testid=results] tbody tr').count()).toBe(1);
    expect(await page.getByTestId('results-count').textContent()).toBe('共 1 个团队 · 第 1 / 1 页');
    await checkPage(page, 'run');
    await context.close();
  });
});
