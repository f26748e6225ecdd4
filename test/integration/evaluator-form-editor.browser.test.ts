/// <reference lib="dom" />
/**
 * The evaluator's whole job through pages only, in Chromium at 1366 px: sign in through /login,
 * land on the evaluator's home and open the draft from there, change a weight in the form-based
 * criteria editor (the total follows as you type; saving with the total off and a limit the wrong
 * way round is refused with Chinese messages and 1-based rows next to the fields), fix it, add a
 * gate in its row (a cap out of range and an unknown source refused next to their fields with the
 * gate's row number), see the differences from the published version, preview, publish behind a
 * confirmation, run the evaluation to completion and export the results as filtered to Excel.
 * On every page: axe-core, no English on the Chinese page (source codes such as
 * `survey:topBoxShare` are what the evaluator types, so they are allowed), no internal id shown.
 */
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from '#shared/data/batch.ts';
import { getCriteria } from '#shared/data/criteria.ts';
import { aggregateItem } from '#shared/data/surveys.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { createCriteriaVersion, publishCriteriaVersion } from '#shared/services/evaluation/criteria-edits.ts';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, seriousAxeViolations, serveStack } from '../support/browser.ts';
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

/** The codes an evaluator types into the editor (sources, metric codes, indicator codes): not English prose. */
const TYPED_CODES = ['CMS', 'metric', 'ratio', 'registry', 'renewalRate', 'survey', 'topBoxShare', 'mean100', 'top-box', 'mean', 'renewal', 'lower-upper'];

/** axe, no English, no ids, and a screenshot. */
async function checkPage(page: Page, shot: string): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await seriousAxeViolations(page), shot).toEqual([]);
  expect(await englishOnChinesePage(page, [EVALUATOR, 'evaluator-zhang', D, ...TYPED_CODES]), `English on ${shot}`).toEqual([]);
  const ids = [...district.institutionIds, ...district.teams.map((t) => t.teamId)];
  expect(await idsShown(page, ids, [`${D} 区`]), `ids on ${shot}`).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-form-${shot}.png`, fullPage: true });
}

const weight = (page: Page, row: number) => page.getByLabel(`第 ${row} 行 权重`);

describe('the form-based criteria editor', () => {
  it('changes a weight with the total shown, is refused in Chinese next to the fields, previews, publishes after confirming, and runs', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.selectOption('select[name=role]', 'evaluator');
    await page.fill('input[name=districtId]', D);
    await page.fill('input[name=subject]', EVALUATOR);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/evaluator$/);
    await checkPage(page, 'home');
    await page.getByRole('link', { name: '满意度加权' }).click();
    await page.waitForURL(/\/criteria\/2\?/);
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

    // a gate in its row: the cap out of range is refused next to it, then an unknown source, with the gate's row number
    const gateField = (what: string) => page.getByLabel(`门槛第 1 行 ${what}`);
    expect(await gateField('数据来源').isVisible()).toBe(false);
    await gateField('条件').selectOption({ label: '指标低于下限' });
    expect(await gateField('数据来源').isVisible()).toBe(true);
    await gateField('名称（中文）').fill('满意度门槛');
    await gateField('数据来源').fill('metric:no-such-metric');
    await gateField('下限').fill('40');
    await gateField('最小样本量').fill('5');
    await gateField('触发后').selectOption({ label: '激励封顶' });
    await gateField('封顶比例（%）').fill('150');
    await page.getByTestId('form-editor').getByRole('button', { name: '保存草稿' }).click();
    const cap = gateField('封顶比例（%）');
    expect(await page.locator(`#${await cap.getAttribute('aria-describedby')}`).textContent()).toBe('门槛第 1 行：请输入 0 至 100 的整数');
    await checkPage(page, 'gate-refused');
    await gateField('封顶比例（%）').fill('50');
    await page.getByTestId('form-editor').getByRole('button', { name: '保存草稿' }).click();
    const source = gateField('数据来源');
    expect(await page.locator(`#${await source.getAttribute('aria-describedby')}`).textContent()).toBe('门槛第 1 行：未知的服务数据指标编码“no-such-metric”');
    expect((await getCriteria(stack.db, D, 2))!.revision).toBe(2);
    await gateField('数据来源').fill('survey:topBoxShare');
    await page.getByTestId('form-editor').getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/done=saved/);
    expect((await getCriteria(stack.db, D, 2))!.document.gates).toEqual([
      { kind: 'floor', label: { zh: '满意度门槛', en: '满意度门槛' }, source: { survey: 'topBoxShare' }, min: 40, minN: 5, effect: { capPercent: 50 } },
    ]);
    expect(await page.getByTestId('diff').locator('tr[data-diff=added]').allTextContents()).toEqual([
      '门槛条件：满意度门槛：survey:topBoxShare 低于 40（最小样本 5） → 激励封顶 50%新增',
    ]);
    expect(await gateField('封顶比例（%）').inputValue()).toBe('50');
    await checkPage(page, 'gate-saved');

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
    expect(await page.getByTestId('results-count').textContent()).toContain('共 1 个团队 · 第 1 / 1 页');
    await checkPage(page, 'run');

    // the results as filtered, to Excel: team 1-1's top-box share (30 %) is under the gate's floor of 40: capped at 50 %
    await page.getByTestId('results-filter').getByLabel('搜索团队或机构名称').fill('');
    await page.getByTestId('results-filter').getByRole('button', { name: '筛选' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('results-export').click()]);
    expect(download.suggestedFilename()).toBe('考核结果-2026年第三季度.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('考核结果')!;
    const rows = [2, 3, 4].map((r) => (sheet.getRow(r).values as unknown[]).slice(1));
    expect(rows.map((r) => r[1])).toEqual(['测试团队 1-3', '测试团队 1-2', '测试团队 1-1']);
    expect(rows[2]!.slice(5)).toEqual(['限额', 50]);
    expect(String(sheet.getRow(8).getCell(2).value)).toBe('无（全部团队）；排序：团队名称（倒序）');
    await context.close();
  });
});
