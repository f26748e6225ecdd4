/**
 * Appeal attachments (issue 14 item 5): files, so served by this function, which holds the file
 * storage (shared/services/appeal-attachments.ts; the S3 client would cost the evaluation
 * function ~45 KB at cold start). The appeals themselves are the evaluation function's.
 *
 * POST /appeals/{appealId}/attachments                  clerk (their institution's open appeal): one PDF, PNG or JPEG file, multipart field "file"
 * GET  /appeals/{appealId}/attachments/{attachmentId}   the institution's clerk, the district's evaluators: the file (or a short-lived S3 link)
 * POST /clerk/appeals/{appealId}/attachments?period=    clerk, page form: the same upload → the appeals page
 */
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '#shared/deps.ts';
import { ATTACHMENT_FORM_LIMIT_BYTES } from '#shared/domain/appeal-attachments.ts';
import { PERIOD_PATTERN } from '#shared/domain/periods.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import { problems } from '#shared/http/problem.ts';
import { conflictResponse, errorResponses, idSchema, jsonResponse, unprocessableResponse } from '#shared/schemas/common.ts';
import { appealAttachmentSchema } from '#shared/schemas/appeal-attachments.ts';
import * as z from '#shared/schemas/zod.ts';
import { visibleAppeal } from '#shared/services/appeal-access.ts';
import { attachmentDownload, attachToAppeal } from '#shared/services/appeal-attachments.ts';
import type { ReportStorage } from '#shared/services/reports/storage.ts';
import { pageLang } from '#shared/web/lang.ts';
import type { pageAccess as kitPageAccess } from '#shared/web/page-access.tsx';
import { htmlResponse, redirectResponse } from '#shared/web/responses.ts';

const appealParams = z.object({ appealId: idSchema });

/** The posted file (multipart field "file"), or 400. */
async function postedFile(c: { req: { parseBody: () => Promise<Record<string, unknown>> } }): Promise<{ name: string; content: Uint8Array }> {
  const file = (await c.req.parseBody()).file;
  if (!(file instanceof File) || file.size === 0) throw problems.validation([{ field: 'body.file', message: 'A file is required (multipart field file)' }]);
  return { name: file.name, content: new Uint8Array(await file.arrayBuffer()) };
}

export function registerAppealAttachmentRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps, pageAccess: typeof kitPageAccess, storage: ReportStorage): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/appeals/{appealId}/attachments',
      tags: ['periods'],
      summary: "Attach a PDF, PNG or JPEG file (multipart field file, at most 4 MiB, 3 per appeal) to one of your institution's open appeals",
      ...access(deps, ['clerk'], { bodyLimitBytes: ATTACHMENT_FORM_LIMIT_BYTES }),
      request: { params: appealParams },
      responses: { 201: jsonResponse(appealAttachmentSchema, 'Attached'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { appealId } = c.req.valid('param');
      // out of scope is 404 before anything about the body
      await visibleAppeal(deps, appealId, c.get('principal'));
      const file = await postedFile(c);
      return c.json(await attachToAppeal(deps, storage, { appealId, caller: c.get('principal'), file }), 201);
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
      const delivery = await attachmentDownload(deps, storage, { appealId, attachmentId, caller: c.get('principal') });
      if (delivery.kind === 'redirect') return c.redirect(delivery.url, 302);
      return c.body(Readable.toWeb(delivery.reader.stream) as unknown as ReadableStream<Uint8Array>, 200, {
        'content-type': delivery.meta.contentType,
        'content-disposition': delivery.meta.contentDisposition,
        'content-length': String(delivery.reader.bytes),
        'cache-control': 'private, no-store',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/appeals/{appealId}/attachments',
      tags: ['pages'],
      summary: 'Form: one more PDF, PNG or JPEG attachment to one of your open appeals (multipart field file) → the appeals page',
      ...pageAccess(deps, ['clerk'], { bodyLimitBytes: ATTACHMENT_FORM_LIMIT_BYTES, backOf: () => '/clerk/appeals' }),
      request: { params: appealParams, query: z.object({ lang: z.enum(['zh', 'en']).optional(), period: z.string().regex(PERIOD_PATTERN).optional() }) },
      responses: {
        303: redirectResponse('Attached: to the appeals page'),
        400: htmlResponse('No file'),
        404: htmlResponse('Not an appeal of your institution'),
        409: htmlResponse('Decided or full'),
        422: htmlResponse('The file is refused'),
      },
    }),
    async (c) => {
      const { appealId } = c.req.valid('param');
      const appeal = await visibleAppeal(deps, appealId, c.get('principal'));
      await attachToAppeal(deps, storage, { appealId, caller: c.get('principal'), file: await postedFile(c) });
      return c.redirect(`/clerk/appeals?period=${appeal.period}&lang=${pageLang(c)}&done=attached#${appealId}`, 303);
    },
  );
}
