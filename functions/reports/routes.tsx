/**
 * Settlement reports (finance officers and administrators of the settlement's district; another
 * district's settlement or job is 404):
 *
 * GET  /settlements/{settlementId}/report.xlsx?lang=zh|en              the workbook, streamed; 409 report-too-large when too large
 * GET  /settlements/{settlementId}/report.csv?sheet=…&lang=zh|en       one sheet as CSV (UTF-8, BOM); 409 report-too-large when too large
 * POST /settlements/{settlementId}/reports  {format, sheet?, lang}     produce one in the background → 202 + job
 * GET  /report-jobs/{jobId}                                            status, progress, and the download link when done
 * GET  /report-jobs/{jobId}/file                                       the finished file (locally), or 302 to a presigned link
 *
 * Pages (cookie sign-in, like the other finance pages):
 * GET  /finance/settlements/{settlementId}/report.xlsx | report.csv    the same downloads; when too large, a page with the form below
 * POST /finance/settlements/{settlementId}/reports                     form (report, lang, pageLang) → 303 to the job page
 * GET  /finance/report-jobs/{jobId}                                    progress, refreshing itself until the link is there
 * GET  /finance/report-jobs/{jobId}/file                               the finished file
 *
 * Small reports stream straight into the response while they are read from DynamoDB. "Too large"
 * applies only where responses are limited (deployed: REPORTS_BUCKET set): above 20,000 lines or
 * an estimated 4 MB a report is prepared by a job whose file goes to S3 (shared/services/reports/),
 * which only a POST starts: no GET has side effects.
 */
