/// <reference lib="dom" />
/**
 * The institution clerk's whole job through pages, in a real headless Chromium at 1366 px: sign in
 * through /login, land on the home page, sign a contract (a refused start date shown in Chinese
 * next to its field first), upload a metrics file with one bad row, see the problem with its row
 * and column, fix it, read a scorecard. On every page: no serious or critical axe-core violation,
 * no English on the Chinese pages, no internal id where a name exists. Then the zh/en choice
 * persists across pages.
 */
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { listContractsOfTeam } from '#shared/data/contracts.ts';
import { getCurrentMetricsVersion } from '#shared/data/metrics.ts';
import { checkCharacter } from '#shared/domain/identity-number.ts';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, serveStack, seriousAxeViolations } from '../support/browser.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'page-clerk';
const CLERK = 'clerk-wang';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;
let institutionId: string;

/** An identity number whose check character is X, typed as people do: grouped with spaces, a lower-case x. */
function identityNumberEndingInX(): { canonical: string; typed: string } {
  for (let sequence = 1; ; sequence++) {
    const first17 = `99010819800517${String(sequence).padStart(3, '0')}`;
    if (checkCharacter(first17) === 'X') {
      const canonical = `${first17}X`;
      return { canonical, typed: `${canonical.slice(0, 6)} ${canonical.slice(6, 14)} ${canonical.slice(14, 17)}x` };
    }
  }
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
  institutionId = district.institutionIds[0]!;
  await createRun(stack.db, {
    evaluationId: 'eval-clerk-page',
    districtId: D,
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: district.teams.length, total: district.teams.length },
    startedBy: 'evaluator',
    createdAt: '2026-10-05T00:00:00.000Z',
    completedAt: '2026-10-05T00:30:00.000Z',
    fingerprint: 'c'.repeat(64),
  });
  await putScores(
    stack.db,
    district.teams.map((team, i) => ({
      evaluationId: 'eval-clerk-page',
      teamId: team.teamId,
      institutionId: team.institutionId,
      score: {
        teamId: team.teamId,
        status: 'scored',
        total: ['91.50', '84.00', '77.25', '65.00'][i]!,
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
  // clerks see results from publication on (issue 14): the run is 2026Q3's official one, published and final
  await finalizePeriod(stack.db, D, '2026Q3', 'eval-clerk-page');
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What every page visited must satisfy; `name` names the screenshot. */
async function checkPage(page: Page, name: string, options: { lang?: 'zh' | 'en' } = {}): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/clerk-${name}.png`, fullPage: true });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  const ids = [D, ...district.institutionIds, ...district.teams.map((t) => t.teamId), 'eval-clerk-page'];
  expect(await idsShown(page, ids, [`${D} 区`]), `ids on ${name}`).toEqual([]);
  if ((options.lang ?? 'zh') === 'zh') {
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    // the fixture's district is named after its id ("page-clerk 区")
    expect(await englishOnChinesePage(page, [CLERK, D]), `English on ${name}`).toEqual([]);
  }
}

describe('institution clerk pages', () => {
  it('signs in, signs a contract, uploads a file with one bad row, fixes it and reads a scorecard, through pages only', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();

    // / sends an anonymous visitor to /login; signing in lands on the clerk's home
    await page.goto(`${server.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.selectOption('select[name=role]', 'clerk');
    await page.fill('input[name=districtId]', D);
    await page.fill('input[name=institutionId]', institutionId);
    await page.fill('input[name=subject]', CLERK);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/clerk$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('测试社区卫生服务中心 1');
    expect(await page.getByTestId('session').innerText()).toContain(`${D} 区`);
    const q3 = page.getByTestId('quarter-2026Q3');
    await expect(q3.innerText()).resolves.toContain('2026年第三季度');
    await expect(q3.innerText()).resolves.toContain('尚未上传');
    await checkPage(page, 'home');

    // teams, then the first team's contracts
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '团队与签约' }).click();
    await page.waitForURL(/\/clerk\/teams/);
    expect(await page.getByTestId('teams').innerText()).toContain('王医生（全科医生');
    await checkPage(page, 'teams');

    // a new team: a capacity above the district's cap is refused next to the field, then created within it
    const createForm = page.getByTestId('create-team');
    await createForm.getByLabel('团队名称').fill('张医生团队');
    await createForm.getByLabel('全科医生姓名').fill('张医生');
    await createForm.getByLabel('社区护士姓名').fill('陈护士');
    await createForm.getByLabel('加入日期').fill('2026-11-01');
    await createForm.getByLabel(/^签约上限/).fill('2500');
    await createForm.getByRole('button', { name: '创建团队' }).click();
    await expect(page.locator('#team-capacity-error').innerText()).resolves.toContain('不能超过本区上限 2000');
    expect(await page.getByTestId('create-team').getByLabel('团队名称').inputValue()).toBe('张医生团队');
    await checkPage(page, 'teams-refused');
    await page
      .getByTestId('create-team')
      .getByLabel(/^签约上限/)
      .fill('1500');
    await page.getByTestId('create-team').getByRole('button', { name: '创建团队' }).click();
    await expect(page.getByTestId('created').innerText()).resolves.toBe('团队已创建。');
    const teamsText = await page.getByTestId('teams').innerText();
    expect(teamsText).toContain('张医生团队');
    expect(teamsText).toContain('陈护士（社区护士，2026年11月1日加入）');
    await page.getByRole('link', { name: /签约管理.*测试团队 1-1/ }).click();
    await page.waitForURL(/\/clerk\/teams\/[^/?]+\?/);

    // find the resident by identity number, typed with spaces and a lower-case x
    const resident = identityNumberEndingInX();
    await page.getByLabel('身份证号', { exact: false }).first().fill(resident.typed);
    await page.getByRole('button', { name: '查找' }).click();
    await expect(page.getByTestId('lookup').innerText()).resolves.toContain('目前没有有效的签约');
    await checkPage(page, 'contracts-lookup');

    // a start date outside the signing window is refused next to its field, in Chinese
    const signForm = page.getByTestId('sign-form');
    expect(await signForm.getByLabel(/^身份证号/).inputValue()).toBe(resident.typed);
    await signForm.getByLabel(/^开始日期/).fill('2026-10-01');
    await signForm.getByRole('button', { name: '签约' }).click();
    const startError = page.locator('#sign-startDate-error');
    await expect(startError.innerText()).resolves.toContain('签约开始日期须在 2026-11-15 至');
    expect(await page.locator('#sign-startDate').getAttribute('aria-describedby')).toContain('sign-startDate-error');
    await checkPage(page, 'contracts-refused');

    await page.locator('#sign-startDate').fill('2026-11-22');
    await page.getByTestId('sign-form').getByRole('button', { name: '签约' }).click();
    await expect(page.getByTestId('done').innerText()).resolves.toContain('已签约');
    const row = page.getByTestId('contract-row');
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain(`${resident.canonical.slice(0, 3)}${'*'.repeat(11)}${resident.canonical.slice(14)}`);
    expect(await page.getByTestId('capacity').innerText()).toContain('已签约 1 人');
    await checkPage(page, 'contracts-signed');
    const stored = await listContractsOfTeam(stack.db, district.teams[0]!, 10);
    expect(stored.items.map((c) => c.residentRef)).toEqual([stack.keyer(resident.canonical)]);

    // metrics: the template with Chinese headers, one bad row, then the fixed file
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '服务数据上报' }).click();
    await page.waitForURL(/\/clerk\/metrics/);
    // 2026Q3 passed its data deadline (2026-10-10): no upload form, the closed hint; the clerk picks the running quarter
    expect(await page.getByTestId('upload-form').count()).toBe(0);
    expect(await page.innerText('body')).toContain('该周期已关闭，不能再上传');
    await page.selectOption('#period-select', '2026Q4');
    await page.getByRole('button', { name: '显示' }).click();
    await page.waitForURL(/period=2026Q4/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('2026年第四季度');
    await checkPage(page, 'metrics');
    const templateHref = (await page.getByTestId('template-csv').getAttribute('href')) as string;
    const template = await page.request.get(server.baseUrl + templateHref);
    expect(template.headers()['content-type']).toContain('text/csv');
    const records = parse(await template.text(), { bom: true }) as string[][];
    const [header, ...teamRows] = records;
    expect(header!.slice(0, 3)).toEqual(['团队编号', '团队名称', '高血压患者应随访人次']);
    expect(teamRows.map((r) => r[1]).sort()).toEqual(['张医生团队', '测试团队 1-1', '测试团队 1-2'].sort());
    const filled = (bad: boolean) =>
      [header!, ...teamRows.map((r, i) => [r[0]!, r[1]!, ...header!.slice(2).map((_, k) => (bad && i === 1 && k === 1 ? '九十' : '10'))])]
        .map((r) => r.join(','))
        .join('\r\n');
    const xlsx = await page.request.get(`${server.baseUrl}${(await page.getByTestId('template-xlsx').getAttribute('href')) as string}`);
    expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    await page.setInputFiles('#upload-file', { name: '服务数据.csv', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from(filled(true)) });
    await page.getByRole('button', { name: '上传' }).click();
    const problems = page.getByTestId('upload-problem');
    expect(await problems.count()).toBe(1);
    const cells = await problems.first().locator('td').allInnerTexts();
    expect(cells).toEqual(['3', '高血压患者已随访人次', '不是数字：“九十”（只填数字，不要千位分隔符或单位）']);
    expect(await getCurrentMetricsVersion(stack.db, D, institutionId, '2026Q4')).toBeNull();
    await checkPage(page, 'metrics-problems');

    await page.setInputFiles('#upload-file', { name: '服务数据.csv', mimeType: 'text/csv', buffer: Buffer.from(filled(false)) });
    await page.getByRole('button', { name: '上传' }).click();
    await expect(page.getByTestId('stored').innerText()).resolves.toContain('已保存为第 1 版');
    const history = await page.getByTestId('history').innerText();
    expect(history).toContain(CLERK);
    expect(history).toContain('（北京时间）');
    expect((await getCurrentMetricsVersion(stack.db, D, institutionId, '2026Q4'))?.rowCount).toBe(3);
    await checkPage(page, 'metrics-stored');

    // the home page now shows the upload; then the scorecards
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '首页' }).click();
    await expect(page.getByTestId('quarter-2026Q4').innerText()).resolves.toContain(`第 1 版，${CLERK} 于`);
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '评分与满意度' }).click();
    const results = await page.getByTestId('results').innerText();
    expect(results).toContain('测试团队 1-1');
    expect(results).toContain('91.50');
    expect(results).not.toContain('测试团队 2-1');
    await checkPage(page, 'scorecards');
    await page.getByRole('link', { name: /评分明细.*测试团队 1-2/ }).click();
    await expect(page.getByTestId('total').innerText()).resolves.toBe('84.00');
    expect(await page.innerText('body')).toContain('2026年第三季度');
    await checkPage(page, 'scorecard');
    await context.close();
  });

  it('keeps the language chosen with the switch on every page until switched back', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.selectOption('select[name=role]', 'clerk');
    await page.fill('input[name=districtId]', D);
    await page.fill('input[name=institutionId]', institutionId);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/clerk$/);
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Service metrics' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('2026 Q3');
    await checkPage(page, 'metrics-en', { lang: 'en' });
    await page.getByRole('link', { name: '中文' }).click();
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '团队与签约' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await context.close();
  });

  it('sends a signed-in user from / to their home page and refuses another role', async () => {
    const clerk = await stack.token('clerk', { districtId: D, institutionId });
    const home = await stack.app.request('/', { headers: { cookie: `gk_token=${clerk}` } });
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/clerk');
    const finance = await stack.token('finance', { districtId: D });
    expect((await stack.app.request('/', { headers: { cookie: `gk_token=${finance}` } })).headers.get('location')).toBe('/finance');
    const refused = await stack.app.request('/clerk', { headers: { cookie: `gk_token=${finance}` } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('text/html');
  });
});
