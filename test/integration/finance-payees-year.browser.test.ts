/// <reference lib="dom" />
/**
 * The finance pages of issue 17 in a real headless Chromium: payees proposed through the form and
 * approved by a second officer (the proposer gets no approve button; a wrong credit code is shown
 * as a problem), account numbers masked on every page, the funding sources and the payment file
 * links on an approved settlement's page (the downloaded CSV carries the full account number),
 * the year view and the comparison with the previous settlement on the settlement's page (per
 * institution, the previous one named by period and method). Each officer signs in through /login,
 * lands on the finance home page and goes on by links; every page visited passes axe-core (no
 * serious or critical violation), shows no English on a Chinese page and no internal id where a
 * name exists.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yuan } from '../../functions/finance/pages/texts.ts';
import { getDistrict } from '#shared/data/districts.ts';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, serveStack, seriousAxeViolations } from '../support/browser.ts';
import { createFinanceDistrict, type FinanceDistrict, json, type SettlementView, settle } from '../support/finance-fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'page-pay';
const ACCOUNT = '6222020200001234567';
const SOURCES = [
  { code: 'insurance-fund', name: '医保基金', incentiveShare: '0', subsidyShare: '1' },
  { code: 'public-health', name: '基本公共卫生经费', incentiveShare: '1', subsidyShare: '0' },
];
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: FinanceDistrict;
let districtName: string;
const settled: Record<string, SettlementView> = {};

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createFinanceDistrict(stack, D, {
    institutions: 2,
    teamsPerInstitution: 1,
    contracts: [3, 2],
    periods: ['2026Q2', '2026Q3'],
    scores: ['90.00', '75.00'],
  });
  const method = { kind: 'score-weighted', sizeMeasure: 'active-contracts' };
  settled['2026Q2'] = await settle(stack, D, { evaluationId: district.runs['2026Q2'], poolFen: 100_000, method, fundingSources: SOURCES });
  settled['2026Q3'] = await settle(stack, D, { evaluationId: district.runs['2026Q3'], poolFen: 150_000, method, fundingSources: SOURCES });
  districtName = (await getDistrict(stack.db, D))!.name;
  server = await serveStack(stack);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * axe on every page visited; on Chinese pages no English; no institution or team id (settlements have no name but their
 * id). Allowed English: the sign-in names and what officers typed (the approval comment "checked" of the fixture's
 * settle, shown as written in the settlement's log), the funding source's code and the credit code standard's "GB".
 */
async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  expect(await idsShown(page, [...district.institutionIds, ...district.teams.map((t) => t.teamId)]), `ids on ${name}`).toEqual([]);
  if ((await page.getAttribute('html', 'lang')) === 'zh-CN') {
    const allowed = ['finance-li', 'finance-wang', 'finance-a', 'finance-b', 'checked', 'evaluator', 'insurance-fund', 'GB', D];
    expect(await englishOnChinesePage(page, [...allowed, ...Object.values(settled).map((s) => s.settlementId)]), `English on ${name}`).toEqual([]);
  }
}

const SHELL_TEXT = {
  zh: { nav: '导航', settlements: '结算', signOut: '退出登录', role: '财务人员' },
  en: { nav: 'Navigation', settlements: 'Settlements', signOut: 'Sign out', role: 'Finance officer' },
};

/** The staff shell: the navigation with its settlements entry marked current, the signed-in person with role and district by name, sign-out, the switch. */
async function checkShell(page: Page, person: string): Promise<void> {
  const lang = (await page.getAttribute('html', 'lang')) === 'en' ? 'en' : 'zh';
  const t = SHELL_TEXT[lang];
  const current = page.getByRole('navigation', { name: t.nav }).getByRole('link', { name: t.settlements });
  expect(await current.getAttribute('aria-current')).toBe('page');
  const session = page.getByTestId('session');
  expect(await session.getByRole('button', { name: t.signOut }).count()).toBe(1);
  const who = await session.innerText();
  expect(who).toContain(person);
  expect(who).toContain(t.role);
  expect(who).toContain(districtName);
  expect(await page.getByRole('link', { name: lang === 'zh' ? 'English' : '中文' }).count()).toBe(1);
}

/** Signs in through /login and lands on the finance home page. */
async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(`${server.baseUrl}/login`);
  await page.selectOption('select[name=role]', 'finance');
  await page.fill('input[name=districtId]', D);
  await page.fill('input[name=subject]', name);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/finance');
  await checkPage(page, `home-${name}`);
}

/** From the home page to the district's settlements, by the navigation. */
async function toSettlements(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '结算' }).click();
  await page.waitForURL((url) => url.pathname === `/finance/districts/${D}/settlements`);
  await checkPage(page, 'settlements');
}

