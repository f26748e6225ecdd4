/// <reference lib="dom" />
/**
 * The administrator's whole job through pages only, in a real headless Chromium at 1366 px:
 * sign in through /login, register an institution with its packages and fees, create a team
 * (refused first above the district cap), change a district setting (refused first with a
 * problem next to its field) and add a dated subsidy rate, close a period behind a confirmation
 * and reopen it with a reason, read the audit log and filter it, invite a clerk (locally: the demo
 * identity), then walk the same pages in English. Every page visited is checked with axe-core (no serious or
 * critical violation), for internal ids where a name exists, and for English on a zh page; what
 * the pages did is read back from the table.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS, getDistrict } from '#shared/data/districts.ts';
import { listInstitutions } from '#shared/data/institutions.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { listTeamsOfInstitution } from '#shared/data/teams.ts';
import { launchChromium, SCREENSHOT_DIR, seriousAxeViolations, serveStack } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'page-adm';
const ADMIN = 'admin-zhao';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  await createDistrict(stack.db, {
    districtId: D,
    name: '测试区',
    province: '测试省',
    settings: { ...DEFAULT_DISTRICT_SETTINGS, teamCapacity: 2000 },
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * The page's visible text without what is marked as another language (the language switch) and without user names (the signed-in one, the invited demo
 * identity).
 */
async function zhText(page: Page): Promise<string> {
  const text = await page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    for (const el of body.querySelectorAll('[lang]:not([lang^=zh]), style, script')) el.remove();
    return body.innerText;
  });
  return text.replaceAll(ADMIN, '').replaceAll('li.na', '');
}

