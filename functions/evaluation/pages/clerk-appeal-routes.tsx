/**
 * The clerk's appeal pages (HTML, zh-CN by default, ?lang=en), through the same services as the API
 * (shared/services/appeals.ts, appeal-attachments.ts):
 *
 * GET  /clerk/appeals?period=&teamId=&indicator=              clerk: the period's review window, the form (prefilled from a scorecard), their appeals
 * POST /clerk/appeals?period=                                 clerk: file an appeal → the page, where files can be attached to it
 *
 * Attachments are added and served by the reports function, which holds the file storage
 * (functions/reports/appeal-attachment-routes.ts): the S3 client costs ~45 KB at cold start.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DomainError } from '#shared/domain/errors.ts';
import { PERIOD_PATTERN } from '#shared/domain/periods.ts';
import type { Deps } from '#shared/deps.ts';
import type { ApiEnv } from '#shared/http/api.ts';
import { problemIn } from '#shared/http/on-error.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import * as z from '#shared/schemas/zod.ts';
import { fileAppealAsClerk } from '#shared/services/appeals.ts';
import { clerkAppeals } from '#shared/services/clerk-appeals.ts';
import { appealQuarters } from '#shared/services/appeal-summary.ts';
import { clerkScope } from '#shared/services/clerk-overview.ts';
import { emptyForm, type FormState } from '#shared/web/fields.tsx';
import { type Lang, pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import type { ClerkAppealsPageProps } from './clerk-appeals-page.tsx';

const query = z.object({
  lang: z.enum(['zh', 'en']).optional(),
  period: z.string().regex(PERIOD_PATTERN).optional(),
  teamId: z.string().max(64).optional(),
  indicator: z.string().max(64).optional(),
  done: z.enum(['filed', 'attached']).optional(),
});

const REQUIRED = { zh: '必填', en: 'Required' } as const;
const NOT_A_NUMBER = { zh: '请填写数字', en: 'Enter a number' } as const;

export function registerClerkAppealPages(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  const periodOf = (requested: string | undefined) => requested ?? (appealQuarters(deps.now())[0] as string);

  async function page(c: Context<ApiEnv>, period: string, extra: Partial<ClerkAppealsPageProps>, status: number) {
    const lang = pageLang(c);
    const principal = c.get('principal');
    const scope = await clerkScope(deps, principal.institutionId);
    const data = await clerkAppeals(deps, scope, principal, period);
    const quarters = appealQuarters(deps.now());
    // the page module loads on first use, not at cold start
    const { ClerkAppealsPage } = await import('./clerk-appeals-page.tsx');
    return htmlPage(
      c,
      <ClerkAppealsPage
        shell={await shellOf(c, deps.db, lang, 'appeals')}
        period={period}
        periods={quarters.includes(period) ? quarters : [period, ...quarters]}
        data={data}
        form={extra.form ?? emptyForm()}
        {...extra}
      />,
      status as 200,
    );
  }

  async function refused(c: Context<ApiEnv>, period: string, error: unknown, form: FormState) {
    if (!(error instanceof DomainError)) throw error;
    const lang = pageLang(c);
    const problem = await problemIn(error, lang);
    const refusal = (await messageOnDemand(error.code, lang, error.details)) ?? String(problem.extensions.detail ?? problem.message);
    return page(c, period, { form, refusal }, problem.status);
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk/appeals',
      tags: ['pages'],
      summary: "Page: a period's review window, the form to file an appeal (prefilled from a scorecard's indicator) and the institution's appeals",
      ...pageAccess(deps, ['clerk']),
      request: { query },
      responses: { 200: htmlResponse('The appeals'), 401: htmlResponse('Not signed in') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const form = emptyForm({ ...(q.teamId ? { teamId: q.teamId } : {}), ...(q.indicator ? { indicator: q.indicator } : {}) });
      return page(c, periodOf(q.period), { form, notice: q.done }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/appeals',
      tags: ['pages'],
      summary: 'Form: file an appeal on an indicator of one of your teams → the page, where files can be attached to it',
      ...pageAccess(deps, ['clerk']),
      request: { query },
      responses: {
        303: redirectResponse('Filed: to the appeals page'),
        400: htmlResponse('A field is missing'),
        409: htmlResponse('The review window is closed'),
        422: htmlResponse('The values are refused'),
      },
    }),
    async (c) => {
      const lang: Lang = pageLang(c);
      const period = periodOf(c.req.valid('query').period);
      const body = (await c.req.parseBody()) as Record<string, unknown>;
      const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      const errors = ['teamId', 'indicator', 'metric', 'claimedValue', 'reason']
        .filter((name) => !values[name]?.trim())
        .map((field): { field: string; message: string } => ({ field, message: REQUIRED[lang] }));
      const claimedValue = Number(values.claimedValue);
      if (values.claimedValue?.trim() && !Number.isFinite(claimedValue)) errors.push({ field: 'claimedValue', message: NOT_A_NUMBER[lang] });
      const form = { values, errors };
      if (errors.length > 0) return page(c, period, { form }, 400);
      try {
        const caller = c.get('principal');
        const appeal = await fileAppealAsClerk(deps, {
          districtId: caller.districtId ?? '',
          period,
          caller,
          appeal: {
            teamId: String(values.teamId),
            indicator: String(values.indicator),
            metric: String(values.metric),
            claimedValue,
            reason: String(values.reason).slice(0, 2000),
          },
        });
        return c.redirect(`/clerk/appeals?period=${period}&lang=${lang}&done=filed#${appeal.appealId}`, 303);
      } catch (error) {
        return refused(c, period, error, form);
      }
    },
  );
}
