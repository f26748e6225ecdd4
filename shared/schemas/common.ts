/** Schemas several function apps share: ids, dates, paging, problem responses. */
import * as z from '#shared/schemas/zod.ts';
import { isValidIsoDate } from '../domain/dates.ts';
import { PERIOD_PATTERN } from '../domain/periods.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/paging.ts';

export const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'Use 2-64 lower-case letters, digits and hyphens');
export const isoDateSchema = z
  .string()
  .refine(isValidIsoDate, 'Use a real calendar date, YYYY-MM-DD')
  .refine((date) => date >= '1900-01-01' && date <= '2100-12-31', 'Use a date between 1900-01-01 and 2100-12-31')
  .openapi({ example: '2026-07-01' });
export const periodSchema = z.string().regex(PERIOD_PATTERN, 'Use a year (2026) or a quarter (2026Q3)').openapi({ example: '2026Q3' });
export const fenSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Amount in fen (1 yuan = 100 fen)' });

export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `1 to ${MAX_PAGE_SIZE}` }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .passthrough()
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** The error responses a signed-in route can give; spread into `responses`. */
export const errorResponses = {
  400: { description: 'Invalid request; `errors` names each field', content: problemContent },
  401: { description: 'Not signed in', content: problemContent },
  403: { description: 'Role or scope does not allow this', content: problemContent },
  404: { description: 'Not found (or not visible to you)', content: problemContent },
  413: { description: 'Body too large', content: problemContent },
} as const;

export const conflictResponse = { 409: { description: 'Conflicts with the current state', content: problemContent } } as const;
export const unprocessableResponse = { 422: { description: 'Breaks a business rule', content: problemContent } } as const;

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, content: { 'application/json': { schema } }, ...(description ? { description } : {}) };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
