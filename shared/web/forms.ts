/** Reading a posted form: its string fields, and its value checked with the API's zod schema. */
import type { Context } from 'hono';
import type * as z from 'zod';
import { type FieldError, zodFieldErrors } from '../domain/field-errors.ts';
import type { ApiEnv } from '../http/api.ts';

/** The string fields of a posted form (application/x-www-form-urlencoded or multipart). */
export async function formValues(c: Context<ApiEnv>): Promise<Record<string, string>> {
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/**
 * A form's value checked with the zod schema the API checks the same request with: the parsed
 * request, or each problem named by its path below `location` as the API names it.
 */
export function validateWith<T>(schema: z.ZodType<T>, value: unknown, location = 'body'): { ok: true; data: T } | { ok: false; errors: FieldError[] } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error, location, value) };
}
