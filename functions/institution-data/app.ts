/**
 * Institution data function: the service metrics an institution reports for its teams per
 * period, the district's metric catalogue, and whether a period is still open to uploads.
 *
 * GET  /districts/{districtId}/metric-definitions              admin, evaluator, finance, clerk (district)
 * PUT  /institutions/{institutionId}/metrics/{period}          admin, clerk (institution): JSON or CSV, Idempotency-Key
 * GET  /institutions/{institutionId}/metrics/{period}          admin, district staff, clerk (institution); ?version=N
 * GET  /institutions/{institutionId}/metrics/{period}/versions admin, district staff, clerk (institution)
 * GET  /districts/{districtId}/periods/{period}/status         admin, evaluator, finance, clerk (district)
 * POST /districts/{districtId}/periods/{period}/close          admin
 * POST /districts/{districtId}/periods/{period}/reopen         admin: with a reason, only before final (shared/domain/period-lifecycle.ts)
 *
 * Pages for institution clerks (home, metrics upload, templates): ./pages/index.tsx.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { notFound } from '#shared/domain/errors.ts';
import { REGISTRY_DERIVED_CODES } from '#shared/domain/metrics/catalogue.ts';
import type { UploadProblem } from '#shared/domain/metrics/validate-upload.ts';
import { type Period, parsePeriod } from '#shared/domain/periods.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { claimIdempotencyKey, completeIdempotencyKey, type IdempotencyClaim, releaseIdempotencyKey, sha256Hex } from '#shared/data/idempotency.ts';
import { getInstitution, type Institution } from '#shared/data/institutions.ts';
import { getCatalogue } from '#shared/data/metric-catalogue.ts';
import { getCurrentMetricsVersion, getMetricsVersion, listMetricsRows, listMetricsVersions, type MetricsVersion } from '#shared/data/metrics.ts';
import { closePeriodNow, readPeriod, reopenPeriodNow } from '#shared/services/periods.ts';
import { createPeriodPages } from './pages/period-routes.tsx';
import type { Deps } from '#shared/deps.ts';
import { createInstitutionDataPages } from './pages/index.tsx';
import { checkAndStoreMetrics, csvUpload, type ParsedUpload } from '#shared/services/metrics-upload.ts';
import { access, createApiApp } from '#shared/http/api.ts';
import type { Principal } from '#shared/http/principal.ts';
import { type FieldError, zodFieldErrors } from '#shared/domain/field-errors.ts';
import { Problem, problems } from '#shared/http/problem.ts';
import { assertDistrictInPath, assertInstitutionInPath, canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import {
  conflictResponse,
  errorResponses,
  idSchema,
  jsonBody,
  jsonResponse,
  pageOf,
  pageQuerySchema,
  problemSchema,
  unprocessableResponse,
} from '#shared/schemas/common.ts';
import {
  idempotencyHeaderSchema,
  MAX_UPLOAD_ROWS,
  metricCatalogueSchema,
  metricsQuerySchema,
  metricsUploadSchema,
  metricsVersionSchema,
  metricsWithRowsSchema,
  periodParamSchema,
  periodStatusSchema,
} from '#shared/schemas/metrics.ts';
import { reopenPeriodSchema } from '#shared/schemas/periods.ts';
import { count } from '#shared/observability/telemetry.ts';

const DISTRICT_STAFF = ['admin', 'evaluator', 'finance', 'clerk'] as const;
/** Tens of thousands of rows of a large institution fit; API Gateway's own limit is 10 MB. */
export const METRICS_UPLOAD_LIMIT_BYTES = 8 * 1024 * 1024;

function requirePeriod(period: string): Period {
  const parsed = parsePeriod(period);
  if (!parsed) throw problems.validation([{ field: 'path.period', message: 'Use a year (2026) or a quarter (2026Q3)' }]);
  return parsed;
}

