/// <reference lib="dom" />
/**
 * The clerk's team members page in a real headless Chromium at 1366 px: signed in through /login,
 * from the teams page to one team's members, a pharmacist joins, a leave before their join date
 * is refused next to the date in Chinese, then recorded; the member stays listed with both dates
 * (read back from the table). Every page: no serious or critical axe violation, no English on
 * the Chinese page, no internal id shown.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTeam } from '#shared/data/teams.ts';
import { englishOnChinesePage, idsShown, launchChromium, SCREENSHOT_DIR, serveStack, seriousAxeViolations } from '../support/browser.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'page-members';
const CLERK = 'clerk-li';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let district: TestDistrict;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createTestDistrict(stack.db, D, { institutions: 1, teamsPerInstitution: 2 });
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function checkPage(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/team-members-${name}.png`, fullPage: true });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  const ids = [...district.institutionIds, ...district.teams.flatMap((t) => [t.teamId, ...t.members.map((m) => m.memberId)])];
  expect(await idsShown(page, ids), `ids on ${name}`).toEqual([]);
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await englishOnChinesePage(page, [CLERK, D]), `English on ${name}`).toEqual([]);
}

describe('team members page', () => {
  it('adds a member with a join date and records a leave, refusing one before joining', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.selectOption('select[name=role]', 'clerk');
    await page.fill('input[name=districtId]', D);
    await page.fill('input[name=institutionId]', district.institutionIds[0]!);
    await page.fill('input[name=subject]', CLERK);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/clerk$/);
    await page.getByRole('navigation', { name: '导航' }).getByRole('link', { name: '团队与签约' }).click();
    await page.getByRole('link', { name: /成员加入与离开.*测试团队 1-1/ }).click();
    await page.waitForURL(/\/members/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('测试团队 1-1 · 团队成员');
    expect(await page.getByTestId('member-row').count()).toBe(2);
    await checkPage(page, 'list');

    const join = page.getByTestId('join-form');
    await join.getByLabel('姓名').fill('赵药师');
    await join.getByLabel('团队角色').selectOption({ label: '药师' });
    await join.getByLabel('加入日期').fill('2026-11-10');
    await join.getByRole('button', { name: '加入团队' }).click();
    await expect(page.getByTestId('done').innerText()).resolves.toBe('新成员已加入。');
    const row = page.getByTestId('member-row').filter({ hasText: '赵药师' });
    expect(await row.innerText()).toContain('2026年11月10日');
    expect(await row.innerText()).toContain('在岗');
    await checkPage(page, 'joined');

    // a leave before the join date: refused next to the date, in Chinese, the entered date kept
    await row.getByLabel('赵药师的离开日期（最后在岗日）').fill('2026-11-09');
    await row.getByRole('button', { name: /确认离开/ }).click();
    const refusedRow = page.getByTestId('member-row').filter({ hasText: '赵药师' });
    const input = refusedRow.getByLabel('赵药师的离开日期（最后在岗日）');
    const errorId = (await input.getAttribute('aria-describedby')) as string;
    await expect(page.locator(`[id="${errorId}"]`).innerText()).resolves.toBe('赵药师于 2026-11-10 加入，离开日期不能早于加入日期');
    expect(await input.inputValue()).toBe('2026-11-09');
    await checkPage(page, 'refused');

    await input.fill('2026-11-20');
    await refusedRow.getByRole('button', { name: /确认离开/ }).click();
    await expect(page.getByTestId('done').innerText()).resolves.toBe('已记录离开，成员记录保留。');
    const leftRow = page.getByTestId('member-row').filter({ hasText: '赵药师' });
    expect(await leftRow.innerText()).toContain('2026年11月20日');
    expect(await leftRow.getByRole('button').count()).toBe(0);
    await checkPage(page, 'left');

    const team = await getTeam(stack.db, district.teams[0]!.teamId, true);
    expect(team!.members.map((m) => [m.name, m.role, m.joinedOn, m.leftOn ?? null])).toEqual([
      ['王医生', 'general-practitioner', '2025-01-01', null],
      ['李护士', 'community-nurse', '2025-01-01', null],
      ['赵药师', 'pharmacist', '2026-11-10', '2026-11-20'],
    ]);

    // the GP leaves: the page says the team now lacks one
    const gpRow = page.getByTestId('member-row').filter({ hasText: '王医生' });
    await gpRow.getByLabel('王医生的离开日期（最后在岗日）').fill('2026-11-21');
    await gpRow.getByRole('button', { name: /确认离开/ }).click();
    await expect(page.getByTestId('lacking').innerText()).resolves.toContain('团队目前缺少：全科医生');
    await checkPage(page, 'lacking');
    await context.close();
  });
});
