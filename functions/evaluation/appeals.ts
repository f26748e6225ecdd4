/**
 * Appeals against a period's published results (use cases: shared/services/appeals.ts).
 *
 * GET  /districts/{districtId}/periods/{period}/appeals  admin, evaluator, finance, clerk (their institution's)
 * POST /districts/{districtId}/periods/{period}/appeals  clerk: during the review window (409 appeal-window-closed after)
 * POST /appeals/{appealId}/decision                      admin, evaluator: accept (new metric version, correction run) or reject, with a reason
 * POST /appeals/{appealId}/attachments                   clerk (their institution's open appeal): one PDF, PNG or JPEG file, multipart field "file"
 * GET  /appeals/{appealId}/attachments/{attachmentId}    the institution's clerk, the district's evaluators: the file (or a short-lived S3 link)
 */
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import { assertDistrictInPath } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonBody, jsonResponse, unprocessableResponse } from '#shared/schemas/common.ts';
import { appealAttachmentSchema, appealDecisionSchema, appealSchema, newAppealSchema } from '#shared/schemas/periods.ts';
import { decideAppeal, fileAppealAsClerk, listAppeals, visibleAppeal } from '#shared/services/appeals.ts';
import { ATTACHMENT_FORM_LIMIT_BYTES } from '#shared/domain/appeal-attachments.ts';
import { attachmentDownload, attachToAppeal } from '#shared/services/appeal-attachments.ts';
import type { ReportStorage } from '#shared/services/reports/storage.ts';
import { problems } from '#shared/http/problem.ts';
import { districtPeriodParams, requirePeriodParam } from './periods.ts';

export function registerAppealRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps, attachments: ReportStorage): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/periods/{period}/appeals',
      tags: ['periods'],
      summary: "A period's appeals with their decisions and, once corrected, the teams whose results changed (a clerk sees their institution's)",
      ...access(deps, ['admin', 'evaluator', 'finance', 'clerk']),
      request: { params: districtPeriodParams },
      responses: { 200: jsonResponse(z.object({ items: z.array(appealSchema) }), 'The appeals, oldest first'), ...errorResponses },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      return c.json({ items: await listAppeals(deps, districtId, period, principal) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/periods/{period}/appeals',
      tags: ['periods'],
      summary: "File an appeal on an indicator of one of your institution's teams during the review window",
      ...access(deps, ['clerk']),
      request: { params: districtPeriodParams, body: jsonBody(newAppealSchema) },
      responses: { 201: jsonResponse(appealSchema, 'Filed'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      return c.json(await fileAppealAsClerk(deps, { districtId, period, caller: principal, appeal: c.req.valid('json') }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/appeals/{appealId}/decision',
      tags: ['periods'],
      summary: 'Accept (the value becomes a new metric version and a correction run starts) or reject an appeal, with a reason',
      ...access(deps, ['admin', 'evaluator']),
      request: { params: z.object({ appealId: idSchema }), body: jsonBody(appealDecisionSchema) },
      responses: { 200: jsonResponse(appealSchema, 'Decided'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { appealId } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(await decideAppeal(deps, { appealId, caller: c.get('principal'), decision: body.decision, reason: body.reason, value: body.value }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/appeals/{appealId}/attachments',
      tags: ['periods'],
      summary: "Attach a PDF, PNG or JPEG file (multipart field file, at most 4 MiB, 3 per appeal) to one of your institution's open appeals",
      ...access(deps, ['clerk'], { bodyLimitBytes: ATTACHMENT_FORM_LIMIT_BYTES }),
      request: { params: z.object({ appealId: idSchema }) },
      responses: { 201: jsonResponse(appealAttachmentSchema, 'Attached'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { appealId } = c.req.valid('param');
      // out of scope is 404 before anything about the body
      await visibleAppeal(deps, appealId, c.get('principal'));
      const file = (await c.req.parseBody()).file;
      if (!(file instanceof File)) throw problems.validation([{ field: 'body.file', message: 'A file is required (multipart field file)' }]);
      const content = new Uint8Array(await file.arrayBuffer());
      return c.json(await attachToAppeal(deps, attachments, { appealId, caller: c.get('principal'), file: { name: file.name, content } }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/appeals/{appealId}/attachments/{attachmentId}',
      tags: ['periods'],
      summary: "An appeal's attachment: for the institution's clerk and the district's evaluators",
      ...access(deps, ['clerk', 'evaluator']),
      request: { params: z.object({ appealId: idSchema, attachmentId: idSchema }) },
      responses: { 200: { description: 'The file' }, 302: { description: 'A short-lived link to the file (deployed)' }, ...errorResponses },
    }),
    async (c) => {
      const { appealId, attachmentId } = c.req.valid('param');
      const delivery = await attachmentDownload(deps, attachments, { appealId, attachmentId, caller: c.get('principal') });
      if (delivery.kind === 'redirect') return c.redirect(delivery.url, 302);
      return c.body(Readable.toWeb(delivery.reader.stream) as unknown as ReadableStream<Uint8Array>, 200, {
        'content-type': delivery.meta.contentType,
        'content-disposition': delivery.meta.contentDisposition,
        'content-length': String(delivery.reader.bytes),
        'cache-control': 'private, no-store',
      });
    },
  );
}