async function proposeThroughForm(page: Page, institutionId: string, creditCode: string): Promise<void> {
  const row = page.locator(`tr[data-institution="${institutionId}"]`);
  await row.locator('details summary').click();
  const form = page.getByTestId(`propose-${institutionId}`);
  await form.locator('input[name=creditCode]').fill(creditCode);
  await form.locator('input[name=accountName]').fill('测试社区卫生服务中心 1');
  await form.locator('input[name=bank]').fill('中国工商银行北京海淀支行');
  await form.locator('input[name=accountNumber]').fill('6222 0202 0000 1234 567');
  await form.locator('input[name=budgetSubject]').fill('2100408 基本公共卫生服务');
  await form.locator('button[type=submit]').click();
}

describe('payee pages', () => {
  it('take a proposal through the form, mask the account, and leave the approval to another officer', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'finance-li');
    await toSettlements(page);
    await page.getByTestId('payees-link').click();
    await page.waitForURL(/\/payees/);
    await checkPage(page, 'payees');
    await checkShell(page, 'finance-li');
    expect(await page.textContent('h1')).toBe(`收款单位 · ${districtName}`);
    const institutionId = district.institutionIds[0]!;

    await proposeThroughForm(page, institutionId, '91350100M000100Y44');
    // the check character is wrong: said in Chinese, with the one expected
    expect(await page.getByTestId('problem').textContent()).toBe('统一社会信用代码校验位错误（GB 32100），应为 3');
    await checkPage(page, 'payees-refused');
    // shown after the refused post: the shell still there, its language switch to the payees page itself
    await checkShell(page, 'finance-li');
    expect(await page.getByRole('link', { name: 'English' }).getAttribute('href')).toBe(`/finance/districts/${D}/payees?lang=en`);

    await proposeThroughForm(page, institutionId, '91350100M000100Y43');
    await page.waitForURL(/done=proposed/);
    const row = page.locator(`tr[data-institution="${institutionId}"]`);
    expect(await row.getByTestId('pending').textContent()).toContain('**** **** 4567');
    expect(await row.getByRole('button', { name: /批准变更/ }).count()).toBe(0);
    expect(await row.textContent()).toContain('四眼原则');
    expect(await page.content()).not.toContain(ACCOUNT);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-payees-proposed.png`, fullPage: true });
    await checkPage(page, 'payees-proposed');
    await context.close();
  });

  it('are approved by a second officer', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'finance-wang');
    await toSettlements(page);
    await page.getByTestId('payees-link').click();
    await page.waitForURL(/\/payees/);
    const row = page.locator(`tr[data-institution="${district.institutionIds[0]}"]`);
    await row.getByRole('button', { name: /批准变更/ }).click();
    await page.waitForURL(/done=approved/);
    expect(await page.getByRole('status').textContent()).toContain('变更已批准');
    await checkPage(page, 'payees-approved');
    await checkShell(page, 'finance-wang');
    expect(await row.getByTestId('account').textContent()).toBe('**** **** 4567');
    expect(await row.textContent()).toContain('已批准（finance-wang');
    expect(await page.content()).not.toContain(ACCOUNT);
    const view = await json<{ current: { revision: number } | null }>(
      await stack.request('GET', `/institutions/${district.institutionIds[0]}/payee`, { token: await stack.token('finance', { districtId: D, sub: 'x' }) }),
      200,
    );
    expect(view.current?.revision).toBe(1);
    await context.close();
  });
});

describe('a settlement, the year and the comparison', () => {
  it('shows the funding sources and links the payment file, which carries the full account number', async () => {
    // the second institution's payee, through the API, so the payment file can be produced
    const a = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const proposed = await json<{ pending: { proposalId: string } }>(
      await stack.request('PUT', `/institutions/${district.institutionIds[1]}/payee`, {
        token: a,
        body: { creditCode: '121101084000000020', accountName: '测试中心 2', bank: '测试银行', accountNumber: '6217000010009876543', budgetSubject: '2100408' },
      }),
      202,
    );
    await json(
      await stack.request('POST', `/institutions/${district.institutionIds[1]}/payee/approve`, {
        token: await stack.token('finance', { districtId: D, sub: 'finance-b' }),
        body: { proposalId: proposed.pending.proposalId },
      }),
      200,
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const q3 = settled['2026Q3']!;
    await signIn(page, 'finance-li');
    await toSettlements(page);
    // the list names a settlement by its method and time, not by its id
    await page.locator(`a[href^="/finance/settlements/${q3.settlementId}?"]`).click();
    await page.waitForURL((url) => url.pathname === `/finance/settlements/${q3.settlementId}`);
    await checkPage(page, 'settlement');
    // the one English word allowed on it: the approving officer's own comment, as typed
    expect(await page.getByTestId('audit').textContent()).toContain('批准 · 操作人 finance-b · “checked”');
    const funding = page.getByTestId('funding');
    expect(await funding.locator('tr[data-source]').count()).toBe(2);
    expect(await funding.locator('tr[data-source="public-health"] td').nth(1).textContent()).toBe(yuan(150_000));
    expect(await funding.locator('tr[data-source="insurance-fund"] td').nth(2).textContent()).toBe(yuan(q3.totals.subsidyFen));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('payment-csv').click()]);
    const csv = (await readFile((await download.path())!)).toString('utf8');
    expect(csv).toContain(ACCOUNT);
    expect(await page.content()).not.toContain(ACCOUNT);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-settlement-funding.png`, fullPage: true });

    // on the settlement's page: the comparison with 2026Q2's settlement, named by period and method, per institution
    const q2 = settled['2026Q2']!;
    expect(await page.getByTestId('comparison-previous').textContent()).toBe('对比上一周期 2026年第二季度 的已批准结算（按得分 × 有效签约数 分配）。');
    const lines = await page.getByTestId('comparison-lines').locator('tbody tr').allInnerTexts();
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['测试社区卫生服务中心 1', '测试社区卫生服务中心 2']);
    const cells = (await page.getByTestId('comparison-lines').locator('tfoot tr').innerText()).split('\t');
    expect(cells.slice(1, 3)).toEqual([yuan(q2.totals.paidFen + q2.totals.subsidyFen), yuan(q3.totals.paidFen + q3.totals.subsidyFen)]);

    await page.getByRole('link', { name: '与上一结算对比（按机构）' }).click();
    await page.waitForURL(/\/comparison/);
    await checkPage(page, 'comparison');
    await checkShell(page, 'finance-li');
    expect(await page.getByTestId('comparison-against').textContent()).toContain('2026年第二季度');
    expect(await page.getByTestId('comparison-against').textContent()).not.toContain(settled['2026Q2']!.settlementId);
    const difference = q3.totals.paidFen + q3.totals.subsidyFen - settled['2026Q2']!.totals.paidFen - settled['2026Q2']!.totals.subsidyFen;
    expect(await page.getByTestId('comparison-difference').textContent()).toBe(
      difference > 0 ? `+${yuan(difference)}` : difference < 0 ? `−${yuan(-difference)}` : yuan(0),
    );
    await context.close();
  });

  it('sums the year per institution, team and funding source, in Chinese and English', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'finance-li');
    await toSettlements(page);
    await page.getByTestId('year-link').click();
    await page.waitForURL(/\/year\/2026/);
    await checkPage(page, 'year');
    await checkShell(page, 'finance-li');
    const total = ['2026Q2', '2026Q3'].reduce((s, p) => s + settled[p]!.totals.paidFen + settled[p]!.totals.subsidyFen, 0);
    expect(await page.getByTestId('year-total').textContent()).toBe(yuan(total));
    expect(await page.getByTestId('year-incentive').textContent()).toBe(yuan(250_000));
    expect(await page.locator('[data-testid=year-institutions] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid=year-teams] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid=year-funding] tr[data-source="public-health"] td').nth(1).textContent()).toBe(yuan(250_000));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-year.png`, fullPage: true });
    await page.goto(`${server.baseUrl}/finance/districts/${D}/settlements/year/2026?lang=en`);
    expect(await page.textContent('h1')).toContain('The year 2026');
    await checkPage(page, 'year-en');
    await checkShell(page, 'finance-li');
    // the choice of English is remembered (the gk_lang cookie) on the next page, until Chinese is chosen again
    await page.goto(`${server.baseUrl}/finance/districts/${D}/settlements/year/2025`);
    expect(await page.getByTestId('year-empty').textContent()).toContain('No approved settlement');
    await checkPage(page, 'year-empty-en');
    await page.goto(`${server.baseUrl}/finance/districts/${D}/settlements/year/2025?lang=zh`);
    expect(await page.getByTestId('year-empty').textContent()).toContain('尚无');
    await checkPage(page, 'year-empty');
    await context.close();
  });

  it('previews a capitation settlement with funding sources from the new-settlement form', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'finance-li');
    await toSettlements(page);
    await page.getByRole('link', { name: '新建结算' }).click();
    await page.waitForURL(/\/settlements\/new/);
    await checkPage(page, 'new');
    await page.selectOption('select[name=evaluationId]', district.runs['2026Q3']!);
    await page.fill('input[name=pool]', '10,000');
    await page.selectOption('select[name=method]', 'capitation');
    await page.fill('input[name=capShare]', '50');
    await page.fill('input[name=capWeights]', '0,100,0');
    await page.fill('textarea[name=funding]', 'insurance-fund=医保基金:0:1\npublic-health=基本公共卫生经费:1:0');
    await page.getByRole('button', { name: '预览' }).click();
    const preview = page.getByTestId('preview');
    expect(await preview.textContent()).toContain('按人头分配');
    // all of the 5,000 yuan capitation share goes by insured contracts to the two teams
    expect(await page.getByTestId('preview-paid').textContent()).toBe(yuan(500_000));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/finance-capitation-preview.png`, fullPage: true });
    await checkPage(page, 'capitation-preview');
    await context.close();
  });
});
