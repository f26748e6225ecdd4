/// <reference lib="dom" />
/** The resident survey page in a real headless Chromium: fill, submit, confirm; a second try is refused with a reason. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR, serveStack } from '../support/browser.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, testIdentityNumbers } from '../support/fixtures.ts';

let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let links: string[];

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  const district = await createTestDistrict(stack.db, 'page-d', { teamsPerInstitution: 1 });
  const admin = await stack.token('admin');
  for (const identityNumber of testIdentityNumbers(2, 500)) {
    await stack.request('POST', '/contracts', {
      token: admin,
      body: {
        teamId: district.teams[0]!.teamId,
        identityNumber,
        insured: true,
        startDate: '2026-07-01',
        correction: { reason: 'history entered for the test' },
      },
    });
  }
  const created = (await (
    await stack.request('POST', '/districts/page-d/survey-invitations', { token: admin, body: { period: '2026Q4', samplePerTeam: 2 } })
  ).json()) as { invitations: { link: string }[] };
  links = created.invitations.map((i) => new URL(i.link).pathname);
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('resident survey page', () => {
  it('is filled in with the keyboard-usable form, submitted and confirmed, in Chinese by default', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(server.baseUrl + links[0]);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expect(page.getByRole('heading', { name: /您签约的团队/ }).textContent()).resolves.toContain('测试团队');
    expect(await page.textContent('body')).toContain('王医生（全科医生）');

    await page
      .getByRole('group', { name: /总体满意度/ })
      .getByLabel('5')
      .check();
    await page
      .getByRole('group', { name: /服务态度/ })
      .getByLabel('4')
      .check();
    await page.getByRole('group', { name: /沟通/ }).getByLabel('5').check();
    // the fourth question with the keyboard: focus its first option and move with the arrow keys
    await page
      .getByRole('group', { name: /方便程度/ })
      .getByLabel('1')
      .focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.getByLabel('其他意见或建议').fill('医生很耐心');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/survey-form.png`, fullPage: true });
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('感谢您的评价');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/survey-thanks.png`, fullPage: true });

    await page.goto(server.baseUrl + links[0]);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('不能重复提交');
    await page.close();
  });

  it('switches to English and explains what to correct', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}${links[1]}?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page
      .getByRole('group', { name: /Overall satisfaction/ })
      .getByLabel('4')
      .check();
    // skip the browser's own required-field check to see the server's message
    await page.evaluate(() => {
      for (const input of document.querySelectorAll('input[required]')) input.removeAttribute('required');
    });
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Please correct');
    expect(await page.textContent('body')).toContain('Please answer this question');
    expect(
      await page
        .getByRole('group', { name: /Overall satisfaction/ })
        .getByLabel('4')
        .isChecked(),
    ).toBe(true);
    await page.close();
  });
});
