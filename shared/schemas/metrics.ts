/** Request and response schemas of service metrics: the catalogue, uploads, versions, period status. */
import * as z from '#shared/schemas/zod.ts';
import { METRIC_KINDS } from '../domain/metrics/catalogue.ts';
import { MAX_UPLOAD_COLUMNS } from '../domain/metrics/validate-upload.ts';

const localisedSchema = z.object({ zh: z.string(), en: z.string() });

export const metricDefinitionSchema = z
  .object({
    code: z.string().openapi({ example: 'htn-followup-done' }),
    name: localisedSchema,
    unit: localisedSchema,
    kind: z.enum(METRIC_KINDS).openapi({ description: 'count; numerator / denominator: the halves of a rate; measure: decimals allowed' }),
    min: z.number(),
    max: z.number(),
    denominator: z.string().optional().openapi({ description: 'Numerators only: the metric this value may not exceed' }),
    required: z.boolean(),
  })
  .openapi('MetricDefinition');

export const metricCatalogueSchema = z
  .object({
    districtId: z.string(),
    version: z.number().int(),
    stored: z.boolean().openapi({ description: 'false while the district uses the default catalogue without having stored it' }),
    definitions: z.array(metricDefinitionSchema),
    derivedFromRegistry: z.array(z.string()).openapi({ description: 'Codes computed from the contract registry; never uploaded' }),
  })
  .openapi('MetricCatalogue');

export const MAX_UPLOAD_ROWS = 100_000;

const teamIdCell = z.string().max(64).openapi({ example: 'team-0001' });

export const metricsUploadSchema = z
  .strictObject({
    rows: z
      .array(
        z.strictObject({
          teamId: teamIdCell,
          values: z
            .record(z.string().max(64), z.number())
            // the same width as a CSV header may have (teamId and the codes)
            .refine((values) => Object.keys(values).length < MAX_UPLOAD_COLUMNS, `At most ${MAX_UPLOAD_COLUMNS - 1} metric codes per row`)
            .openapi({ example: { 'htn-followup-due': 120, 'htn-followup-done': 111 } }),
        }),
      )
      .max(MAX_UPLOAD_ROWS),
  })
  .openapi('MetricsUpload');

export const idempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'Use 1-255 visible ASCII characters')
    .optional()
    .openapi({ description: 'Makes a retry safe: the same key and body return the first result without storing twice', example: 'a3f1c9e0-upload-2026q3' }),
});

export const metricsVersionSchema = z
  .object({
    districtId: z.string(),
    institutionId: z.string(),
    period: z.string(),
    version: z.number().int(),
    uploadedBy: z.string(),
    uploadedAt: z.string(),
    rowCount: z.number().int(),
    codes: z.array(z.string()),
    format: z.enum(['csv', 'json', 'seed']),
    catalogueVersion: z.number().int(),
    bodySha256: z.string().optional(),
  })
  .openapi('MetricsVersion');

export const metricsRowSchema = z.object({ teamId: z.string(), values: z.record(z.string(), z.number()) }).openapi('MetricsRow');

export const metricsWithRowsSchema = metricsVersionSchema
  .extend({
    currentVersion: z.number().int(),
    rows: z.array(metricsRowSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Rows come in pages; pass this as `cursor` for the next' }),
  })
  .openapi('MetricsWithRows');

export const metricsQuerySchema = z.object({
  version: z.coerce.number().int().min(1).optional().openapi({ description: 'An earlier version; the current one when absent' }),
  limit: z.coerce.number().int().min(1).max(1000).default(500).openapi({ description: 'Rows per page, 1 to 1000' }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export { periodStatusSchema } from './periods.ts';

/** Path parameter: validated in the handler, after the scope check, so a foreign caller learns nothing. */
export const periodParamSchema = z.string().max(16).openapi({ description: 'A year (2026) or a quarter (2026Q3)', example: '2026Q3' });
