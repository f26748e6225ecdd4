/// <reference lib="dom" />
/**
 * One period from open to settled through pages only, in a real headless Chromium (issue 14):
 * clerks upload their metrics and see the data deadline; the evaluator sees the completeness,
 * runs the evaluation after the deadline and publishes; the public results page (no sign-in, zh
 * and en); a clerk appeals an indicator from the scorecard and attaches an image; the evaluator
 * accepts it (a correction run, the changed results listed before and after); the clock passes
 * the review window and the daily job makes the period final; one finance officer creates a
 * settlement (a background job with its progress page) and a second approves it.
 * Every page: a screenshot at 1366 px, axe, no internal ids on the period pages, no English on
 * the Chinese ones. The clock moves as the lifecycle tests move it (the stack's `now`).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from '#shared/data/batch.ts';
import { contractImportItems } from '#shared/data/contracts.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { finalizeDuePeriods } from '#shared/services/periods.ts';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, serveStack, seriousAxeViolations } from '../support/browser.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { HOME_VISITS_CRITERIA } from '../support/published-period.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'walk';
const PERIOD = '2026Q3';
const PEOPLE = { clerks: ['王联络员', '李联络员'], evaluator: '张评价员', finance: ['赵会计', '钱会计'] };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);

let now = new Date('2026-10-05T09:00:00+08:00');
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;
let shot = 0;

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
  // residents under contract (the settlement shares the pool by active contracts)
  await batchPut(
    stack.db,
    district.teams.flatMap((team, t) =>
      Array.from({ length: 2 + t }, (_, i) =>
        contractImportItems({
          contractId: `walk-${t}-${i}`,
          teamId: team.teamId,
          institutionId: team.institutionId,
          districtId: D,
          residentRef: `walk-ref-${t}-${i}`,
          identityMasked: '990108********001X',
          insured: true,
          keyPopulations: [],
          servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
          startDate: '2026-01-01',
          endDate: '2027-12-31',
          status: 'active',
          renewals: 0,
          signedAt: '2026-01-01T00:00:00.000Z',
        }),
      ).flat(),
    ),
  );
  // the criteria are the evaluator's of an earlier day (their pages have their own test)
  const evaluator = await stack.token('evaluator', { districtId: D, sub: PEOPLE.evaluator });
  const created = await stack.request('POST', `/districts/${D}/criteria`, {
    token: evaluator,
    body: { name: '上门服务考核', periodType: 'quarter', document: HOME_VISITS_CRITERIA },
  });
  expect(created.status).toBe(201);
  expect((await stack.request('POST', `/districts/${D}/criteria/1/publish`, { token: evaluator, body: {} })).status).toBe(200);
  server = await serveStack(stack);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn(role: 'clerk' | 'evaluator' | 'finance', sub: string, institutionId?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const token = await stack.token(role, { districtId: D, sub, ...(institutionId ? { institutionId } : {}) });
  await context.addCookies([{ name: 'gk_token', value: token, url: server.baseUrl }]);
  return context;
}

/** What every page visited must satisfy; `ids` false for pages that show a run's id on purpose (others' pages). */
async function checkPage(page: Page, name: string, options: { lang?: 'zh' | 'en'; ids?: boolean; allowed?: string[] } = {}): Promise<void> {
  shot += 1;
  await page.screenshot({ path: `${SCREENSHOT_DIR}/period-walk-${String(shot).padStart(2, '0')}-${name}.png`, fullPage: true });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  if (options.ids !== false) {
    const ids = [...district.institutionIds, ...district.teams.map((t) => t.teamId)];
    expect(await idsShown(page, ids, [`${D} 区`]), `ids on ${name}`).toEqual([]);
  }
  if ((options.lang ?? 'zh') === 'zh') {
    expect(await page.getAttribute('html', 'lang'), name).toBe('zh-CN');
    // the fixture's district is named after its id ("walk 区")
    // formats and units, the attached file's own name (.png); a run's fingerprint (hex); on the pages with ids (ids: false) the ids
    const english = (await englishOnChinesePage(page, [D, 'PDF', 'PNG', 'JPEG', 'MB', 'png', ...(options.allowed ?? [])])).filter(
      (word) => !/^[0-9a-f]{8,}$/.test(word) && (options.ids !== false || !(/^(stl|eval)-[0-9a-z]+$/.test(word) || word.startsWith(`${D}-inst-`))),
    );
    expect(english, `English on ${name}`).toEqual([]);
  }
}

