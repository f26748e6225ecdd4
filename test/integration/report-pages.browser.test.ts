/// <reference lib="dom" />
/**
 * The reports on the finance pages in a real headless Chromium: the settlement page offers the
 * workbook and the CSVs in Chinese and English, they download under their Chinese (草稿) names,
 * a report prepared in the background links its file, and a job's page refreshes itself without
 * JavaScript (meta refresh) from its progress to the download link.
 */
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { batchPut } from '#shared/data/batch.ts';
import { contractImportItems } from '#shared/data/contracts.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { createReportJob, markReportJobDone, updateReportJobProgress } from '#shared/data/report-jobs.ts';
import { launchChromium, SCREENSHOT_DIR, serveStack } from '../support/browser.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const D = 'page-rpt';
const NOW = new Date('2026-11-22T08:00:00Z');
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;
let settlementId: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
  await batchPut(
    stack.db,
    district.teams.flatMap((team, t) =>
      Array.from({ length: 2 + t }, (_, i) =>
        contractImportItems({
          contractId: `rc-${t}-${i}`,
          teamId: team.teamId,
          institutionId: team.institutionId,
          districtId: D,
          residentRef: `rref-${t}-${i}`,
          identityMasked: '990108********001X',
          insured: true,
          keyPopulations: [],
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
    evaluationId: 'eval-rpt-page',
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
  await finalizePeriod(stack.db, D, '2026Q3', 'eval-rpt-page');
  await putScores(
    stack.db,
    district.teams.map((team, i) => ({
      evaluationId: 'eval-rpt-page',
      teamId: team.teamId,
      institutionId: team.institutionId,
      score: {
        teamId: team.teamId,
        status: 'scored',
        total: ['92.00', '85.50', '78.00', '66.25'][i]!,
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
  const response = await settlementCall(stack, 'POST', `/districts/${D}/settlements`, {
    token: await stack.token('finance', { districtId: D, sub: 'finance-li' }),
    body: { evaluationId: 'eval-rpt-page', poolFen: 2_000_001, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
  });
  expect(response.status).toBe(201);
  settlementId = ((await response.json()) as { settlementId: string }).settlementId;
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page, next: string): Promise<void> {
  await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.selectOption('select[name=role]', 'finance');
  await page.fill('input[name=districtId]', D);
  await page.fill('input[name=subject]', 'finance-li');
  await page.click('button[type=submit]');
  await page.waitForURL(`${server.baseUrl}${next}`);
}

describe('reports on the finance pages', () => {
  it('offers the workbook and the CSVs in both languages, downloading under their draft names', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, `/finance/settlements/${settlementId}`);
    const section = page.getByTestId('reports');
    await expect(section.locator('h2').textContent()).resolves.toBe('报表下载');
    expect(await section.textContent()).toContain('草稿');
    const base = `/finance/settlements/${settlementId}`;
    expect(await page.getByTestId('report-xlsx-zh').getAttribute('href')).toBe(`${base}/report.xlsx?lang=zh`);
    expect(await page.getByTestId('report-xlsx-en').getAttribute('href')).toBe(`${base}/report.xlsx?lang=en`);
    for (const sheet of ['teams', 'members', 'institutions', 'fees']) {
      for (const lang of ['zh', 'en'])
        expect(await page.getByTestId(`report-csv-${sheet}-${lang}`).getAttribute('href')).toBe(`${base}/report.csv?sheet=${sheet}&lang=${lang}`);
    }
    await section.screenshot({ path: `${SCREENSHOT_DIR}/report-section.png` });

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx-zh').click()]);
    expect(xlsx.suggestedFilename()).toBe(`家庭医生结算报表-${settlementId}-草稿.xlsx`);
    const workbook = new ExcelJS.Workbook();
    const file = await readFile((await xlsx.path())!);
    await workbook.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '团队激励与补助', '成员分配', '机构补助结算', '收费说明']);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv-members-en').click()]);
    expect(csv.suggestedFilename()).toBe(`settlement-report-${settlementId}-members-DRAFT.csv`);
    const bytes = await readFile((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('Member,Member ID,Role');
    await context.close();
  });

  it('prepares a report in the background and links it from the job page', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, `/finance/settlements/${settlementId}`);
    const form = page.getByTestId('report-job-form');
    await form.locator('select[name=report]').selectOption('institutions');
    await form.locator('select[name=lang]').selectOption('zh');
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/\/finance\/report-jobs\/rpt-[0-9a-z]+\?lang=zh$/);
    // the page refreshes itself until the job is done (here it is quick)
    await page.getByTestId('job-download').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('job-status').textContent()).toBe('已完成');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-download').click()]);
    expect(download.suggestedFilename()).toBe(`家庭医生结算报表-${settlementId}-机构补助结算-草稿.csv`);
    expect((await readFile((await download.path())!)).toString('utf8')).toContain('测试社区卫生服务中心 1');
    await context.close();
  });

  it('shows a running job its progress and refreshes itself, without JavaScript, until the link is there', async () => {
    const at = NOW.toISOString();
    await createReportJob(stack.db, {
      jobId: 'rpt-browser-slow',
      settlementId,
      districtId: D,
      format: 'xlsx',
      sheet: null,
      lang: 'zh',
      status: 'running',
      progress: { rows: 0, total: 50_000 },
      fileName: `家庭医生结算报表-${settlementId}-草稿.xlsx`,
      asciiFileName: `settlement-report-${settlementId}-DRAFT.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      storageKey: `reports/${D}/${settlementId}/rpt-browser-slow.xlsx`,
      bytes: null,
      error: null,
      createdBy: 'finance-li',
      createdAt: at,
      updatedAt: at,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
    });
    await updateReportJobProgress(stack.db, 'rpt-browser-slow', 12_500, at);
    const context = await browser.newContext({ viewport: { width: 900, height: 700 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent('/finance/report-jobs/rpt-browser-slow')}`);
    await page.selectOption('select[name=role]', 'finance');
    await page.fill('input[name=districtId]', D);
    await page.fill('input[name=subject]', 'finance-li');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/finance\/report-jobs\/rpt-browser-slow/);
    expect(await page.getByTestId('job-status').textContent()).toBe('正在生成');
    expect(await page.getByTestId('job-progress').textContent()).toContain('已写入 12,500 / 50,000 行 (25%)');
    expect(await page.locator('meta[http-equiv=refresh]').getAttribute('content')).toBe('2');
    expect(await page.getByTestId('job-download').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/report-job-running.png`, fullPage: true });

    // the job finishes; the page, refreshing itself, shows the link
    await markReportJobDone(stack.db, 'rpt-browser-slow', { rows: 50_000, bytes: 2_048_000 }, at);
    await page.getByTestId('job-download').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('job-status').textContent()).toBe('已完成');
    expect(await page.getByTestId('job-download').getAttribute('href')).toBe('/finance/report-jobs/rpt-browser-slow/file');
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/report-job-done.png`, fullPage: true });
    await context.close();
  });
});
