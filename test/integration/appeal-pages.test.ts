/**
 * Appeals from pages and their attachments against DynamoDB Local (issue 14 item 5): a clerk files
 * an appeal from a scorecard's indicator with a file, which is typed by its content and bounded in
 * size and number (also when attachments race); only the institution's clerk and the district's
 * evaluators download it; the evaluator decides on the period page, and the clerk sees the decision.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getAppeal, appealsOfPeriod } from '#shared/data/appeals.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { ATTACHMENT_FORM_LIMIT_BYTES, MAX_ATTACHMENT_BYTES } from '#shared/domain/appeal-attachments.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { type PublishedPeriod, publishedPeriod, runFinished } from '../support/published-period.ts';

const D = 'appeal-pages-d';
const PERIOD = '2026Q3';
let now = new Date('2026-10-05T08:00:00+08:00');
let stack: TestStack;
let p: PublishedPeriod;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0]);
const pdf = (bytes: number) => {
  const content = new Uint8Array(bytes).fill(0x20);
  content.set(new TextEncoder().encode('%PDF-1.4\n'));
  return content;
};

function multipart(path: string, token: string, fields: Record<string, string>, file?: { name: string; type: string; content: Uint8Array }) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set('file', new File([file.content as Uint8Array<ArrayBuffer>], file.name, { type: file.type }));
  return stack.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
}

const teamOf = (index: number) => p.district.teams.filter((t) => t.institutionId === p.district.institutionIds[index])[0]!;
const appealFields = (teamId: string, claimedValue = '9') => ({
  teamId,
  indicator: 'home-visits',
  metric: 'home-visits-80plus',
  claimedValue,
  reason: '上报时漏记了 6 次上门服务',
});
const appealsNow = async () => appealsOfPeriod(stack.db, D, PERIOD);

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  p = await publishedPeriod(stack, (iso) => (now = new Date(iso)), {
    districtId: D,
    period: PERIOD,
    before: '2026-10-05T08:00:00+08:00',
    after: '2026-10-12T09:00:00+08:00',
  });
});

describe('a clerk appeals from pages', () => {
  let appealId: string;

  it("shows the deadline, the review window and the institution's appeals on the clerk's home", async () => {
    const html = await (await stack.request('GET', '/clerk', { token: p.clerks[0] })).text();
    expect(html).toContain('数据截止');
    expect(html).toContain('2026Q3结果申诉'.replace('2026Q3', '2026年第三季度'));
    expect(html).toContain('公示期内可以申诉，截止 2026-10-19');
    expect(html).toContain('本机构待处理申诉 0 项');
  });

  it("links each indicator of a scorecard to the appeal form during the review window, which names the clerk's teams", async () => {
    const team = teamOf(0);
    const scorecard = await stack.request('GET', `/clerk/scorecards/${p.officialRunId}/${team.teamId}`, { token: p.clerks[0] });
    expect(scorecard.status).toBe(200);
    const href = `/clerk/appeals?period=${PERIOD}&amp;teamId=${team.teamId}&amp;indicator=home-visits`;
    expect(await scorecard.text()).toContain(href);
    const form = await (await stack.request('GET', href.replaceAll('&amp;', '&'), { token: p.clerks[0] })).text();
    expect(form).toContain('公示期内可以申诉');
    expect(form).toMatch(new RegExp(`<option value="${team.teamId}" selected="">${team.name}</option>`));
    expect(form).toContain('高龄老人上门服务');
    // another institution's team is not offered
    expect(form).not.toContain(teamOf(1).name);
  });

  it('files the appeal, then attaches an image whose type is found in its bytes, not its name', async () => {
    const filed = await multipart(`/clerk/appeals?period=${PERIOD}`, p.clerks[0]!, appealFields(teamOf(0).teamId));
    expect(filed.status, await filed.clone().text()).toBe(303);
    const [appeal] = await appealsNow();
    appealId = appeal!.appealId;
    expect(filed.headers.get('location')).toBe(`/clerk/appeals?period=${PERIOD}&lang=zh&done=filed#${appealId}`);
    expect((await getPeriodStatus(stack.db, D, PERIOD)).openAppeals).toBe(1);

    const attached = await multipart(
      `/clerk/appeals/${appealId}/attachments?period=${PERIOD}`,
      p.clerks[0]!,
      {},
      {
        name: 'evidence.pdf',
        type: 'application/pdf',
        content: PNG,
      },
    );
    expect(attached.status, await attached.clone().text()).toBe(303);
    expect(attached.headers.get('location')).toBe(`/clerk/appeals?period=${PERIOD}&lang=zh&done=attached#${appealId}`);
    const stored = await getAppeal(stack.db, appealId);
    expect(stored!.attachments).toEqual([expect.objectContaining({ fileName: 'evidence.png', contentType: 'image/png', bytes: PNG.byteLength })]);

    const page = await (await stack.request('GET', `/clerk/appeals?period=${PERIOD}&done=attached`, { token: p.clerks[0] })).text();
    expect(page).toContain('附件已添加');
    expect(page).toContain('evidence.png');
    expect(page).toContain('待处理');
    const download = await stack.request('GET', `/appeals/${appealId}/attachments/${stored!.attachments![0]!.attachmentId}`, { token: p.clerks[0] });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''evidence.png");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
  });

  it('refuses a file that is not a PDF or an image, or too large, and keeps nothing of it', async () => {
    const attach = (content: Uint8Array, lang = 'zh') =>
      multipart(
        `/clerk/appeals/${appealId}/attachments?period=${PERIOD}&lang=${lang}`,
        p.clerks[0]!,
        {},
        { name: 'scan.pdf', type: 'application/pdf', content },
      );
    const text = await attach(new TextEncoder().encode('<script>alert(1)</script>'));
    expect(text.status).toBe(422);
    expect(await text.text()).toContain('附件须为 PDF、PNG 或 JPEG 文件');
    const large = await attach(pdf(MAX_ATTACHMENT_BYTES + 1), 'en');
    expect(large.status).toBe(422);
    expect(await large.text()).toContain('An attachment may not exceed 4 MB.');
    // a body past the form's limit is cut off before it is read whole
    expect((await attach(pdf(ATTACHMENT_FORM_LIMIT_BYTES + 1))).status).toBe(413);
    expect((await getAppeal(stack.db, appealId))!.attachments).toHaveLength(1);
    const missing = await multipart(`/clerk/appeals?period=${PERIOD}`, p.clerks[0]!, { ...appealFields(teamOf(0).teamId), claimedValue: 'nine' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('请填写数字');
    expect(await appealsNow()).toHaveLength(1);
  });

  it('keeps at most three attachments per appeal when several are added at once', async () => {
    const attach = () => multipart(`/appeals/${appealId}/attachments`, p.clerks[0]!, {}, { name: '照片.jpg', type: 'image/jpeg', content: JPEG });
    const responses = await Promise.all([attach(), attach(), attach(), attach()]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 201).length + statuses.filter((s) => s === 409 || s === 422).length).toBe(4);
    const stored = await getAppeal(stack.db, appealId);
    expect(stored!.attachments).toHaveLength(3);
    expect(stored!.attachments!.slice(1).map((a) => [a.fileName, a.contentType])).toEqual([
      ['照片.jpg', 'image/jpeg'],
      ['照片.jpg', 'image/jpeg'],
    ]);
    const fourth = await attach();
    expect(fourth.status).toBe(422);
    expect(await fourth.json()).toMatchObject({ code: 'attachment-limit' });
  });

  it("lets only the institution's clerk and the district's evaluators download an attachment (authorization rows)", async () => {
    const appeal = await getAppeal(stack.db, appealId);
    const path = `/appeals/${appealId}/attachments/${appeal!.attachments![0]!.attachmentId}`;
    const otherDistrict = 'appeal-pages-other';
    const rows: [string, string | undefined, number][] = [
      ['no sign-in', undefined, 401],
      ["the institution's clerk", p.clerks[0], 200],
      ["another institution's clerk", p.clerks[1], 404],
      ["the district's evaluator", p.evaluator, 200],
      ["another district's evaluator", await stack.token('evaluator', { districtId: otherDistrict }), 404],
      ["the district's finance officer", await stack.token('finance', { districtId: D }), 403],
      ['an administrator', await stack.token('admin'), 403],
      ['a resident', await stack.token('resident', { identityNumber: '110101199003070000' }), 403],
    ];
    for (const [who, token, status] of rows) {
      const response = await stack.request('GET', path, token ? { token } : {});
      expect(response.status, who).toBe(status);
      if (status === 200) expect(new Uint8Array(await response.arrayBuffer()), who).toEqual(PNG);
    }
    // adding files: the institution's clerk only
    const add = (token: string) => multipart(`/appeals/${appealId}/attachments`, token, {}, { name: 'a.png', type: 'image/png', content: PNG });
    expect((await add(p.clerks[1]!)).status).toBe(404);
    expect((await add(p.evaluator)).status).toBe(403);
    expect((await stack.request('GET', `/appeals/${appealId}/attachments/att-unknown`, { token: p.clerks[0] })).status).toBe(404);
  });

  it('is decided by the evaluator on the period page, by names, and the clerk sees the decision and the changed results', async () => {
    const periods = await (await stack.request('GET', `/evaluator/districts/${D}/periods`, { token: p.evaluator })).text();
    expect(periods).toContain(`href="/evaluator/districts/${D}/periods"`);
    expect(periods).toContain('公示中');
    const page = await (await stack.request('GET', `/evaluator/districts/${D}/periods/${PERIOD}`, { token: p.evaluator })).text();
    expect(page).toContain(teamOf(0).name);
    expect(page).toContain('高龄老人上门服务');
    expect(page).toContain(`/appeals/${appealId}/attachments/`);
    expect(page).toContain(`/evaluator/appeals/${appealId}/decision`);
    expect(page).not.toContain(`>${p.officialRunId}<`);

    const form = new URLSearchParams({ decision: 'accept', reason: '核对上门记录属实', value: '8' });
    const decided = await stack.app.request(`/evaluator/appeals/${appealId}/decision?lang=zh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.evaluator}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(decided.status, await decided.clone().text()).toBe(303);
    const appeal = await getAppeal(stack.db, appealId);
    expect(appeal).toMatchObject({ status: 'accepted', acceptedValue: 8, decisionReason: '核对上门记录属实' });
    await runFinished(stack, appeal!.correctionRunId!);

    const clerkPage = await (await stack.request('GET', `/clerk/appeals?period=${PERIOD}`, { token: p.clerks[0] })).text();
    expect(clerkPage).toContain('已采纳');
    expect(clerkPage).toContain('核对上门记录属实');
    expect(clerkPage).toContain('结果变化');
    expect(clerkPage).toContain(`${teamOf(0).name}：总分`);
    // no more files once decided
    const late = await multipart(`/appeals/${appealId}/attachments`, p.clerks[0]!, {}, { name: 'a.png', type: 'image/png', content: PNG });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'appeal-decided' });
  });
});