/** The institution's metrics as a filled-in copy of its CSV template. */
async function filledTemplate(clerkToken: string, base: number): Promise<Buffer> {
  const template = await (await stack.request('GET', `/clerk/metrics/template.csv?period=${PERIOD}`, { token: clerkToken })).text();
  const [header, ...rows] = template
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  const filled = rows.map((row, i) =>
    row
      .split(',')
      .map((cell, j) => (j < 2 ? cell : String(base + i)))
      .join(','),
  );
  return Buffer.from(`\uFEFF${[header, ...filled].join('\r\n')}\r\n`, 'utf8');
}

const periodUrl = () => `${server.baseUrl}/evaluator/districts/${D}/periods/${PERIOD}`;

describe('a period from open to settled, through pages', () => {
  let appealTeam: string;

  it('takes each institution’s upload before the deadline, which the clerk sees, and shows the evaluator what is in', async () => {
    for (const [index, institutionId] of district.institutionIds.entries()) {
      const context = await signedIn('clerk', PEOPLE.clerks[index]!, institutionId);
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/clerk`);
      const q3 = page.getByTestId(`quarter-${PERIOD}`);
      await expect(q3.innerText()).resolves.toContain('尚未上传');
      await expect(q3.getByTestId('deadline').innerText()).resolves.toBe('数据截止：2026-10-11 00:00（北京时间）');
      if (index === 0) await checkPage(page, 'clerk-home-before-upload');
      await page.goto(`${server.baseUrl}/clerk/metrics?period=${PERIOD}`);
      const token = await stack.token('clerk', { districtId: D, institutionId, sub: PEOPLE.clerks[index] });
      await page.setInputFiles('input[name=file]', { name: '服务数据.csv', mimeType: 'text/csv', buffer: await filledTemplate(token, 3 + index * 2) });
      await page.getByTestId('upload-form').getByRole('button', { name: '上传' }).click();
      await page.waitForURL(/stored=1/);
      if (index === 0) await checkPage(page, 'clerk-metrics-stored');
      await context.close();
    }
    const context = await signedIn('evaluator', PEOPLE.evaluator);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/evaluator`);
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '考核周期与申诉' }).click();
    await page.waitForURL(/\/periods$/);
    await expect(page.locator(`tr[data-period="${PERIOD}"]`).innerText()).resolves.toContain('数据上报中');
    await checkPage(page, 'evaluator-periods');
    await page.getByRole('link', { name: '2026年第三季度' }).click();
    await page.waitForURL(new RegExp(`/periods/${PERIOD}\\?`));
    expect(await page.getByTestId('period-state').innerText()).toBe('数据上报中');
    for (const institutionId of district.institutionIds) {
      await expect(page.getByTestId(`completeness-${institutionId}`).innerText()).resolves.toContain('第 1 版');
    }
    await checkPage(page, 'evaluator-period-open');
    await context.close();
  });

  it('runs the evaluation after the deadline and publishes it; the public page shows it without sign-in in zh and en', async () => {
    now = new Date('2026-10-12T09:00:00+08:00');
    const context = await signedIn('evaluator', PEOPLE.evaluator);
    const page = await context.newPage();
    await page.goto(periodUrl());
    expect(await page.getByTestId('period-state').innerText()).toBe('上报已截止');
    await page.goto(`${server.baseUrl}/evaluator/districts/${D}/criteria`);
    const start = page.getByTestId('start-form');
    await start.getByLabel('周期').fill(PERIOD);
    await start.getByRole('button', { name: '开始评价' }).click();
    await page.waitForURL(/\/evaluator\/evaluations\//);
    // the run page reloads itself until the run is done
    await page.waitForSelector('[data-testid=run-status][data-status=completed]', { timeout: 60_000 });
    await checkPage(page, 'evaluator-run', { ids: false });
    await expect.poll(async () => (await getPeriodStatus(stack.db, D, PERIOD)).state, { timeout: 10_000 }).toBe('evaluated');

    await page.goto(periodUrl());
    expect(await page.getByTestId('period-state').innerText()).toBe('已考核');
    expect(await page.getByTestId('official-run').innerText()).toContain(`第 1 版标准 · ${PEOPLE.evaluator}`);
    await page.getByLabel(/确认公示/).check();
    await page.getByRole('button', { name: '公示结果' }).click();
    await page.waitForURL(/\/periods\/2026Q3\?/);
    expect(await page.getByTestId('period-state').innerText()).toBe('公示中');
    await checkPage(page, 'evaluator-period-published');
    await context.close();

    const anonymous = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const publicPage = await anonymous.newPage();
    const response = await publicPage.goto(`${server.baseUrl}/public/districts/${D}/results/${PERIOD}`);
    expect(response?.status()).toBe(200);
    await expect(publicPage.getByTestId('public-state').innerText()).resolves.toContain('公示中');
    for (const team of district.teams) await expect(publicPage.locator('body').innerText()).resolves.toContain(team.name);
    await checkPage(publicPage, 'public-results');
    await publicPage.goto(`${server.baseUrl}/public/districts/${D}/results/${PERIOD}?lang=en`);
    await expect(publicPage.getByTestId('public-state').innerText()).resolves.toContain('Under review');
    await checkPage(publicPage, 'public-results-en', { lang: 'en' });
    await anonymous.close();
  });

  it('takes a clerk’s appeal from the scorecard, with an image attached', async () => {
    const institutionId = district.institutionIds[0]!;
    const team = district.teams.find((t) => t.institutionId === institutionId)!;
    appealTeam = team.name;
    const context = await signedIn('clerk', PEOPLE.clerks[0]!, institutionId);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/clerk`);
    await expect(page.getByTestId('appeals-summary').innerText()).resolves.toContain('公示期内可以申诉');
    await checkPage(page, 'clerk-home-review');
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '评分与满意度' }).click();
    await page.getByRole('link', { name: new RegExp(`评分明细.*${team.name}`) }).click();
    await page.waitForURL(/\/clerk\/scorecards\//);
    await expect(page.getByTestId('trend').innerText()).resolves.toContain('无结果');
    await checkPage(page, 'clerk-scorecard');
    await page.getByRole('link', { name: /对此指标申诉/ }).click();
    await page.waitForURL(/\/clerk\/appeals\?/);
    const form = page.getByTestId('appeal-form');
    expect(await form.getByLabel('团队').inputValue()).toBe(team.teamId);
    await form.getByLabel('上报指标').selectOption('home-visits-80plus');
    await form.getByLabel('申诉值').fill('12');
    await form.getByLabel('申诉理由').fill('上报时漏记了 6 次上门服务，附签到照片');
    await checkPage(page, 'clerk-appeal-form');
    await form.getByRole('button', { name: '提交申诉' }).click();
    await page.waitForURL(/done=filed/);
    const card = page.locator('section.appeal').first();
    await expect(card.getByTestId('appeal-status').innerText()).resolves.toBe('待处理');
    await card.locator('input[type=file]').setInputFiles({ name: '上门签到.png', mimeType: 'image/png', buffer: Buffer.from(PNG) });
    await card.getByRole('button', { name: '添加附件' }).click();
    await page.waitForURL(/done=attached/);
    await expect(page.locator('section.appeal').first().getByRole('link', { name: '上门签到.png' }).count()).resolves.toBe(1);
    await checkPage(page, 'clerk-appeal-filed');
    await context.close();
  });

  it('is accepted by the evaluator, whose correction run lists the changed results before and after', async () => {
    const context = await signedIn('evaluator', PEOPLE.evaluator);
    const page = await context.newPage();
    await page.goto(periodUrl());
    const appeal = page.locator('section.appeal').first();
    await expect(appeal.innerText()).resolves.toContain(appealTeam);
    // the evaluator opens the attachment: the same bytes
    const attachment = await appeal.getByRole('link', { name: '上门签到.png' }).getAttribute('href');
    const download = await page.request.get(`${server.baseUrl}${attachment}`);
    expect(download.headers()['content-type']).toBe('image/png');
    expect(new Uint8Array(await download.body())).toEqual(PNG);
    await appeal.getByLabel('处理意见').fill('核对签到记录属实');
    await checkPage(page, 'evaluator-appeal-open');
    await appeal.getByRole('button', { name: '采纳' }).click();
    await page.waitForURL(/\/periods\/2026Q3\?/);
    // the correction run completes in the background: reload until its changes are listed
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('[data-testid=appeal-changes]').count();
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(1);
    const changes = await page.getByTestId('appeal-changes').innerText();
    expect(changes).toContain(`${appealTeam}：总分`);
    expect(changes).toMatch(/→/);
    expect(await page.locator('section.appeal').first().getByTestId('appeal-status').innerText()).toBe('已采纳');
    await checkPage(page, 'evaluator-appeal-accepted');
    await context.close();

    const clerk = await signedIn('clerk', PEOPLE.clerks[0]!, district.institutionIds[0]);
    const clerkPage = await clerk.newPage();
    await clerkPage.goto(`${server.baseUrl}/clerk/appeals?period=${PERIOD}`);
    await expect(clerkPage.getByTestId('appeal-decision').innerText()).resolves.toContain('核对签到记录属实');
    await checkPage(clerkPage, 'clerk-appeal-decided');
    await clerk.close();
  });

  it('becomes final after the review window by the daily job, and is settled by two finance officers', async () => {
    now = new Date('2026-10-20T02:00:00+08:00');
    expect((await finalizeDuePeriods(stack.deps)).filter((o) => o.districtId === D)).toEqual([
      { districtId: D, period: PERIOD, result: 'final', openAppeals: 0 },
    ]);
    const evaluator = await signedIn('evaluator', PEOPLE.evaluator);
    const periodPage = await evaluator.newPage();
    await periodPage.goto(periodUrl());
    expect(await periodPage.getByTestId('period-state').innerText()).toBe('结果已确定');
    await checkPage(periodPage, 'evaluator-period-final');
    await evaluator.close();

    const official = (await getPeriodStatus(stack.db, D, PERIOD)).officialRunId!;
    const first = await signedIn('finance', PEOPLE.finance[0]!);
    const page = await first.newPage();
    await page.goto(`${server.baseUrl}/finance/districts/${D}/settlements/new`);
    await page.locator('select[name=evaluationId]').selectOption(official);
    await page.getByLabel('奖励池（元）').fill('20,000');
    await checkPage(page, 'finance-new');
    await page.getByRole('button', { name: '创建草稿' }).click();
    // a background job with its progress page, which moves on to the settlement when done
    await page.waitForURL(/\/finance\/settlements\/stl-/, { timeout: 60_000 });
    const settlementUrl = page.url().split('?')[0]!;
    expect(await page.getByTestId('status').textContent()).toBe('草稿');
    await checkPage(page, 'finance-draft');
    await first.close();

    const second = await signedIn('finance', PEOPLE.finance[1]!);
    const approver = await second.newPage();
    await approver.goto(settlementUrl);
    await approver.getByTestId('approve-step').locator('summary').click();
    await approver.getByLabel(/审批意见/).fill('与最终考核结果核对无误');
    await approver.getByRole('button', { name: '确认批准' }).click();
    await approver.waitForURL(/done=approved/);
    expect(await approver.getByTestId('status').textContent()).toBe('已批准');
    await checkPage(approver, 'finance-approved');
    await second.close();

    const last = await signedIn('evaluator', PEOPLE.evaluator);
    const settled = await last.newPage();
    await settled.goto(periodUrl());
    expect(await settled.getByTestId('period-state').innerText()).toBe('已结算');
    const history = await settled.locator('ol').last().innerText();
    for (const step of ['数据上报中 → 已考核', '已考核 → 公示中', '公示中 → 公示中', '公示中 → 结果已确定', '结果已确定 → 已结算'])
      expect(history).toContain(step);
    await checkPage(settled, 'evaluator-period-settled');
    await last.close();
  });
});
