/** Request and response schemas of the settlement reports (XLSX, CSV) and their background jobs. */
import * as z from '#shared/schemas/zod.ts';
import { CSV_SHEETS, REPORT_FORMATS } from '../domain/reports.ts';

export const REPORT_LANGS = ['zh', 'en'] as const;

const langSchema = z.enum(REPORT_LANGS).openapi({ description: 'Sheet and column names: zh (default) or en' });
const sheetSchema = z.enum(CSV_SHEETS).openapi({
  description: 'teams (incentive and subsidy per team), members (the split), institutions (subsidy statement), fees (fee statement per service package)',
});

/** Ids in paths are looked up, never parsed: anything that is not a visible settlement or job is 404. */
export const reportJobParamsSchema = z.object({
  jobId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .openapi({ example: 'rpt-4k9d0c2m7q1x8z3b' }),
});

export const xlsxQuerySchema = z.object({ lang: langSchema.optional() });
export const csvQuerySchema = z.object({ sheet: sheetSchema.default('teams'), lang: langSchema.optional() });

export const reportJobRequestSchema = z
  .strictObject({
    format: z.enum(REPORT_FORMATS),
    sheet: sheetSchema.optional().openapi({ description: 'CSV only (default teams)' }),
    lang: langSchema.default('zh'),
  })
  .openapi('ReportJobRequest');

export const reportJobSchema = z
  .object({
    jobId: z.string(),
    settlementId: z.string(),
    format: z.enum(REPORT_FORMATS),
    sheet: z.enum(CSV_SHEETS).nullable(),
    lang: z.enum(REPORT_LANGS),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z
      .object({ rows: z.number().int(), total: z.number().int(), percent: z.number().int() })
      .openapi({ description: 'Rows written of the rows to write' }),
    fileName: z.string(),
    bytes: z.number().int().nullable(),
    error: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    downloadUrl: z
      .string()
      .nullable()
      .openapi({ description: 'When done: a presigned link valid for a few minutes (deployed), or GET /report-jobs/{jobId}/file (locally)' }),
  })
  .openapi('ReportJob');

const binary = z.string().openapi({ format: 'binary' });
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const dispositionHeader = {
  'content-disposition': { schema: { type: 'string' as const }, description: 'attachment; filename="…" (ASCII); filename*=UTF-8\'\'… (the Chinese name)' },
};

export const xlsxResponse = (description: string) => ({ description, headers: dispositionHeader, content: { [XLSX_TYPE]: { schema: binary } } });
export const csvResponse = (description: string) => ({ description, headers: dispositionHeader, content: { 'text/csv': { schema: binary } } });
export const anyReportResponse = (description: string) => ({
  description,
  headers: dispositionHeader,
  content: { [XLSX_TYPE]: { schema: binary }, 'text/csv': { schema: binary } },
});
