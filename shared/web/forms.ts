/** Reading a posted form: its string fields. */
import type { Context } from 'hono';
import type { ApiEnv } from '../http/api.ts';

/** The string fields of a posted form (application/x-www-form-urlencoded or multipart). */
export async function formValues(c: Context<ApiEnv>): Promise<Record<string, string>> {
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}
