/// <reference lib="dom" />
/**
 * The evaluator's survey invitations in a real headless Chromium at 1366 px: sign in through
 * /login, land on the evaluator's home, go to the invitations page by the navigation, draw a
 * sample and download the links (the only time they are given out), residents answer some of
 * them, and the page shows the response rates per institution and per team: invited, answered,
 * expired, rate, with names, never ids. axe-core, no English on the Chinese page, on every page.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, serveStack, seriousAxeViolations } from '../support/browser.ts';
import { createTestDistrict, type TestDistrict, testIdentityNumbers } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'page-invite';
const EVALUATOR = 'evaluator-zhou';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
  const admin = await stack.token('admin');
  for (const [t, team] of district.teams.entries()) {
    for (const identityNumber of testIdentityNumbers(4, 700 + t * 10)) {
      const signed = await stack.request('POST', '/contracts', {
        token: admin,
        body: { teamId: team.teamId, identityNumber, insured: true, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } },
      });
      expect(signed.status).toBe(201);
    }
  }
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function checkPage(page: Page, name: string, references: readonly string[] = []): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/evaluator-invitations-${name}.png`, fullPage: true });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  const ids = [...district.institutionIds, ...district.teams.map((t) => t.teamId)];
  expect(await idsShown(page, ids, [`${D} 区`]), `ids on ${name}`).toEqual([]);
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  // the draw form's period is typed as 2026Q4; the invitation numbers are the SMS file's references
  expect(await englishOnChinesePage(page, [EVALUATOR, D, 'Q4', ...references]), `English on ${name}`).toEqual([]);
}

describe('evaluator survey invitations', () => {
  it('draws a sample, downloads the links and then shows response rates per institution and team', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.selectOption('select[name=role]', 'evaluator');
    await page.fill('input[name=districtId]', D);
    await page.fill('input[name=subject]', EVALUATOR);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/evaluator$/);
    await checkPage(page, 'home');

    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '满意度调查邀请' }).click();
    await page.waitForURL(/\/invitations/);
    expect(await page.getByTestId('response-rates').innerText()).toContain('该周期没有邀请。');
    await checkPage(page, 'empty');

    await page.getByLabel('每个团队抽取人数').fill('3');
    await page.getByLabel('有效天数').fill('7');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '抽取并下载 CSV' }).click()]);
    const records = parse(await readFile((await download.path())!), { columns: true }) as { invitationId: string; teamId: string; link: string }[];
    expect(records).toHaveLength(12);

    // residents answer: both of the first team's … one of the second's, none of the others'
    const answered = [...records.filter((r) => r.teamId === district.teams[0]!.teamId), records.find((r) => r.teamId === district.teams[1]!.teamId)!];
    for (const record of answered.slice(0, 4)) {
      const response = await stack.request('POST', new URL(record.link).pathname, {
        body: 'overall=5&attitude=5&communication=4&access=4&lang=zh',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.status).toBe(201);
    }

    await page.goto(`${server.baseUrl}/evaluator/districts/${D}/invitations?period=2026Q4`);
    await expect(page.getByTestId('rates-total').innerText()).resolves.toBe('共邀请 12 人，已回答 4 人，回复率 33.3%');
    const institutions = await page.getByTestId('rates-institutions').locator('tbody tr').allInnerTexts();
    expect(institutions.map((row) => row.split('\t'))).toEqual([
      ['测试社区卫生服务中心 1', '6', '4', '0', '66.7%'],
      ['测试社区卫生服务中心 2', '6', '0', '0', '0.0%'],
    ]);
    await page.getByTestId('rates-teams-details').locator('summary').click();
    const teams = await page.getByTestId('rates-teams').locator('tbody tr').allInnerTexts();
    expect(teams.map((row) => row.split('\t'))).toEqual([
      ['测试社区卫生服务中心 1', '测试团队 1-1', '3', '3', '0', '100.0%'],
      ['测试社区卫生服务中心 1', '测试团队 1-2', '3', '1', '0', '33.3%'],
      ['测试社区卫生服务中心 2', '测试团队 2-1', '3', '0', '0', '0.0%'],
      ['测试社区卫生服务中心 2', '测试团队 2-2', '3', '0', '0', '0.0%'],
    ]);
    const statusText = await page.getByTestId('invitations').innerText();
    expect(statusText).toContain('测试团队 2-2');
    expect(statusText).not.toContain('/s/');
    await checkPage(
      page,
      'rates',
      records.map((r) => r.invitationId),
    );
    await context.close();
  });
});
