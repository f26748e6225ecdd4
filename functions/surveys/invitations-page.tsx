/**
 * The evaluator's survey-invitation page (HTML, zh-CN by default, the language from the gk_lang cookie or ?lang=; sign-in by the
 * gk_token cookie or a bearer token; works without JavaScript).
 *
 * GET  /evaluator/districts/{districtId}/invitations?period=   admin, evaluator: the draw form, response rates per institution and team, the invitations'
 *   status
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
import { chinaTime, dateLabel, periodLabel } from '#shared/web/format.ts';
import { type Lang, langOf, pageLang } from '#shared/web/lang.ts';
import { shellOf, type Shell, StaffPage } from '#shared/web/shell.tsx';
import { invitationResponseRates, type ResponseCount, type ResponseRates, responseRate } from '#shared/services/invitation-response-rates.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse } from '#shared/web/responses.ts';

const EDITORS = ['admin', 'evaluator'] as const;
const PER_PAGE = 100;

const TEXT = {
  zh: {
    title: (district: string) => `${district} · 满意度调查邀请`,
    drawTitle: '抽取并下载邀请链接',
    drawHint: '按团队随机抽取签约居民，生成一次性链接。链接只在这次下载的 CSV 文件中出现一次（交给短信网关发送）；之后本页只显示每个邀请的状态。',
    period: '周期（如 2026Q4）',
    sample: '每个团队抽取人数',
    validDays: '有效天数',
    draw: '抽取并下载 CSV',
    ratesTitle: (period: string) => `${period}回复率`,
    ratesHint: '邀请在过期后一段时间会被自动删除，早已过期的周期只统计仍保留的邀请。',
    totals: (invited: number, responded: number, rate: string) => `共邀请 ${invited} 人，已回答 ${responded} 人，回复率 ${rate}`,
    byInstitution: '各机构',
    byTeam: (n: number) => `各团队（${n} 个）`,
    institution: '机构',
    invited: '邀请人数',
    responded: '已回答',
    expiredCount: '已过期未答',
    rate: '回复率',
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
    fix: '请更正标出的内容。',
  },
  en: {
    title: (district: string) => `${district} · survey invitations`,
    drawTitle: 'Draw and download invitation links',
    drawHint:
      'Draws contracted residents at random per team and issues single-use links. ' +
      'The links appear once, in the CSV file of this download (for the SMS gateway); afterwards this page shows only the status of each invitation.',
    period: 'Period (e.g. 2026Q4)',
    sample: 'Residents per team',
    validDays: 'Valid for (days)',
    draw: 'Draw and download CSV',
    ratesTitle: (period: string) => `Response rates, ${period}`,
    ratesHint: 'Invitations are deleted some time after they expire: for a period whose links expired long ago only those still held are counted.',
    totals: (invited: number, responded: number, rate: string) => `${invited} invited, ${responded} answered, response rate ${rate}`,
    byInstitution: 'By institution',
    byTeam: (n: number) => `By team (${n})`,
    institution: 'Institution',
    invited: 'Invited',
    responded: 'Answered',
    expiredCount: 'Expired unanswered',
    rate: 'Response rate',
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
    fix: 'Please correct the marked fields.',
  },
} as const;

const invitationsPagePath = (districtId: string) => `/evaluator/districts/${encodeURIComponent(districtId)}/invitations`;

interface DrawForm {
  period: string;
  samplePerTeam: string;
  validDays: string;
}

const percent = (count: ResponseCount) => {
  const rate = responseRate(count);
  return rate === null ? '—' : `${rate}%`;
};

function RateCells(props: { count: ResponseCount }) {
  return (
    <>
      <td class="num">{props.count.invited}</td>
      <td class="num">{props.count.responded}</td>
      <td class="num">{props.count.expired}</td>
      <td class="num">{percent(props.count)}</td>
    </>
  );
}

function InvitationsPage(props: {
  shell: Shell;
  districtId: string;
  districtName: string;
  period: string;
  items: InvitationStatusView[];
  nextCursor: string | null;
  rates: ResponseRates;
  form: DrawForm;
  errors: FieldError[];
}) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const action = `${invitationsPagePath(props.districtId)}?lang=${lang}`;
  const next = props.nextCursor
    ? `${invitationsPagePath(props.districtId)}?${new URLSearchParams({ lang, period: props.period, cursor: props.nextCursor })}`
    : null;
  const teamNames = new Map(props.rates.teams.map((team) => [team.teamId, team]));
  const problem = (field: string) => props.errors.find((e) => e.field === `body.${field}`)?.message;
  const field = (name: keyof DrawForm, label: string, input: Record<string, string | boolean>) => (
    <label class="field" for={`draw-${name}`}>
      {label}
      <input
        id={`draw-${name}`}
        name={name}
        value={props.form[name]}
        required
        {...input}
        {...(problem(name) ? { 'aria-invalid': 'true', 'aria-describedby': `draw-${name}-error` } : {})}
      />
      {problem(name) ? (
        <span class="error" id={`draw-${name}-error`}>
          {problem(name)}
        </span>
      ) : null}
    </label>
  );
  const rateHead = (first: string[]) => (
    <thead>
      <tr>
        {first.map((h) => (
          <th scope="col">{h}</th>
        ))}
        <th scope="col" class="num">
          {t.invited}
        </th>
        <th scope="col" class="num">
          {t.responded}
        </th>
        <th scope="col" class="num">
          {t.expiredCount}
        </th>
        <th scope="col" class="num">
          {t.rate}
        </th>
      </tr>
    </thead>
  );
  const periodName = periodLabel(props.period, lang);
  return (
    <StaffPage shell={props.shell} title={t.title(props.districtName)}>
      <h1>{t.title(props.districtName)}</h1>
      <form method="post" action={action} class="card" data-testid="draw-form">
        <h2>{t.drawTitle}</h2>
        <p class="hint">{t.drawHint}</p>
        {props.errors.length > 0 ? (
          <p class="error" role="alert" data-testid="problems">
            {t.fix}
          </p>
        ) : null}
        <input type="hidden" name="lang" value={lang} />
        <div class="fields">
          {field('period', t.period, { pattern: '\\d{4}(Q[1-4])?', autocomplete: 'off' })}
          {field('samplePerTeam', t.sample, { type: 'number', min: '1', max: '200' })}
          {field('validDays', t.validDays, { type: 'number', min: '1', max: '90' })}
        </div>
        <button type="submit">{t.draw}</button>
      </form>
      <section class="card" aria-labelledby="rates-heading" data-testid="response-rates">
        <h2 id="rates-heading">{t.ratesTitle(periodName)}</h2>
        <form method="get" action={invitationsPagePath(props.districtId)} class="actions">
          <input type="hidden" name="lang" value={lang} />
          <label class="field" for="show-period">
            {t.period}
            <input id="show-period" name="period" value={props.period} pattern="\d{4}(Q[1-4])?" autocomplete="off" />
          </label>
          <div>
            <button type="submit" class="secondary">
              {t.show}
            </button>
          </div>
        </form>
        {props.rates.total.invited === 0 ? (
          <p class="hint">{t.none}</p>
        ) : (
          <>
            <p data-testid="rates-total">{t.totals(props.rates.total.invited, props.rates.total.responded, percent(props.rates.total))}</p>
            <p class="hint">{t.ratesHint}</p>
            <h3>{t.byInstitution}</h3>
            <div class="scroll">
              <table data-testid="rates-institutions">
                {rateHead([t.institution])}
                <tbody>
                  {props.rates.institutions.map((i) => (
                    <tr>
                      <td>{i.institutionName}</td>
                      <RateCells count={i} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <details data-testid="rates-teams-details">
              <summary>{t.byTeam(props.rates.teams.length)}</summary>
              <div class="scroll">
                <table data-testid="rates-teams">
                  {rateHead([t.institution, t.team])}
                  <tbody>
                    {props.rates.teams.map((team) => (
                      <tr>
                        <td>{team.institutionName}</td>
                        <td>{team.teamName}</td>
                        <RateCells count={team} />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </section>
      {props.items.length > 0 ? (
        <section class="card" aria-labelledby="status-heading">
          <h2 id="status-heading">{t.statusTitle}</h2>
          <div class="scroll">
            <table data-testid="invitations">
              <thead>
                <tr>
                  <th scope="col">{t.id}</th>
                  <th scope="col">{t.institution}</th>
                  <th scope="col">{t.team}</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">{t.answeredOn}</th>
                  <th scope="col">{t.expiresAt}</th>
                </tr>
              </thead>
              <tbody>
                {props.items.map((i) => (
                  <tr data-status={i.status}>
                    <td>
                      <code>{i.invitationId}</code>
                    </td>
                    <td>{teamNames.get(i.teamId)?.institutionName ?? ''}</td>
                    <td>{teamNames.get(i.teamId)?.teamName ?? ''}</td>
                    <td>{t.states[i.status]}</td>
                    <td>{i.answeredOn ? dateLabel(i.answeredOn, lang) : '—'}</td>
                    <td>{chinaTime(i.expiresAt, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next ? (
            <p>
              <a href={next}>{t.next}</a>
            </p>
          ) : null}
        </section>
      ) : null}
    </StaffPage>
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
    const [district, page, rates, shell] = await Promise.all([
      requireDistrict(db, districtId),
      listInvitationStatus(db, districtId, view.period, deps.now(), PER_PAGE, view.cursor),
      invitationResponseRates(db, districtId, view.period, deps.now()),
      shellOf(c, db, lang, 'invitations'),
    ]);
    const form = view.form ?? { period: view.period, samplePerTeam: '10', validDays: '30' };
    const html = (
      <InvitationsPage
        shell={shell}
        districtId={districtId}
        districtName={district.name}
        period={view.period}
        items={page.items}
        nextCursor={page.nextCursor}
        rates={rates}
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
      return render(c, districtId, pageLang(c), { period, cursor: query.cursor }, 200);
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
      const lang = text('lang') ? langOf(text('lang')) : pageLang(c);
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
