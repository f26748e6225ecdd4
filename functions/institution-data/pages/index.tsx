/**
 * The institution clerk's home and metrics pages (HTML, zh-CN by default, ?lang=en remembered in a
 * cookie). Uploads go through the same service as the API (shared/services/metrics-upload.ts).
 *
 * GET  /clerk                          clerk: home — the quarters to report for, uploads missing, teams in short
 * GET  /clerk/metrics?period=          clerk: template links, the upload form, the period's upload history
 * POST /clerk/metrics?period=          clerk: upload a CSV or XLSX file (multipart field "file") → the page, or every problem as a table
 * GET  /clerk/metrics/template.csv     clerk: the template, UTF-8 CSV with Chinese headers, one row per team
 * GET  /clerk/metrics/template.xlsx    clerk: the same as a workbook
 */
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { todayIso } from '#shared/domain/dates.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { MAX_UPLOAD_ROWS } from '#shared/schemas/metrics.ts';
import { parsePeriod, PERIOD_PATTERN } from '#shared/domain/periods.ts';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, createApiApp } from '#shared/http/api.ts';
import { problemIn } from '#shared/http/on-error.ts';
import * as z from '#shared/schemas/zod.ts';
import { clerkScope, quarterUploads, reportingQuarters, teamsOfInstitution, uploadHistory } from '#shared/services/clerk-overview.ts';
import { fileUpload, metricCatalogueOf, readXlsxUpload, templateCsv, templateXlsx } from '#shared/services/metrics-workbook.ts';
import { checkAndStoreMetrics } from '#shared/services/metrics-upload.ts';
import { appealQuarters, appealSummary } from '#shared/services/appeal-summary.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import { type Lang, pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { MetricsPage, type MetricsPageProps } from './metrics-page.tsx';

const UPLOAD_LIMIT_BYTES = 8 * 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** What browsers send for a .csv file: Excel on Windows registers it as application/vnd.ms-excel. */
const CSV_TYPES = new Set(['text/csv', 'application/vnd.ms-excel', 'text/plain', 'application/csv', 'text/comma-separated-values']);

const periodQuery = z.object({
  lang: z.enum(['zh', 'en']).optional(),
  period: z.string().regex(PERIOD_PATTERN).optional(),
  stored: z.coerce.number().int().min(1).optional(),
});
const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });

function fileKind(file: File): 'csv' | 'xlsx' | null {
  const name = file.name.toLowerCase();
  const type = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  if (name.endsWith('.xlsx') || type === XLSX_TYPE) return 'xlsx';
  if (name.endsWith('.csv') || CSV_TYPES.has(type)) return 'csv';
  return null;
}

