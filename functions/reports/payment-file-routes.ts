/**
 * Payment files of approved settlements (finance officers of the settlement's district only: the
 * file carries full bank account numbers, which administrators do not need):
 *
 * GET  /settlements/{settlementId}/payment-file.xlsx?lang=zh|en
 * GET  /settlements/{settlementId}/payment-file.csv?lang=zh|en
 * GET  /finance/settlements/{settlementId}/payment-file.xlsx | .csv    the same from the pages (cookie sign-in)
 *
 * 409 `payment-file-of-draft` for a draft; 422 `payee-missing` when an institution to be paid has
 * no approved payee. Another district's settlement is 404.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Context } from 'hono';
import { getSettlement } from '#shared/data/settlements.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import type { Role } from '#shared/http/principal.ts';
import { canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { errorResponses } from '#shared/schemas/common.ts';
import { csvResponse, xlsxResponse } from '#shared/schemas/reports.ts';
import { contentDisposition, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '#shared/services/reports/index.ts';
import { requirePayeeCipher } from '#shared/services/payees.ts';
import { langOf } from '#shared/web/lang.ts';
import { htmlResponse } from '#shared/web/responses.ts';

type AccessConfig = ReturnType<typeof access>;

const OFFICERS: readonly Role[] = ['finance'];

export function registerPaymentFileRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps, pageAccess: (deps: Deps, roles: readonly Role[]) => AccessConfig): void {
  const settlementParams = z.object({
    settlementId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/)
      .openapi({ example: 'stl-4k9d0c2m7q1x8z3b' }),
  });
  const query = z.object({ lang: z.string().max(8).optional() });

  async function deliver(c: Context<ApiEnv>, settlementId: string, format: 'xlsx' | 'csv', langParam: string | undefined): Promise<Response> {
    const principal = c.get('principal');
    const settlement = visibleOr404(await getSettlement(deps.db, settlementId), (s) => canSeeDistrict(principal, s.districtId), `Settlement ${settlementId}`);
    const lang = langOf(langParam);
    // loaded on first use: the reports function's cold start does not pay for payment files
    const { paymentFileCsv, paymentFileName, paymentFileXlsx, preparePaymentFile } = await import('#shared/services/reports/payment-file.ts');
    const file = await preparePaymentFile(deps.db, await requirePayeeCipher(deps), settlement);
    const body = format === 'xlsx' ? await paymentFileXlsx(file, lang, deps.now()) : paymentFileCsv(file, lang);
    const names = paymentFileName(settlement, lang, format);
    return c.body(new Uint8Array(body), 200, {
      'content-type': format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE,
      'content-disposition': contentDisposition(names.fileName, names.asciiFileName),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
  }

  for (const format of ['xlsx', 'csv'] as const) {
    // one type for both formats (the union would not type the handler); the value is the format's own
    const response = (
      format === 'xlsx' ? xlsxResponse('The payment file') : csvResponse('The payment file (UTF-8 with BOM; the control total is the last line)')
    ) as ReturnType<typeof csvResponse>;
    app.openapi(
      createRoute({
        method: 'get',
        path: `/settlements/{settlementId}/payment-file.${format}`,
        tags: ['finance reports'],
        summary:
          `The payment file of an approved settlement as ${format.toUpperCase()}: ` +
          `one line per institution with its payee, the amount per funding source, and a control total`,
        ...access(deps, OFFICERS),
        request: { params: settlementParams, query },
        responses: {
          200: response,
          ...errorResponses,
          409: { description: '`payment-file-of-draft`: the settlement is a draft', content: errorResponses[404].content },
          422: { description: '`payee-missing`: an institution to be paid has no approved payee', content: errorResponses[404].content },
        },
      }),
      async (c) => deliver(c, c.req.valid('param').settlementId, format, c.req.valid('query').lang),
    );
    app.openapi(
      createRoute({
        method: 'get',
        path: `/finance/settlements/{settlementId}/payment-file.${format}`,
        tags: ['finance pages'],
        summary: `Page download: the payment file as ${format.toUpperCase()}`,
        ...pageAccess(deps, OFFICERS),
        request: { params: settlementParams, query },
        responses: {
          200: response,
          401: htmlResponse('Not signed in'),
          404: htmlResponse('No such settlement in your district'),
          409: htmlResponse('A draft'),
        },
      }),
      async (c) => deliver(c, c.req.valid('param').settlementId, format, c.req.valid('query').lang),
    );
  }
}
