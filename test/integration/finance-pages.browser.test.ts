/// <reference lib="dom" />
/**
 * The finance pages in a real headless Chromium: each officer signs in through /login, lands on the
 * finance home page and goes on by links; preview and create a settlement, see its lines, then
 * approve it as a second officer; the creator gets no approve button, and the approval closes the
 * period. axe-core on every page; on the home and list pages no English and no internal id.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { batchPut } from '#shared/data/batch.ts';
import { contractImportItems } from '#shared/data/contracts.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, seriousAxeViolations, serveStack } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';

const D = 'page-fin';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createTestDistrict(stack.db, D, { institutions: 3, teamsPerInstitution: 2 });
  await batchPut(
    stack.db,
    district.teams.flatMap((team, t) =>
      Array.from({ length: 3 + t }, (_, i) =>
        contractImportItems({
          contractId: `pc-${t}-${i}`,
          teamId: team.teamId,
          institutionId: team.institutionId,
          districtId: D,
          residentRef: `pref-${t}-${i}`,
          identityMasked: '990108********001X',
          insured: i !== 1,
          keyPopulations: i === 0 ? ['hypertension'] : [],
          servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
          startDate: '2026-02-01',
          endDate: '2027-01-31',
          status: 'active',
          renewals: 0,
          signedAt: '2026-02-01T00:00:00.000Z',
        }),
      ).flat(),
    ),
  );
  await createRun(stack.db, {
    evaluationId: 'eval-page',
    districtId: D,
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: district.teams.length, total: district.teams.length },
    startedBy: 'evaluator',
    createdAt: '2026-10-05T00:00:00.000Z',
    fingerprint: 'e'.repeat(64),
  });
  await finalizePeriod(stack.db, D, '2026Q3', 'eval-page');
  await putScores(
    stack.db,
    district.teams.map((team, i) => ({
      evaluationId: 'eval-page',
      teamId: team.teamId,
      institutionId: team.institutionId,
      score: {
        teamId: team.teamId,
        status: 'scored',
        total: ['92.00', '85.50', '78.00', '66.25', '59.00', '88.00'][i]!,
        indicators: [],
        domains: [],
        gates: [],
        eligibility: 'eligible',
        capPercent: 100,
      } as TeamScore,
      rank: i + 1,
      percentile: null,
    })),
  );
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page, name: string): Promise<void> {
  await page.selectOption('select[name=role]', 'finance');
  await page.fill('input[name=districtId]', D);
  await page.fill('input[name=subject]', name);
  await page.click('button[type=submit]');
}

/** Signs in through /login (where `/` sends a visitor) and lands on the finance home page: axe, no English, no ids. */
async function signInAtHome(page: Page, name: string): Promise<void> {
  await page.goto(`${server.baseUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await signIn(page, name);
  await page.waitForURL((url) => url.pathname === '/finance');
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(await englishOnChinesePage(page, [name, D, 'finance-li'])).toEqual([]);
  expect(await idsShown(page, [...district.institutionIds, ...district.teams.map((t) => t.teamId), 'eval-page'], [`${D} 区`])).toEqual([]);
}

/** No English and no internal id (institution, team, evaluation, settlement) on a Chinese page; the people's sign-in names and the district's are allowed. */
async function expectNamesInChinese(page: Page, name: string, others: string[] = []): Promise<void> {
  // 'evaluator': the sign-in name of the person who started the fixture's run
  expect(await englishOnChinesePage(page, [name, ...others, 'evaluator', D])).toEqual([]);
  const ids = [...district.institutionIds, ...district.teams.map((t) => t.teamId), 'eval-page', 'stl-'];
  expect(await idsShown(page, ids, [`${D} 区`])).toEqual([]);
}

describe('finance pages', () => {
  let settlementUrl: string;

  it('signs in, previews, and creates a draft that shows its lines; the creator cannot approve it', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    // without a sign-in a finance page asks for one
    const response = await page.goto(`${server.baseUrl}/finance/districts/${D}/settlements/new`);
    expect(response?.status()).toBe(401);
    await signInAtHome(page, 'finance-li');
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '结算' }).click();
    await page.waitForURL((url) => url.pathname === `/finance/districts/${D}/settlements`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await expectNamesInChinese(page, 'finance-li');
    await page.getByRole('link', { name: '新建结算' }).click();
    await page.waitForURL(/\/settlements\/new/);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.getByTestId('session').textContent()).toContain('finance-li');
    // only the chosen method's fields: score-weighted has no value per point and no tiers
    const perPoint = page.locator('input[name=perPoint]');
    expect(await perPoint.isVisible()).toBe(false);
    expect(await page.locator('textarea[name=tiers]').isVisible()).toBe(false);
    await page.selectOption('select[name=method]', 'value-per-point');
    expect(await perPoint.isVisible()).toBe(true);
    await page.selectOption('select[name=method]', 'score-weighted');
    expect(await perPoint.isVisible()).toBe(false);

    await page.getByLabel('奖励池（元）').fill('30,000');
    await page.getByLabel('最低分（可选）').fill('60');
    await page.getByRole('button', { name: '预览' }).click();
    const preview = page.getByTestId('preview');
    await expect(preview.textContent()).resolves.toContain('预览（未保存）');
    expect(await page.getByTestId('preview-paid').textContent()).toBe('¥30,000.00');
    expect(await page.locator('svg[role=img]').count()).toBe(2);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-preview.png`, fullPage: true });
    await expectNamesInChinese(page, 'finance-li');

    await page.getByRole('button', { name: '创建草稿' }).click();
    await page.waitForURL(/\/finance\/settlements\/stl-/);
    settlementUrl = page.url().split('?')[0]!;
    expect(await page.getByTestId('status').textContent()).toBe('草稿');
    expect(await page.getByRole('status').textContent()).toContain('草稿已创建');
    expect(await page.locator('[data-testid=team-lines] tr[data-team]').count()).toBe(district.teams.length);
    expect(await page.textContent('[data-testid=team-lines]')).toContain('低于最低分 60');
    expect(await page.getByTestId('paid').textContent()).toBe('¥30,000.00');
    expect(await page.locator('[data-testid=subsidy-statement] tbody tr[data-institution]').count()).toBe(3);
    expect(await page.getByRole('button', { name: /批准/ }).count()).toBe(0);
    expect(await page.textContent('body')).toContain('四眼原则');
    await page.locator('details summary').first().click();
    expect(await page.textContent('details')).toContain('全科医生');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await expectNamesInChinese(page, 'finance-li');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-settlement-draft.png`, fullPage: true });
    await context.close();
  });

  it('is approved by a second officer, which closes the period', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await signInAtHome(page, 'finance-wang');
    // the draft waiting for approval, on the home page, named by its period
    await page.getByTestId('drafts').getByRole('link', { name: '2026年第三季度' }).click();
    await page.waitForURL((url) => url.href.split('?')[0] === settlementUrl);
    expect(await page.getByTestId('status').textContent()).toBe('草稿');
    // a confirmation step: open it, give the comment, confirm
    await page.getByTestId('approve-step').locator('summary').click();
    await page.getByLabel(/审批意见/).fill('与考核结果核对无误');
    await page.getByRole('button', { name: '确认批准' }).click();
    await page.waitForURL(/done=approved/);
    expect(await page.getByTestId('status').textContent()).toBe('已批准');
    expect(await page.getByTestId('approved-by').textContent()).toContain('finance-wang');
    expect(await page.textContent('[data-testid=audit]')).toContain('批准');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await expectNamesInChinese(page, 'finance-wang', ['finance-li']);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-settlement-approved.png`, fullPage: true });
    // the approved settlement's workbook, downloaded from the page
    const [workbook] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx-zh').click()]);
    expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = await readFile((await workbook.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    await page.goto(`${settlementUrl}?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByTestId('status').textContent()).toBe('Approved');
    expect(await page.textContent('body')).toContain('never changes');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-settlement-approved-en.png`, fullPage: true });
    expect((await getPeriodStatus(stack.db, D, '2026Q3')).status).toBe('closed');
    await context.close();
  });

  it('refuses a form posted from another site even with the sign-in cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, 'finance-zhao');
    // from the page itself (same origin): past the CSRF guard; the settlement is approved, so closing works
    const status = await page.evaluate(async (url) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'lang=zh' });
      return response.status;
    }, `${settlementUrl}/close`);
    expect(status).toBe(200);
    // a browser never lets a page forge Origin, so the cross-site form is simulated at the server
    const crossSite = await stack.app.request(`${new URL(settlementUrl).pathname}/approve`, {
      method: 'POST',
      headers: {
        cookie: `gk_token=${await stack.token('finance', { districtId: D, sub: 'finance-zhao' })}`,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'lang=zh',
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('<html');
    await context.close();
  });
});