import { PassThrough, Readable } from 'node:stream';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Context } from 'hono';
import { conflict, notFound } from '#shared/domain/errors.ts';
import { getReportJob, type ReportJob } from '#shared/data/report-jobs.ts';
import { CSV_SHEETS, type CsvSheet } from '#shared/domain/reports.ts';
import { getSettlement, type Settlement } from '#shared/data/settlements.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import type { Principal, Role } from '#shared/http/principal.ts';
import { canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { errorResponses, jsonBody, jsonResponse, problemSchema } from '#shared/schemas/common.ts';
import {
  anyReportResponse,
  csvQuerySchema,
  csvResponse,
  reportJobParamsSchema,
  reportJobRequestSchema,
  reportJobSchema,
  xlsxQuerySchema,
  xlsxResponse,
} from '#shared/schemas/reports.ts';
import {
  chooseDelivery,
  contentDisposition,
  contentTypeOf,
  inProcessReportRunner,
  prepareReport,
  ReportAbortedError,
  type ReportOptions,
  type ReportSpec,
  reportFileNames,
  reportJobView,
  reportOptionsFromEnv,
  requestReportJob,
  runReportJob,
  writeReport,
} from '#shared/services/reports/index.ts';
import { langOf } from '#shared/web/lang.ts';
import { logger } from '#shared/observability/telemetry.ts';
import { LargeReportPage, REFRESH_SECONDS, ReportJobPage } from '#shared/web/report-pages.tsx';
import { htmlResponse, redirectResponse } from '#shared/web/responses.ts';

type AccessConfig = ReturnType<typeof access>;

/** Reports only read: finance officers and administrators, like the settlement itself. */
const READERS: readonly Role[] = ['finance', 'admin'];

const settlementParams = z.object({
  settlementId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .openapi({ example: 'stl-4k9d0c2m7q1x8z3b' }),
});
const pageQuery = z.object({ lang: z.string().max(8).optional() });
const tooLargeToStream = {
  409: {
    description: '`report-too-large`: too large to stream here; POST /settlements/{settlementId}/reports prepares it in the background (a GET starts no work)',
    content: { 'application/problem+json': { schema: problemSchema } },
  },
};
const jobAccepted = {
  description: 'Too large to stream here: a job produces it; poll the Location (GET /report-jobs/{jobId})',
  headers: { location: { schema: { type: 'string' as const } } },
  content: { 'application/json': { schema: reportJobSchema } },
};

/**
 * Registers the report routes on the finance app. `pageAccess` is the finance pages' access
 * (cookie sign-in, errors as HTML); `options` default to the environment (reportOptionsFromEnv).
 */
export function registerReportRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: Deps,
  pageAccess: (deps: Deps, roles: readonly Role[]) => AccessConfig,
  options: ReportOptions = reportOptionsFromEnv(),
): void {
  const { db } = deps;
  const { storage } = options;
  const runner = options.runner ?? inProcessReportRunner((jobId) => runReportJob(db, storage, jobId, deps.now));

  async function visibleSettlement(principal: Principal, settlementId: string): Promise<Settlement> {
    return visibleOr404(await getSettlement(db, settlementId), (s) => canSeeDistrict(principal, s.districtId), `Settlement ${settlementId}`);
  }

  async function visibleJob(principal: Principal, jobId: string): Promise<ReportJob> {
    return visibleOr404(await getReportJob(db, jobId), (job) => canSeeDistrict(principal, job.districtId), `Report job ${jobId}`);
  }

  const apiFile = (jobId: string) => `/report-jobs/${jobId}/file`;
  const pageFile = (jobId: string) => `/finance/report-jobs/${jobId}/file`;

  function view(job: ReportJob, localDownload: string) {
    return reportJobView(job, storage, { linkTtlSeconds: options.linkTtlSeconds, localDownload, now: deps.now() });
  }

  /**
   * Who downloaded which report, through the API or a page: the audit trail of report files (the
   * reports bucket has no access log of its own; page requests carry no authorizer claims into
   * the API access log). Ids only, no file contents.
   */
  function logDownload(
    c: Context<ApiEnv>,
    what: { settlementId: string; format: string; sheet?: string; jobId?: string; via: 'stream' | 'file' | 'presigned-link' },
  ) {
    const { subject, role } = c.get('principal');
    logger.info('report download', { subject, role, path: c.req.path, ...what });
  }

  /** Streams the report in the response: read page by page while the client downloads. */
  async function streamReport(c: Context<ApiEnv>, settlement: Settlement, spec: ReportSpec): Promise<Response> {
    const context = await prepareReport(db, settlement, spec, deps.now());
    logDownload(c, { settlementId: settlement.settlementId, format: spec.format, ...(spec.format === 'csv' ? { sheet: spec.sheet } : {}), via: 'stream' });
    const names = reportFileNames(settlement, spec);
    const out = new PassThrough();
    writeReport(context, spec, out).catch((error: unknown) => {
      if (error instanceof ReportAbortedError) return; // the client went away
      logger.error('report stream failed', { settlementId: settlement.settlementId, errorName: (error as Error)?.name, error: (error as Error)?.message });
    });
    return c.body(Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>, 200, {
      'content-type': contentTypeOf(spec.format),
      'content-disposition': contentDisposition(names.fileName, names.asciiFileName),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
  }

  /**
   * Streams a small report. A GET never starts work (#16): a report too large to stream here is
   * prepared by a POST (the API's /reports, the page's form), so the API answers 409
   * `report-too-large` naming it and the page shows the form.
   */
  async function deliver(c: Context<ApiEnv>, settlement: Settlement, spec: ReportSpec, mode: 'api' | 'page', pageLang = spec.lang): Promise<Response> {
    if (chooseDelivery(settlement, spec, options) === 'inline') return streamReport(c, settlement, spec);
    const report = spec.format === 'csv' ? spec.sheet : 'xlsx';
    if (mode === 'page') return c.html(<LargeReportPage lang={pageLang} settlementId={settlement.settlementId} report={report} reportLang={spec.lang} />, 200);
    throw conflict(
      'report-too-large',
      `This report is too large to stream here; POST /settlements/${settlement.settlementId}/reports with ` +
        `{"format":"${spec.format}"${spec.format === 'csv' ? `,"sheet":"${spec.sheet}"` : ''},"lang":"${spec.lang}"} prepares it in the background`,
      { settlementId: settlement.settlementId, format: spec.format, ...(spec.format === 'csv' ? { sheet: spec.sheet } : {}), lang: spec.lang },
    );
  }

  /** The finished file: streamed from local storage, or a redirect to a presigned S3 link. */
  async function jobFile(c: Context<ApiEnv>, job: ReportJob, localDownload: string): Promise<Response> {
    const current = await view(job, localDownload);
    if (current.status !== 'done') throw conflict('report-not-ready', `Report job ${job.jobId} is ${current.status}`);
    const logged = { settlementId: job.settlementId, format: job.format, jobId: job.jobId };
    if (current.downloadUrl && current.downloadUrl !== localDownload) {
      logDownload(c, { ...logged, via: 'presigned-link' });
      return c.redirect(current.downloadUrl, 302);
    }
    const file = await storage.openReader(job.storageKey);
    if (!file) throw notFound('report-file-gone', `The file of report job ${job.jobId}`);
    logDownload(c, { ...logged, via: 'file' });
    return c.body(Readable.toWeb(file.stream) as unknown as ReadableStream<Uint8Array>, 200, {
      'content-type': job.contentType,
      'content-length': String(file.bytes),
      'content-disposition': contentDisposition(job.fileName, job.asciiFileName),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
  }

  const csvSpec = (sheet: CsvSheet, lang: string | undefined): ReportSpec => ({ format: 'csv', sheet, lang: langOf(lang) });

  // -------------------------------------------------------------------------------------------
  // API

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settlements/{settlementId}/report.xlsx',
      tags: ['finance reports'],
      summary: 'The settlement workbook: summary with reconciliation, teams, members, institution subsidy, fee statement',
      description: 'Chinese sheet and column names by default (?lang=en for English). A draft is watermarked DRAFT / 草稿, in the summary and the file name.',
      ...access(deps, READERS),
      request: { params: settlementParams, query: xlsxQuerySchema },
      responses: { 200: xlsxResponse('The workbook, streamed'), ...errorResponses, ...tooLargeToStream },
    }),
    async (c) => {
      const settlement = await visibleSettlement(c.get('principal'), c.req.valid('param').settlementId);
      return deliver(c, settlement, { format: 'xlsx', lang: langOf(c.req.valid('query').lang) }, 'api');
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settlements/{settlementId}/report.csv',
      tags: ['finance reports'],
      summary: 'One sheet of the settlement report as CSV (RFC 4180, UTF-8 with a byte-order mark), the same columns as the workbook',
      ...access(deps, READERS),
      request: { params: settlementParams, query: csvQuerySchema },
      responses: { 200: csvResponse('The CSV, streamed'), ...errorResponses, ...tooLargeToStream },
    }),
    async (c) => {
      const settlement = await visibleSettlement(c.get('principal'), c.req.valid('param').settlementId);
      const { sheet, lang } = c.req.valid('query');
      return deliver(c, settlement, csvSpec(sheet, lang), 'api');
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/settlements/{settlementId}/reports',
      tags: ['finance reports'],
      summary: 'Produce a report in the background (any size); poll the job for progress and the download link',
      ...access(deps, READERS),
      request: { params: settlementParams, body: jsonBody(reportJobRequestSchema) },
      responses: { 202: jobAccepted, ...errorResponses },
    }),
    async (c) => {
      const principal = c.get('principal');
      const settlement = await visibleSettlement(principal, c.req.valid('param').settlementId);
      const body = c.req.valid('json');
      const spec: ReportSpec = body.format === 'xlsx' ? { format: 'xlsx', lang: body.lang } : { format: 'csv', sheet: body.sheet ?? 'teams', lang: body.lang };
      const job = await requestReportJob(db, runner, { settlement, spec, by: principal.subject, now: deps.now() });
      return c.json(await view(job, apiFile(job.jobId)), 202, { location: `/report-jobs/${job.jobId}` });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/report-jobs/{jobId}',
      tags: ['finance reports'],
      summary: 'A background report: status, progress (rows written of rows to write) and, when done, the download link',
      ...access(deps, READERS),
      request: { params: reportJobParamsSchema },
      responses: { 200: jsonResponse(reportJobSchema, 'The job'), ...errorResponses },
    }),
    async (c) => {
      const job = await visibleJob(c.get('principal'), c.req.valid('param').jobId);
      return c.json(await view(job, apiFile(job.jobId)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/report-jobs/{jobId}/file',
      tags: ['finance reports'],
      summary: "A finished background report's file (or a redirect to its presigned link)",
      ...access(deps, READERS),
      request: { params: reportJobParamsSchema },
      responses: {
        200: anyReportResponse('The file'),
        302: redirectResponse('To a short-lived presigned link (deployed)'),
        ...errorResponses,
        409: { description: 'Not finished (or failed)', content: errorResponses[404].content },
      },
    }),
    async (c) => {
      const job = await visibleJob(c.get('principal'), c.req.valid('param').jobId);
      return jobFile(c, job, apiFile(job.jobId));
    },
  );

  // -------------------------------------------------------------------------------------------
  // Pages

  const pageErrors = {
    401: htmlResponse('Not signed in'),
    404: htmlResponse('No such settlement in your district'),
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/settlements/{settlementId}/report.xlsx',
      tags: ['finance pages'],
      summary: 'Page download: the settlement workbook (303 to the job page when it is produced in the background)',
      ...pageAccess(deps, READERS),
      request: { params: settlementParams, query: pageQuery },
      responses: { 200: xlsxResponse('The workbook'), 303: redirectResponse('To the job page'), ...pageErrors },
    }),
    async (c) => {
      const settlement = await visibleSettlement(c.get('principal'), c.req.valid('param').settlementId);
      return deliver(c, settlement, { format: 'xlsx', lang: langOf(c.req.valid('query').lang) }, 'page');
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/settlements/{settlementId}/report.csv',
      tags: ['finance pages'],
      summary: 'Page download: one sheet as CSV (303 to the job page when it is produced in the background)',
      ...pageAccess(deps, READERS),
      request: { params: settlementParams, query: pageQuery.extend({ sheet: z.enum(CSV_SHEETS).default('teams') }) },
      responses: { 200: csvResponse('The CSV'), 303: redirectResponse('To the job page'), ...pageErrors },
    }),
    async (c) => {
      const settlement = await visibleSettlement(c.get('principal'), c.req.valid('param').settlementId);
      const { sheet, lang } = c.req.valid('query');
      return deliver(c, settlement, csvSpec(sheet, lang), 'page');
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/finance/settlements/{settlementId}/reports',
      tags: ['finance pages'],
      summary:
        'Page form: produce a report in the background (fields: report = xlsx | teams | members | institutions | fees, lang, pageLang), then show its progress',
      ...pageAccess(deps, READERS),
      request: { params: settlementParams },
      responses: { 303: redirectResponse('To the job page'), 403: htmlResponse('A cross-site form'), ...pageErrors },
    }),
    async (c) => {
      const principal = c.get('principal');
      const settlement = await visibleSettlement(principal, c.req.valid('param').settlementId);
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
      const report = text('report') ?? 'xlsx';
      const lang = langOf(text('lang'));
      const pageLang = langOf(text('pageLang') ?? c.req.query('lang'));
      const sheet = (CSV_SHEETS as readonly string[]).includes(report) ? (report as CsvSheet) : null;
      const spec: ReportSpec = sheet ? { format: 'csv', sheet, lang } : { format: 'xlsx', lang };
      const job = await requestReportJob(db, runner, { settlement, spec, by: principal.subject, now: deps.now() });
      return c.redirect(`/finance/report-jobs/${job.jobId}?lang=${pageLang}`, 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/report-jobs/{jobId}',
      tags: ['finance pages'],
      summary: 'Page: a background report, refreshing itself (meta refresh) until it links the file',
      ...pageAccess(deps, READERS),
      request: { params: reportJobParamsSchema, query: pageQuery },
      responses: { 200: htmlResponse('The job'), ...pageErrors },
    }),
    async (c) => {
      const job = await visibleJob(c.get('principal'), c.req.valid('param').jobId);
      const lang = langOf(c.req.valid('query').lang);
      const current = await view(job, pageFile(job.jobId));
      const working = current.status === 'queued' || current.status === 'running';
      // the page links the app's file route, which redirects to a fresh presigned link when deployed
      return c.html(<ReportJobPage lang={lang} job={current} downloadHref={current.status === 'done' ? pageFile(job.jobId) : null} />, 200, {
        'cache-control': 'no-store',
        ...(working ? { refresh: String(REFRESH_SECONDS) } : {}),
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/report-jobs/{jobId}/file',
      tags: ['finance pages'],
      summary: "Page download: a finished background report's file (or a redirect to its presigned link)",
      ...pageAccess(deps, READERS),
      request: { params: reportJobParamsSchema },
      responses: {
        200: anyReportResponse('The file'),
        302: redirectResponse('To a short-lived presigned link (deployed)'),
        409: htmlResponse('Not finished'),
        ...pageErrors,
      },
    }),
    async (c) => {
      const job = await visibleJob(c.get('principal'), c.req.valid('param').jobId);
      return jobFile(c, job, pageFile(job.jobId));
    },
  );
}
