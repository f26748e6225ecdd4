/**
 * The local sign-in page (local/dev-auth.ts, issue 15): Chinese by default, English by the same
 * switch and gk_lang cookie as every page, the demo district's people by name and role in that
 * language, and one-click sign-in as each of them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createInstitution } from '#shared/data/institutions.ts';
import { createTestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack();
  await createTestDistrict(stack.db, 'haidian', { institutions: 1, teamsPerInstitution: 1 });
  await createInstitution(stack.db, {
    institutionId: 'inst-001',
    districtId: 'haidian',
    name: '演示社区卫生服务中心',
    ownership: 'government',
    level: 'community-health-centre',
    servicePackages: [],
    createdAt: '2026-01-01T00:00:00.000Z',
  });
});

const get = (path: string, headers: Record<string, string> = {}) => stack.app.request(path, { headers });

describe('GET /login', () => {
  it('is Chinese by default, with the demo people and their roles named in Chinese', async () => {
    const html = await (await get('/login?next=%2Fadmin')).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('选择演示身份登录');
    expect(html).toContain('<option value="admin" >系统管理员</option>');
    expect(html).toContain('<strong>王建国</strong> · 系统管理员');
    expect(html).toContain('<strong>孙丽</strong> · 机构数据员 · haidian 区 · 演示社区卫生服务中心');
    expect(html).toContain('以李娜的身份登录');
    expect(html).not.toContain('Sign in as');
  });

  it('switches to English with ?lang=en, remembers it in the gk_lang cookie, and names the people in English', async () => {
    const response = await get('/login?lang=en');
    expect(response.headers.get('set-cookie')).toMatch(/gk_lang=en/);
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<strong>Zhao Min</strong> · Evaluator');
    expect(html).toContain('Sign in as Chen Gang');
    const remembered = await (await get('/login', { cookie: 'gk_lang=en' })).text();
    expect(remembered).toContain('Sign in as a demo identity');
    expect(remembered).toContain('href="/login?lang=zh&amp;next=%2F"');
  });

  it('signs in as a listed person in one click, and refuses a bad form in the chosen language', async () => {
    const post = (body: Record<string, string>) =>
      stack.app.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
        body: new URLSearchParams(body).toString(),
      });
    const signedIn = await post({ next: '/admin', lang: 'zh', role: 'finance', subject: 'finance-li', districtId: 'haidian', institutionId: '' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/admin');
    expect(signedIn.headers.get('set-cookie')).toMatch(/gk_token=/);
    // the demo person's token names them: the pages' header shows the name, not the account
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const home = await (await stack.app.request('/finance', { headers: { cookie } })).text();
    expect(home).toMatch(/data-testid="session"><span>李娜<\/span>/);
    // the same account name in another role or district is not that person: the account is shown
    const other = await post({ next: '/', lang: 'zh', role: 'evaluator', subject: 'finance-li', districtId: 'haidian', institutionId: '' });
    const otherHome = await (await stack.app.request('/evaluator', { headers: { cookie: other.headers.get('set-cookie')!.split(';')[0]! } })).text();
    expect(otherHome).toMatch(/data-testid="session"><span>finance-li<\/span>/);
    const refused = await post({ next: '/', lang: 'en', role: 'nobody' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Pick a role');
    const refusedZh = await post({ next: '/', lang: 'zh', role: 'nobody' });
    expect(await refusedZh.text()).toContain('请选择角色');
  });
});
