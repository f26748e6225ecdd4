/// <reference lib="dom" />
/**
 * The resident's survey pages at 390 px (a phone) in a real headless Chromium: the verbal anchors
 * of the scale, answers kept when the language is switched on the form, the thank-you page in the
 * language answered, a resident who already answered told so before any form, and the centre's
 * phone number on refusal pages; axe-core on every page, no English on the Chinese ones.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishOnChinesePage, launchChromium, SCREENSHOT_DIR, serveStack, seriousAxeViolations } from '../support/browser.ts';
import { testIdentityNumbers } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS } from '#shared/data/districts.ts';

const D = 'page-res';
const PHONE = '010-62345678';
let stack: TestStack;
let browser: Browser;
let server: { baseUrl: string; close: () => Promise<void> };
let links: string[];

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  await createDistrict(stack.db, {
    districtId: D,
    name: '海淀区',
    province: '北京市',
    settings: DEFAULT_DISTRICT_SETTINGS,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const admin = await stack.token('admin');
  const institution = (await (
    await stack.request('POST', `/districts/${D}/institutions`, {
      token: admin,
      body: {
        name: '学院路社区卫生服务中心',
        ownership: 'government',
        level: 'community-health-centre',
        servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
        phone: PHONE,
      },
    })
  ).json()) as { institutionId: string; phone?: string };
  expect(institution.phone).toBe(PHONE);
  const team = (await (
    await stack.request('POST', `/institutions/${institution.institutionId}/teams`, {
      token: admin,
      body: {
        name: '王医生团队',
        members: [
          { name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
          { name: '李护士', role: 'community-nurse', joinedOn: '2025-01-01' },
        ],
      },
    })
  ).json()) as { teamId: string };
  const residents = testIdentityNumbers(3, 700);
  for (const identityNumber of residents) {
    const signed = await stack.request('POST', '/contracts', {
      token: admin,
      body: { teamId: team.teamId, identityNumber, insured: true, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } },
    });
    expect(signed.status).toBe(201);
  }
  const created = (await (
    await stack.request('POST', `/districts/${D}/survey-invitations`, { token: admin, body: { period: '2026Q4', samplePerTeam: 3 } })
  ).json()) as {
    invitations: { link: string }[];
  };
  links = created.invitations.map((i) => new URL(i.link).pathname);
  // one resident answers in the app before opening their link
  const resident = await stack.token('resident', { identityNumber: residents[2]! });
  const answered = await stack.request('POST', '/surveys', { token: resident, body: { answers: { overall: 4, attitude: 4, communication: 4, access: 4 } } });
  expect(answered.status).toBe(201);
  server = await serveStack(stack);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function checkPage(page: Page, name: string, lang: 'zh' | 'en'): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/resident-${name}.png`, fullPage: true });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  expect(await page.getAttribute('html', 'lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
  if (lang === 'zh') expect(await englishOnChinesePage(page), `English on ${name}`).toEqual([]);
}

/** The links' pages as a resident opens them first: the form, or "already answered". */
async function linkStates(): Promise<{ form: string[]; answered: string[] }> {
  const form: string[] = [];
  const answered: string[] = [];
  for (const link of links) {
    const response = await fetch(server.baseUrl + link);
    const html = await response.text();
    (html.includes('data-testid="already-answered"') ? answered : form).push(link);
  }
  return { form, answered };
}

describe('resident survey pages on a phone', () => {
  it('keeps the answers when switching language on the form and thanks in the language answered', async () => {
    const { form } = await linkStates();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(server.baseUrl + form[0]);
    const overall = page.getByRole('group', { name: /总体满意度/ });
    await expect(overall.innerText()).resolves.toContain('很不满意');
    await expect(overall.innerText()).resolves.toContain('非常满意');
    await checkPage(page, 'form-zh', 'zh');
    await overall.getByLabel(/^5/).check();
    await page
      .getByRole('group', { name: /服务态度/ })
      .getByLabel(/^4/)
      .check();
    await page.getByLabel('其他意见或建议').fill('医生很耐心');

    await page.getByTestId('switch-lang').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(
      await page
        .getByRole('group', { name: /Overall satisfaction/ })
        .getByLabel(/^5/)
        .isChecked(),
    ).toBe(true);
    expect(
      await page
        .getByRole('group', { name: /attitude/i })
        .getByLabel(/^4/)
        .isChecked(),
    ).toBe(true);
    await expect(page.getByRole('group', { name: /Overall satisfaction/ }).innerText()).resolves.toContain('Very satisfied');
    await checkPage(page, 'form-en', 'en');
    await page
      .getByRole('group', { name: /communicat/i })
      .getByLabel(/^5/)
      .check();
    await page
      .getByRole('group', { name: /Ease of reaching/ })
      .getByLabel(/^3/)
      .check();
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Thank you');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await checkPage(page, 'thanks-en', 'en');

    // the used link refuses, with the centre's phone number
    await page.goto(server.baseUrl + form[0]);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('不能重复提交');
    expect(await page.getByTestId('centre-help').innerText()).toBe(`如有疑问，请致电学院路社区卫生服务中心：${PHONE}`);
    await checkPage(page, 'refused', 'zh');
    await page.close();
  });

  it('tells a resident who already answered in the app before showing any form', async () => {
    const { answered } = await linkStates();
    expect(answered).toHaveLength(1);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const response = await page.goto(server.baseUrl + answered[0]);
    expect(response?.status()).toBe(409);
    await expect(page.getByTestId('already-answered').innerText()).resolves.toContain('已经评价过');
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.getByTestId('centre-help').innerText()).toContain(PHONE);
    await checkPage(page, 'already-answered', 'zh');
    await page.close();
  });
});
