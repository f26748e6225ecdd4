/**
 * The evaluator's survey-invitation page (HTML, zh-CN by default, ?lang=en; sign-in by the
 * gk_token cookie or a bearer token; works without JavaScript).
 *
 * GET  /evaluator/districts/{districtId}/invitations?period=   admin, evaluator: the draw form and the period's invitations, status only
 * POST /evaluator/districts/{districtId}/invitations           admin, evaluator: draw, and download the links as CSV for the SMS gateway
 *
 * The links are given out once, in that download (only their hashes are stored); the page
 * never shows a link again, only whether each invitation was answered or has expired.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import * as z from '#shared/schemas/zod.ts';
import { quarterOf } from '#shared/domain/periods.ts';
import { todayIso } from '#shared/domain/dates.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { type InvitationStatusView, listInvitationStatus } from '#shared/data/surveys.ts';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, DEFAULT_BODY_LIMIT_BYTES } from '#shared/http/api.ts';
import { type FieldError, zodFieldErrors } from '#shared/domain/field-errors.ts';
import { assertDistrictInPath } from '#shared/http/scope.ts';
import { idSchema } from '#shared/schemas/common.ts';
import { createInvitationsSchema } from '#shared/schemas/surveys.ts';
import { drawInvitations, invitationFileName, invitationLinksCsv } from '#shared/services/survey-invitations.ts';
import { formValues } from '#shared/web/forms.ts';
import { type Lang, langOf } from '#shared/web/lang.ts';
import { Layout } from '#shared/web/layout.tsx';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse } from '#shared/web/responses.ts';

const EDITORS = ['admin', 'evaluator'] as const;
const PER_PAGE = 100;

const TEXT = {
  zh: {
    title: (district: string) => `${district} · 满意度调查邀请`,
    drawTitle: '抽取并下载邀请链接',
    drawHint: '按团队随机抽取签约居民，生成一次性链接。链接只在这次下载的 CSV 文件中出现一次（交给短信网关发送）；之后本页只显示每个邀请的状态。',
    period: '周期',
    sample: '每个团队抽取人数',
    validDays: '有效天数',
    draw: '抽取并下载 CSV',
    statusTitle: '邀请状态',
    show: '查看',
    none: '该周期没有邀请。',
    id: '邀请编号',
    team: '团队',
    status: '状态',
    answeredOn: '回答日期',
    expiresAt: '到期',
    states: { sent: '已发出', answered: '已回答', expired: '已过期' },
    next: '下一页',
    fix: '请更正以下内容：',
  },
  en: {
    title: (district: string) => `${district} · survey invitations`,
    drawTitle: 'Draw and download invitation links',
    drawHint:
      'Draws contracted residents at random per team and issues single-use links. The links appear once, in the CSV file of this download (for the SMS gateway); afterwards this page shows only the status of each invitation.',
    period: 'Period',
    sample: 'Residents per team',
    validDays: 'Valid for (days)',
    draw: 'Draw and download CSV',
    statusTitle: 'Invitation status',
    show: 'Show',
    none: 'No invitations for this period.',
    id: 'Invitation',
    team: 'Team',
    status: 'Status',
    answeredOn: 'Answered on',
    expiresAt: 'Expires',
    states: { sent: 'Sent', answered: 'Answered', expired: 'Expired' },
    next: 'Next page',
    fix: 'Please correct:',
  },
} as const;

const invitationsPagePath = (districtId: string) => `/evaluator/districts/${encodeURIComponent(districtId)}/invitations`;

interface DrawForm {
  period: string;
  samplePerTeam: string;
  validDays: string;
}

function InvitationsPage(props: {
  lang: Lang;
  districtId: string;
  districtName: string;
  period: string;
  items: InvitationStatusView[];
  nextCursor: string | null;
  form: DrawForm;
  errors: FieldError[];
}) {
  const { lang } = props;
  const t = TEXT[lang];
  const action = `${invitationsPagePath(props.districtId)}?lang=${lang}`;
  const next = props.nextCursor
    ? `${invitationsPagePath(props.districtId)}?${new URLSearchParams({ lang, period: props.period, cursor: props.nextCursor })}`
    : null;
  return (
    <Layout
      lang={lang}
      title={t.title(props.districtName)}
      switchHref={`${invitationsPagePath(props.districtId)}?${new URLSearchParams({ lang: lang === 'zh' ? 'en' : 'zh', period: props.period })}`}
    >
      <h1>{t.title(props.districtName)}</h1>
      <form method="post" action={action} class="card" data-testid="draw-form">
        <h2>{t.drawTitle}</h2>
        <p class="hint">{t.drawHint}</p>
        {props.errors.length > 0 ? (
          <div class="notice refused" role="alert">
            <p>{t.fix}</p>
            <ul data-testid="problems">
              {props.errors.map((e) => (
                <li>
                  <code>{e.field.replace(/^body\./, '')}</code> {e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <input type="hidden" name="lang" value={lang} />
        <p>
          <label>
            {t.period} <input name="period" value={props.form.period} required pattern="\d{4}(Q[1-4])?" autocomplete="off" />
          </label>
        </p>
        <p>
          <label>
            {t.sample} <input name="samplePerTeam" type="number" min="1" max="200" value={props.form.samplePerTeam} required />
          </label>
        </p>
        <p>
          <label>
            {t.validDays} <input name="validDays" type="number" min="1" max="90" value={props.form.validDays} required />
          </label>
        </p>
        <button type="submit">{t.draw}</button>
      </form>
      <section class="card">
        <h2>{t.statusTitle}</h2>
        <form method="get" action={invitationsPagePath(props.districtId)}>
          <input type="hidden" name="lang" value={lang} />
          <label>
            {t.period} <input name="period" value={props.period} pattern="\d{4}(Q[1-4])?" autocomplete="off" />
          </label>{' '}
          <button type="submit">{t.show}</button>
        </form>
        {props.items.length === 0 ? (
          <p class="hint">{t.none}</p>
        ) : (
          <table data-testid="invitations">
            <thead>
              <tr>
                <th>{t.id}</th>
                <th>{t.team}</th>
                <th>{t.status}</th>
                <th>{t.answeredOn}</th>
                <th>{t.expiresAt}</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((i) => (
                <tr data-status={i.status}>
                  <td>
                    <code>{i.invitationId}</code>
                  </td>
                  <td>{i.teamId}</td>
                  <td>{t.states[i.status]}</td>
                  <td>{i.answeredOn ?? '—'}</td>
                  <td>{i.expiresAt.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next ? (
          <p>
            <a href={next}>{t.next}</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

export function registerInvitationPages(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  const { db } = deps;
  const params = z.object({ districtId: idSchema });

  async function render(
    c: Context<ApiEnv>,
    districtId: string,
    lang: Lang,
    view: { period: string; cursor?: string | undefined; form?: DrawForm; errors?: FieldError[] },
    status: 200 | 400,
  ) {
    const [district, page] = await Promise.all([
      requireDistrict(db, districtId),
      listInvitationStatus(db, districtId, view.period, deps.now(), PER_PAGE, view.cursor),
    ]);
    const form = view.form ?? { period: view.period, samplePerTeam: '10', validDays: '30' };
    const html = (
      <InvitationsPage
        lang={lang}
        districtId={districtId}
        districtName={district.name}
        period={view.period}
        items={page.items}
        nextCursor={page.nextCursor}
        form={form}
        errors={view.errors ?? []}
      />
    );
    return htmlPage(c, html, status);
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/districts/{districtId}/invitations',
      tags: ['evaluator pages'],
      summary: "Page: draw survey invitations (the links are downloaded once) and the period's invitations with their status",
      ...pageAccess(deps, EDITORS, { bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES }),
      request: {
        params,
        query: z.object({ lang: z.string().max(8).optional(), period: z.string().max(16).optional(), cursor: z.string().max(2048).optional() }),
      },
      responses: {
        200: htmlResponse('The page'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district'),
        404: htmlResponse('No such district'),
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const query = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      const period = query.period && /^\d{4}(Q[1-4])?$/.test(query.period) ? query.period : quarterOf(todayIso(deps.now()));
      return render(c, districtId, langOf(query.lang), { period, cursor: query.cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/districts/{districtId}/invitations',
      tags: ['evaluator pages'],
      summary: 'Page form: draw invitations (period, samplePerTeam, validDays, lang) and download their links as CSV, the only time they are given out',
      ...pageAccess(deps, EDITORS, { bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES }),
      request: { params },
      responses: {
        200: { description: 'The links for the SMS gateway (a download)', content: { 'text/csv': { schema: z.string() } } },
        400: htmlResponse('The page with what to correct'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district, or a cross-site form'),
        404: htmlResponse('No such district'),
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      const values = await formValues(c);
      const text = (name: string) => values[name] ?? '';
      const lang = langOf(text('lang') || c.req.query('lang'));
      const form: DrawForm = { period: text('period').trim(), samplePerTeam: text('samplePerTeam').trim(), validDays: text('validDays').trim() };
      const parsed = createInvitationsSchema.safeParse({
        period: form.period,
        samplePerTeam: Number(form.samplePerTeam),
        validDays: Number(form.validDays || 30),
      });
      if (!parsed.success) {
        const period = /^\d{4}(Q[1-4])?$/.test(form.period) ? form.period : quarterOf(todayIso(deps.now()));
        return render(c, districtId, lang, { period, form, errors: zodFieldErrors(parsed.error, 'body') }, 400);
      }
      const expiresAtMs = deps.now().getTime() + parsed.data.validDays * 86_400_000;
      const drawn = await drawInvitations(db, {
        districtId,
        period: parsed.data.period,
        samplePerTeam: parsed.data.samplePerTeam,
        expiresAt: Math.floor(expiresAtMs / 1000),
      });
      const csv = invitationLinksCsv(drawn.invitations, {
        origin: new URL(c.req.url).origin,
        period: parsed.data.period,
        expiresAt: new Date(expiresAtMs).toISOString(),
      });
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${invitationFileName(districtId, parsed.data.period)}"`,
        'cache-control': 'no-store',
      }) as never;
    },
  );
}