export function createInstitutionDataPages(deps: Deps) {
  const app = createApiApp();

  function chosenPeriod(requested: string | undefined): { period: string; periods: string[] } {
    const periods = reportingQuarters(deps.now());
    const period = requested && parsePeriod(requested) ? requested : (periods[0] as string);
    return { period, periods: periods.includes(period) ? periods : [period, ...periods] };
  }

  async function metricsPage(c: Context<ApiEnv>, period: string, periods: string[], extra: Partial<MetricsPageProps>, status: number) {
    const lang = pageLang(c);
    const scope = await clerkScope(deps, c.get('principal').institutionId);
    const [uploads, history, catalogue] = await Promise.all([
      quarterUploads(deps, scope, period),
      uploadHistory(deps, scope.institution.institutionId, period),
      metricCatalogueOf(deps, scope.district.districtId),
    ]);
    return htmlPage(
      c,
      <MetricsPage
        shell={await shellOf(c, deps.db, lang, 'metrics')}
        institutionName={scope.institution.name}
        periods={periods}
        period={period}
        closed={uploads.closed}
        catalogue={catalogue}
        history={history}
        {...extra}
      />,
      status as 200,
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk',
      tags: ['pages'],
      summary: "Page: the clerk's home — quarters to report for, uploads missing, teams",
      ...pageAccess(deps, ['clerk']),
      request: { query: langQuery },
      responses: { 200: htmlResponse('The home page'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Not a clerk') },
    }),
    async (c) => {
      const scope = await clerkScope(deps, c.get('principal').institutionId);
      const [teams, quarters, appeals] = await Promise.all([
        teamsOfInstitution(deps, scope.institution),
        Promise.all(reportingQuarters(deps.now()).map((p) => quarterUploads(deps, scope, p))),
        appealSummary(deps, scope, appealQuarters(deps.now())[0] as string),
      ]);
      // loads on first use, not at cold start (the bundle budget, test/infra/gatekeeper-stack.test.ts)
      const { ClerkHomePage } = await import('./clerk-home.tsx');
      return htmlPage(
        c,
        <ClerkHomePage
          shell={await shellOf(c, deps.db, pageLang(c), 'home')}
          institution={scope.institution}
          teams={teams}
          quarters={quarters}
          appeals={appeals}
          today={todayIso(deps.now())}
        />,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk/metrics',
      tags: ['pages'],
      summary: "Page: a period's metrics — template links, the upload form and the upload history",
      ...pageAccess(deps, ['clerk']),
      request: { query: periodQuery },
      responses: { 200: htmlResponse('The metrics page'), 401: htmlResponse('Not signed in') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { period, periods } = chosenPeriod(query.period);
      return metricsPage(c, period, periods, query.stored ? { stored: query.stored } : {}, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/metrics',
      tags: ['pages'],
      summary:
        'Form: upload a CSV or XLSX metrics file (multipart field file) for ?period= → the page with the new version, or every problem with its row and column',
      ...pageAccess(deps, ['clerk'], { bodyLimitBytes: UPLOAD_LIMIT_BYTES }),
      request: { query: periodQuery },
      responses: {
        303: redirectResponse('Stored: to the metrics page'),
        409: htmlResponse('The period is closed'),
        413: htmlResponse('Too many rows, or an XLSX too large once unpacked (zip bomb guard)'),
        415: htmlResponse('Neither CSV nor XLSX'),
        422: htmlResponse('Problems, each with its row and column'),
      },
    }),
    async (c) => {
      const lang: Lang = pageLang(c);
      const { period, periods } = chosenPeriod(c.req.valid('query').period);
      const scope = await clerkScope(deps, c.get('principal').institutionId);
      const refuse = async (code: string, status: number) =>
        metricsPage(c, period, periods, { refusal: (await messageOnDemand(code, lang, { limit: MAX_UPLOAD_ROWS })) ?? code }, status);
      const form = await c.req.parseBody();
      const file = form.file;
      if (!(file instanceof File) || file.size === 0) return refuse('upload-file-missing', 400);
      const kind = fileKind(file);
      if (!kind) return refuse('upload-file-type', 415);
      const bytes = new Uint8Array(await file.arrayBuffer());
      let text: string;
      if (kind === 'xlsx') {
        // the zip's directory is read and bounded before exceljs inflates anything (xlsx-guard.ts)
        const read = await readXlsxUpload(bytes);
        if (!read.ok) return read.code === 'upload-xlsx-too-large' ? refuse(read.code, 413) : refuse(read.code, 415);
        text = read.csv;
      } else text = new TextDecoder('utf-8').decode(bytes);
      try {
        const catalogue = await metricCatalogueOf(deps, scope.district.districtId);
        const parsed = await fileUpload(text, catalogue, MAX_UPLOAD_ROWS);
        if (parsed.rowsAtLeast !== undefined) return refuse('too-many-rows', 413);
        const outcome = await checkAndStoreMetrics(deps, {
          institution: scope.institution,
          period: parsePeriod(period) as NonNullable<ReturnType<typeof parsePeriod>>,
          uploadedBy: c.get('principal').subject,
          format: 'csv',
          bodySha256: createHash('sha256').update(bytes).digest('hex'),
          parsed,
        });
        if (!outcome.ok) return metricsPage(c, period, periods, { problems: { list: outcome.problems, total: outcome.total } }, 422);
        return c.redirect(`/clerk/metrics?period=${period}&lang=${lang}&stored=${outcome.version.version}`, 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const problem = await problemIn(error, lang);
        return metricsPage(c, period, periods, { refusal: String(problem.extensions.detail ?? problem.message) }, problem.status);
      }
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.openapi(
      createRoute({
        method: 'get',
        path: `/clerk/metrics/template.${format}`,
        tags: ['pages'],
        summary: `The metrics template as ${format.toUpperCase()}: Chinese headers, one row per team of the clerk's institution`,
        ...pageAccess(deps, ['clerk']),
        request: { query: periodQuery },
        responses: { 200: { description: 'The template file' }, 401: htmlResponse('Not signed in') },
      }),
      async (c) => {
        const { period } = chosenPeriod(c.req.valid('query').period);
        const scope = await clerkScope(deps, c.get('principal').institutionId);
        const [teams, catalogue] = await Promise.all([teamsOfInstitution(deps, scope.institution), metricCatalogueOf(deps, scope.district.districtId)]);
        const fileName = `服务数据模板-${period}.${format}`;
        const disposition = `attachment; filename="metrics-template-${period}.${format}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
        if (format === 'csv')
          return c.body(templateCsv(catalogue, teams), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition });
        return c.body(new Uint8Array(await templateXlsx(catalogue, teams)), 200, { 'content-type': XLSX_TYPE, 'content-disposition': disposition });
      },
    );
  }

  return app;
}