/** axe, ids, language and a screenshot of the page as it is now. */
async function checkPage(page: Page, shot: string, ids: readonly string[] = []): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  expect(await seriousAxeViolations(page)).toEqual([]);
  const text = await zhText(page);
  expect(text.match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);
  for (const id of [D, ...ids]) expect(text).not.toContain(id);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-${shot}.png`, fullPage: true });
}

describe('administrator pages', () => {
  it('signs in, registers an institution and a team, changes a district setting, closes and reopens a period', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();

    // sign in through /login from the districts page
    const refused = await page.goto(`${server.baseUrl}/admin/districts`);
    expect(refused?.status()).toBe(401);
    await checkPage(page, 'sign-in-needed');
    await page.getByRole('link', { name: '登录' }).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.selectOption('select[name=role]', 'admin');
    await page.fill('input[name=districtId]', '');
    await page.fill('input[name=subject]', ADMIN);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\/districts$/);
    expect(await page.getByTestId('session').textContent()).toContain('系统管理员');
    await checkPage(page, 'districts');

    // the district: a setting refused next to its field, then saved
    await page.getByRole('link', { name: '测试区' }).click();
    await page.waitForURL(new RegExp(`/admin/districts/${D}`));
    await checkPage(page, 'district');
    expect(await page.getByLabel('数据报送截止（周期结束后天数）').inputValue()).toBe('10');
    expect(await page.getByLabel('结果公示期（天）').inputValue()).toBe('7');
    await page.getByLabel('满意度调查最少答卷数').fill('十二');
    await page.getByLabel('结果公示期（天）').fill('99');
    await page.getByRole('button', { name: '保存设置' }).click();
    const field = page.getByLabel('满意度调查最少答卷数');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await field.getAttribute('aria-describedby')}`).textContent()).toBe('请输入 1 至 1000 之间的整数');
    const window = page.getByLabel('结果公示期（天）');
    expect(await page.locator(`#${await window.getAttribute('aria-describedby')}`).textContent()).toBe('请输入 1 至 60 之间的整数');
    await checkPage(page, 'district-setting-refused');
    await page.getByLabel('满意度调查最少答卷数').fill('12');
    await page.getByLabel('结果公示期（天）').fill('10');
    await page.getByLabel('数据报送截止（周期结束后天数）').fill('12');
    await page.getByLabel('团队签约上限（人）').fill('1500');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.waitForURL(/done=settings/);
    expect(await page.getByRole('status').textContent()).toContain('设置已保存');
    expect(await page.getByLabel('满意度调查最少答卷数').inputValue()).toBe('12');

    // a subsidy rate in force from a date
    await page.getByLabel('生效日期').fill('2026-07-01');
    await page.getByLabel('每人每年补助（元）').fill('130.50');
    await page.getByRole('button', { name: '添加补助标准' }).click();
    await page.waitForURL(/done=rate/);
    expect(await page.getByTestId('subsidy-rates').textContent()).toContain('2026-07-01');
    expect(await page.getByTestId('subsidy-rates').textContent()).toContain('130.50');
    const settings = (await getDistrict(stack.db, D, true))!.settings;
    expect(settings).toMatchObject({
      surveyMinResponses: 12,
      teamCapacity: 1500,
      subsidyPerResidentYearFen: 13_050,
      dataDeadlineDays: 12,
      reviewWindowDays: 10,
    });
    expect(settings.subsidyRates?.at(-1)).toEqual({ from: '2026-07-01', perYearFen: 13_050 });

    // an institution with two published packages
    const form = page.getByTestId('institution-form');
    await form.getByLabel('名称', { exact: true }).fill('学院路社区卫生服务中心');
    await form.getByLabel('举办性质').selectOption({ label: '社会办' });
    await form.getByLabel('服务包第 1 行 编码').fill('basic');
    await form.getByLabel('服务包第 1 行 服务包名称').fill('基础包');
    await form.getByLabel('服务包第 1 行 收费（元）').fill('0');
    await form.getByLabel('服务包第 2 行 编码').fill('elderly');
    await form.getByLabel('服务包第 2 行 服务包名称').fill('老年人健康包');
    await form.getByLabel('服务包第 2 行 类型').selectOption({ label: '个性化包' });
    await form.getByLabel('服务包第 2 行 收费（元）').fill('1,200');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(/\/admin\/institutions\/inst-/);
    const institutionId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect(await page.getByRole('status').textContent()).toContain('机构已登记');
    expect(await page.getByTestId('packages').textContent()).toContain('1,200.00');
    await checkPage(page, 'institution', [institutionId]);
    const [stored] = (await listInstitutions(stack.db, D, 10)).items;
    expect(stored).toMatchObject({ name: '学院路社区卫生服务中心', ownership: 'social', level: 'community-health-centre' });
    expect(stored!.servicePackages).toEqual([
      { code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 },
      { code: 'elderly', name: '老年人健康包', kind: 'personalised', feeFen: 120_000 },
    ]);

    // a team: above the district cap refused in Chinese, then created
    const team = page.getByTestId('team-form');
    await team.getByLabel('团队名称').fill('张医生团队');
    await team.getByLabel('全科医生姓名').fill('张伟');
    await team.getByLabel('社区护士姓名').fill('刘芳');
    await team.getByLabel('加入日期').fill('2026-11-01');
    await team.getByLabel(/签约上限/).fill('1600');
    await page.getByRole('button', { name: '创建团队' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/1500/);
    await checkPage(page, 'team-refused', [institutionId]);
    await team.getByLabel(/签约上限/).fill('800');
    await team.getByLabel('姓名', { exact: true }).first().fill('陈静');
    await team.locator('select[name="member.0.role"]').selectOption({ label: '公卫医生' });
    await page.getByRole('button', { name: '创建团队' }).click();
    await page.waitForURL(/done=team/);
    expect(await page.getByTestId('teams').textContent()).toContain('张伟（全科医生）、刘芳（社区护士）、陈静（公卫医生）');
    await checkPage(page, 'team-created', [institutionId]);
    const teams = (await listTeamsOfInstitution(stack.db, { districtId: D, institutionId }, 10)).items;
    expect(teams.map((t) => [t.name, t.capacity, t.members.length])).toEqual([['张医生团队', 800, 3]]);

    // close a period behind a confirmation, then reopen it with a reason (the running quarter: 2026Q3 is past its data deadline on 22 November, issue 14)
    await page.getByRole('link', { name: '考核周期' }).click();
    await page.waitForURL(/\/periods/);
    await checkPage(page, 'periods');
    const q3 = page.locator('tr[data-period="2026Q4"]');
    expect(await q3.textContent()).toContain('2026年第四季度');
    await q3.getByRole('link', { name: '关闭…' }).click();
    expect(await page.locator('h1').textContent()).toBe('关闭 2026年第四季度？');
    await checkPage(page, 'period-close-confirm');
    expect((await getPeriodStatus(stack.db, D, '2026Q4')).status).toBe('open');
    await page.getByRole('button', { name: '确认关闭' }).click();
    await page.waitForURL(/done=close/);
    expect(await page.getByRole('status').textContent()).toBe('2026年第四季度 已关闭。');
    expect((await getPeriodStatus(stack.db, D, '2026Q4')).status).toBe('closed');
    expect(await q3.textContent()).toContain('2026-11-22 16:00（北京时间）');
    await checkPage(page, 'period-closed');

    await q3.getByRole('link', { name: '重新开放…' }).click();
    await page.getByLabel('原因').fill('学院路中心更正漏报数据');
    await page.getByRole('button', { name: '确认重新开放' }).click();
    await page.waitForURL(/done=reopen/);
    const status = await getPeriodStatus(stack.db, D, '2026Q4');
    expect(status.status).toBe('open');
    expect(status.history.map((h) => [h.action, h.by, h.reason])).toEqual([
      ['close', ADMIN, undefined],
      ['reopen', ADMIN, '学院路中心更正漏报数据'],
    ]);
    expect(await q3.textContent()).toContain('学院路中心更正漏报数据');
    await checkPage(page, 'period-reopened');

    // the audit log: every change above, newest first, then filtered to the teams created
    await page.getByRole('link', { name: '审计日志' }).click();
    await page.waitForURL(/\/audit-log/);
    const entries = page.getByTestId('audit-entries');
    const rows = await entries.locator('tbody tr').allTextContents();
    // (the test's clock stands still, so every entry has the same time)
    expect(rows.find((row) => row.includes('重新开放数据报送'))).toContain('学院路中心更正漏报数据');
    expect(rows.some((row) => row.includes('关闭数据报送'))).toBe(true);
    expect(rows.join('\n')).toContain('团队 · 张医生团队');
    expect(rows.join('\n')).toContain('团队签约上限: 2000 → 1500');
    expect(rows.join('\n')).toContain('学院路社区卫生服务中心');
    expect(rows.every((row) => row.includes('（北京时间）'))).toBe(true);
    await checkPage(page, 'audit-log', [institutionId]);
    await page.getByTestId('audit-filters').locator('select[name=action]').selectOption({ label: '创建团队' });
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.waitForURL(/action=team\.create/);
    expect(await entries.locator('tbody tr').count()).toBe(1);
    expect(await entries.textContent()).toContain('系统管理员');
    await checkPage(page, 'audit-log-filtered', [institutionId]);

    // invite a clerk of the new institution: locally, the demo identity to sign in as
    await page.getByRole('link', { name: '用户邀请' }).click();
    await checkPage(page, 'users', [institutionId]);
    const invite = page.getByTestId('invite-form');
    await invite.getByLabel('电子邮箱').fill('li.na@example.cn');
    await invite.getByLabel('姓名').fill('李娜');
    await invite.getByLabel('角色').selectOption({ label: '机构数据员' });
    await invite.getByLabel(/辖区/).selectOption({ label: '测试区' });
    await page.getByRole('button', { name: '显示该辖区的机构' }).click();
    await page
      .getByTestId('invite-form')
      .getByLabel(/机构（/)
      .selectOption({ label: '学院路社区卫生服务中心' });
    expect(await page.getByTestId('invite-form').getByLabel('姓名').inputValue()).toBe('李娜');
    await page.getByRole('button', { name: '发送邀请' }).click();
    expect(await page.getByTestId('demo-identity').textContent()).toContain('机构数据员 · li.na');
    await checkPage(page, 'user-invited', [institutionId]);

    // the same pages in English, axe on each
    for (const [path, heading, shot] of [
      ['/admin/districts?lang=en', 'Districts', 'en-districts'],
      [`/admin/districts/${D}?lang=en`, '测试区', 'en-district'],
      [`/admin/institutions/${institutionId}?lang=en`, '学院路社区卫生服务中心', 'en-institution'],
      [`/admin/districts/${D}/periods?lang=en`, '', 'en-periods'],
      [`/admin/districts/${D}/audit-log?lang=en`, 'Audit log', 'en-audit-log'],
      ['/admin/users?lang=en', 'Invite a user', 'en-users'],
    ] as const) {
      await page.goto(`${server.baseUrl}${path}`);
      expect(await page.getAttribute('html', 'lang'), path).toBe('en');
      expect(await page.locator('h1').textContent(), path).toContain(heading);
      expect(await seriousAxeViolations(page), path).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-${shot}.png`, fullPage: true });
    }
    expect(await page.getByRole('navigation').textContent()).toContain('Invite users');
    await page.goto(`${server.baseUrl}/admin/districts/${D}/audit-log?lang=en`);
    expect(await page.getByTestId('audit-entries').textContent()).toContain('Period reopened');
    expect(await page.getByTestId('audit-entries').textContent()).toContain('China time (UTC+8)');
    await page.getByTestId('audit-filters').locator('select[name=entityType]').selectOption({ label: 'Period' });
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL(/entityType=period/);
    const periodRows = await page.getByTestId('audit-entries').locator('tbody tr').allTextContents();
    expect(periodRows).toHaveLength(2);
    expect(periodRows.every((row) => row.includes('Period reopened') || row.includes('Period closed to uploads'))).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-en-audit-log-filtered.png`, fullPage: true });
    await context.close();
  }, 150_000);

  it('asks for a reason before reopening, and refuses the pages to other roles', async () => {
    const token = await stack.token('admin', { sub: ADMIN });
    const post = (path: string, body: string, cookie = token) =>
      stack.app.request(path, {
        method: 'POST',
        headers: { cookie: `gk_token=${cookie}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    await stack.app.request(`/admin/districts/${D}/periods/2026Q2/close`, {
      method: 'POST',
      headers: { cookie: `gk_token=${token}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'lang=zh',
    });
    const noReason = await post(`/admin/districts/${D}/periods/2026Q2/reopen`, 'lang=zh&reason=+');
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('请填写重新开放的原因');
    expect((await getPeriodStatus(stack.db, D, '2026Q2')).status).toBe('closed');

    // a clerk without an institution is refused in the page's language
    const noInstitution = await post('/admin/users', `lang=zh&email=a%40b.cn&name=A&role=clerk&districtId=${D}`);
    expect(noInstitution.status).toBe(422);
    expect(await noInstitution.text()).toContain('该角色需要指定所属辖区');

    const finance = await stack.token('finance', { districtId: D, sub: 'finance-li' });
    for (const path of ['/admin/districts', `/admin/districts/${D}`, `/admin/districts/${D}/periods`, '/admin/users']) {
      const response = await stack.app.request(path, { headers: { cookie: `gk_token=${finance}` } });
      expect(response.status, path).toBe(403);
      expect(response.headers.get('content-type')).toContain('text/html');
    }
    const settingsRefused = await post(
      `/admin/districts/${D}/settings`,
      'teamCapacity=1&surveyMinResponses=1&contractTermMonths=1&contractStartGraceDays=1',
      finance,
    );
    expect(settingsRefused.status).toBe(403);
    expect((await getDistrict(stack.db, D, true))!.settings.teamCapacity).toBe(1500);
  });

  it('the axe check finds a serious violation where there is one', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main><input name="x">' +
        '<p style="color:#ddd;background:#fff">浅色文字</p></main></body></html>',
    );
    expect((await seriousAxeViolations(page)).map((v) => v.id).sort()).toEqual(['color-contrast', 'label']);
    await page.close();
  });
});
