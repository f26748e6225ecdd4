/** Page responses: the OpenAPI descriptions of an HTML page and a redirect, and a rendered page as the response. */
import * as z from '../schemas/zod.ts';
import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ApiEnv } from '../http/api.ts';

export const htmlResponse = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
export const redirectResponse = (description: string) => ({ description, headers: { location: { schema: { type: 'string' as const } } } });

/** A page as the response (the layout starts with the doctype); rendering to a string hoists <meta> into <head>. */
export async function htmlPage<S extends number>(c: Context<ApiEnv>, page: JSX.Element, status: S) {
  return c.html(await page.toString(), status as 200);
}