function uploadFormat(contentType: string | undefined): 'json' | 'csv' {
  const [essence = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (essence === 'application/json') return 'json';
  if (essence === 'text/csv') {
    const charset = parameters
      .find((p) => p.startsWith('charset='))
      ?.slice(8)
      .replaceAll('"', '');
    if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return 'csv';
    throw problems.unsupportedMediaType(`CSV must be UTF-8, not ${charset}; save it as "CSV UTF-8 (comma delimited)"`, {
      code: 'csv-not-utf8',
      details: { charset },
    });
  }
  throw problems.unsupportedMediaType('Send the metrics as application/json or text/csv (UTF-8)', { code: 'metrics-media-type' });
}

/** Where a problem is, in the words of the format the user sent. */
function fieldOf(format: 'json' | 'csv', problem: UploadProblem, rowCount: number): string {
  if (format === 'csv') return problem.column === undefined ? `row ${problem.row}` : `row ${problem.row}, column ${problem.column}`;
  if (rowCount === 0) return 'body.rows';
  const base = `body.rows.${problem.row - 1}`;
  if (problem.column === undefined) return base;
  return problem.column === 'teamId' ? `${base}.teamId` : `${base}.values.${problem.column}`;
}

function invalidUpload(format: 'json' | 'csv', found: UploadProblem[], total: number, rowCount: number): Problem {
  const errors: (FieldError & { row: number; column?: string })[] = found.map((p) => ({
    field: fieldOf(format, p, rowCount),
    message: p.message,
    row: p.row,
    ...(p.column === undefined ? {} : { column: p.column }),
  }));
  const shown = errors.length < total ? ` (the first ${errors.length} are listed)` : '';
  count('UploadRefused');
  return new Problem(422, 'unprocessable', 'The request cannot be processed', {
    detail:
      `The upload has ${total} problem${total === 1 ? '' : 's'}${shown}; nothing was stored. ` +
      `Rows are numbered as in a spreadsheet${format === 'csv' ? ' (the header is row 1)' : ' (the first element of rows is row 1)'}.`,
    code: 'invalid-upload',
    problemCount: total,
    errors,
  });
}

/** More rows than one upload may carry (JSON or CSV): 413, before any row is checked; a CSV is read no further than the first row too many. */
function tooManyRows(rowsAtLeast: number | null): Problem {
  count('UploadRefused');
  return new Problem(413, 'payload-too-large', 'Request body too large', {
    detail:
      `${rowsAtLeast === null ? 'The upload has too many rows' : `The upload has at least ${rowsAtLeast.toLocaleString('en')} rows (reading stopped there)`}` +
      `; one upload carries at most ${MAX_UPLOAD_ROWS.toLocaleString('en')} rows (teams). Nothing was stored.`,
    code: 'too-many-rows',
    limit: MAX_UPLOAD_ROWS,
  });
}

function versionView(version: MetricsVersion) {
  const { uploadId: _internal, ...view } = version;
  return view;
}

export function createInstitutionDataApp(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;
  const districtParams = z.object({ districtId: idSchema });
  const districtPeriodParams = z.object({ districtId: idSchema, period: periodParamSchema });
  const metricsParams = z.object({ institutionId: idSchema, period: periodParamSchema });

  async function visibleInstitution(principal: Principal, institutionId: string): Promise<Institution> {
    return visibleOr404(await getInstitution(db, institutionId), (i) => canSeeInstitution(principal, i), `Institution ${institutionId}`);
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/metric-definitions',
      tags: ['metrics'],
      summary: "The district's service-metric catalogue (codes, names, units, kinds, allowed ranges, rate pairs)",
      ...access(deps, DISTRICT_STAFF),
      request: { params: districtParams },
      responses: { 200: jsonResponse(metricCatalogueSchema, 'The catalogue'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      const catalogue = await getCatalogue(db, districtId);
      return c.json({ ...catalogue, derivedFromRegistry: [...REGISTRY_DERIVED_CODES] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/institutions/{institutionId}/metrics/{period}',
      tags: ['metrics'],
      summary: "Upload one period's service metrics for the institution's teams (a new version replaces the current one)",
      description: [
        'Send JSON (`{ "rows": [{ "teamId": "...", "values": { "htn-followup-due": 120, ... } }] }`) or `text/csv` in UTF-8 (a byte-order mark is fine)',
        'with the header row `teamId,<metric codes…>`. Codes are those of `GET /districts/{districtId}/metric-definitions`; figures the contract',
        'registry derives (contracts, insured contracts, renewals, key-population coverage) are refused.',
        '',
        'The upload is checked as a whole. Any problem (a team not of this institution, an unknown code, a value out of range, a fraction',
        'where a count belongs, a numerator above its denominator, a team listed twice, a malformed number, a missing column or value) gives',
        'one 422 listing every problem with its `row` and `column` (rows as a spreadsheet numbers them: the CSV header is row 1), and nothing',
        'is stored. A valid upload becomes the next version (201 for the first, 200 after); earlier versions stay readable.',
        '',
        '`Idempotency-Key`: a retry with the same key and body returns the first result (same status and body, header',
        '`Idempotent-Replayed: true`) without storing again; keys are kept 24 hours. The same key with a different body is refused with',
        '**409** `idempotency-key-reused` (common practice, as Stripe does; the IETF draft suggests 422), and a retry arriving while the first',
        'request is still running waits briefly, then gets 409 `idempotency-in-progress`.',
        '',
        "A period past its data deadline (the district's `dataDeadlineDays` after its end, default 10) or past `open` refuses uploads with 409",
        '`period-closed` until an administrator reopens it.',
      ].join('\n'),
      ...access(deps, ['admin', 'clerk'], { bodyLimitBytes: METRICS_UPLOAD_LIMIT_BYTES }),
      request: {
        params: metricsParams,
        headers: idempotencyHeaderSchema,
        body: {
          required: false,
          description: 'Required: JSON or CSV (see the operation description)',
          content: {
            'application/json': { schema: metricsUploadSchema },
            'text/csv': { schema: z.string().openapi({ example: 'teamId,htn-followup-due,htn-followup-done\nteam-0001,120,111\n' }) },
          },
        },
      },
      responses: {
        200: jsonResponse(metricsVersionSchema, 'Stored as a new version'),
        201: jsonResponse(metricsVersionSchema, 'Stored as the first version'),
        ...errorResponses,
        ...conflictResponse,
        415: { description: 'Neither JSON nor UTF-8 CSV', content: { 'application/problem+json': { schema: problemSchema } } },
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { institutionId, period } = c.req.valid('param');
      const institution = await visibleInstitution(principal, institutionId);
      assertInstitutionInPath(principal, institution);
      const periodInfo = requirePeriod(period);
      const now = deps.now();
      const format = uploadFormat(c.req.header('content-type'));
      const text = await c.req.text();
      const bodySha256 = sha256Hex(text);

      const key = c.req.valid('header')['idempotency-key'];
      let claim: IdempotencyClaim | undefined;
      if (key !== undefined) {
        const outcome = await claimIdempotencyKey(db, {
          scope: `${principal.subject}\nPUT /institutions/${institutionId}/metrics/${period}`,
          key,
          requestHash: bodySha256,
          now,
        });
        if (outcome.kind === 'replay') {
          const { status, body } = outcome.response as { status: 200 | 201; body: ReturnType<typeof versionView> };
          return c.json(body, status, { 'Idempotent-Replayed': 'true' });
        }
        claim = outcome.claim;
      }

      try {
        let parsed: ParsedUpload;
        if (format === 'csv') {
          parsed = await csvUpload(text, MAX_UPLOAD_ROWS);
          if (parsed.rowsAtLeast !== undefined) throw tooManyRows(parsed.rowsAtLeast);
        } else {
          const body = c.req.valid('json') as z.infer<typeof metricsUploadSchema>;
          parsed = { input: { columns: null, rows: body.rows.map((r, i) => ({ row: i + 1, teamId: r.teamId, values: r.values })) }, structural: [] };
        }
        const outcome = await checkAndStoreMetrics(deps, { institution, period: periodInfo, uploadedBy: principal.subject, format, bodySha256, parsed });
        if (!outcome.ok) throw invalidUpload(format, outcome.problems, outcome.total, outcome.rowCount);
        const { version } = outcome;
        count('UploadStored');
        const status = version.version === 1 ? 201 : 200;
        const body = versionView(version);
        if (claim) await completeIdempotencyKey(db, claim, { status, body }, deps.now());
        return c.json(body, status);
      } catch (error) {
        if (claim) await releaseIdempotencyKey(db, claim).catch(() => undefined);
        throw error;
      }
    },
    // A JSON upload over the row limit is refused like a CSV one (413); other problems as every route's validation.
    (result) => {
      if (result.success) return;
      if (result.target === 'json' && result.error.issues.some((issue) => issue.code === 'too_big' && issue.path.join('.') === 'rows')) throw tooManyRows(null);
      throw problems.validation(
        zodFieldErrors(
          result.error,
          ({ json: 'body', param: 'path', header: 'header' } as Record<string, string>)[result.target] ?? result.target,
          (result as { data?: unknown }).data,
        ),
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/institutions/{institutionId}/metrics/{period}',
      tags: ['metrics'],
      summary: "The current (or, with ?version=N, an earlier) version of an institution's metrics for a period, rows paged by team",
      ...access(deps, DISTRICT_STAFF),
      request: { params: metricsParams, query: metricsQuerySchema },
      responses: { 200: jsonResponse(metricsWithRowsSchema, 'The version and a page of its rows'), ...errorResponses },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { institutionId, period } = c.req.valid('param');
      const { version, limit, cursor } = c.req.valid('query');
      const institution = await visibleInstitution(principal, institutionId);
      requirePeriod(period);
      const current = await getCurrentMetricsVersion(db, institution.districtId, institutionId, period);
      if (!current) throw notFound('metrics', `Metrics of institution ${institutionId} for ${period}`);
      const chosen = version === undefined || version === current.version ? current : await getMetricsVersion(db, institutionId, period, version);
      if (!chosen) throw notFound('metrics-version', `Version ${version} of the metrics of institution ${institutionId} for ${period}`);
      const page = await listMetricsRows(db, chosen.uploadId, limit, cursor);
      return c.json({ ...versionView(chosen), currentVersion: current.version, rows: page.items, nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/institutions/{institutionId}/metrics/{period}/versions',
      tags: ['metrics'],
      summary: "Every version of an institution's metrics for a period, newest first (the audit trail)",
      ...access(deps, DISTRICT_STAFF),
      request: { params: metricsParams, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(metricsVersionSchema), 'A page of versions'), ...errorResponses },
    }),
    async (c) => {
      const { institutionId, period } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      await visibleInstitution(c.get('principal'), institutionId);
      requirePeriod(period);
      const page = await listMetricsVersions(db, institutionId, period, limit, cursor);
      return c.json({ items: page.items.map(versionView), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/periods/{period}/status',
      tags: ['metrics'],
      summary: 'Whether the period is open to metric uploads, with who closed and reopened it when',
      ...access(deps, DISTRICT_STAFF),
      request: { params: districtPeriodParams },
      responses: { 200: jsonResponse(periodStatusSchema, 'The status'), ...errorResponses },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      requirePeriod(period);
      const { settings: _s, storedState: _t, ...record } = await readPeriod(deps, districtId, period);
      return c.json(record, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/periods/{period}/close',
      tags: ['periods'],
      summary: 'Close the period to metric uploads before its deadline (open → deadline-passed); closing a closed period changes nothing',
      ...access(deps, ['admin']),
      request: { params: districtPeriodParams },
      responses: { 200: jsonResponse(periodStatusSchema, 'The status now'), ...errorResponses },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      requirePeriod(period);
      const { settings: _s, storedState: _t, ...record } = await closePeriodNow(deps, { districtId, period, by: c.get('principal').subject });
      return c.json(record, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/periods/{period}/reopen',
      tags: ['periods'],
      summary: 'Reopen the period to metric uploads, with a reason; only before it is final (409 period-final); reopening an open period changes nothing',
      ...access(deps, ['admin']),
      request: { params: districtPeriodParams, body: jsonBody(reopenPeriodSchema) },
      responses: { 200: jsonResponse(periodStatusSchema, 'The status now'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      requirePeriod(period);
      const { reason, until } = c.req.valid('json');
      const { settings: _s, storedState: _t, ...record } = await reopenPeriodNow(deps, { districtId, period, by: c.get('principal').subject, reason, until });
      return c.json(record, 200);
    },
  );

  app.route('/', createInstitutionDataPages(deps));
  app.route('/', createPeriodPages(deps));
  return app;
}
