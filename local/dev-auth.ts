/**
 * Local stand-in for Cognito: an ES256 key pair whose public half is the JWKS that the same
 * verifier as in AWS checks, and `POST /auth/dev-token`, which issues a token for any demo
 * identity. `GET /login` is a page to pick a demo identity for the server-rendered pages:
 * `POST /login` sets the token as the HttpOnly, SameSite=Strict cookie gk_token (which
 * shared/http/api.ts accepts instead of a bearer token) and redirects to `next`; `POST /logout`
 * clears it. This file is never imported by a Lambda entry, so these routes cannot exist there.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';

type PrivateJwk = HonoJsonWebKey & { alg: string; kid: string; d?: string };
import { sign } from 'hono/jwt';
import { setCookie, deleteCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { idSchema, jsonBody, jsonResponse } from '#shared/schemas/common.ts';
import { createApiApp, type ApiEnv, publicAccess, TOKEN_COOKIE } from '#shared/http/api.ts';
import { ROLES } from '#shared/http/principal.ts';
import { residentRefFor } from '#shared/http/identity.ts';
import { safeNextPath } from '#shared/http/sign-in.ts';
import type { Deps } from '#shared/deps.ts';

export const DEV_ISSUER = 'gatekeeper-local';

export interface DevAuth {
  jwks: HonoJsonWebKey[];
  issue: (claims: Record<string, unknown>, lifetimeSeconds?: number) => Promise<string>;
}

/** Loads the key pair from keyFile, creating it on first use; in memory when no file is given. */
export function createDevAuth(keyFile?: string): DevAuth {
  let privateJwk: PrivateJwk;
  if (keyFile && existsSync(keyFile)) {
    privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as PrivateJwk;
  } else {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    privateJwk = { ...(privateKey.export({ format: 'jwk' }) as HonoJsonWebKey), alg: 'ES256', kid: randomUUID() };
    if (keyFile) writeFileSync(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = privateJwk;
  return {
    jwks: [publicJwk],
    issue: (claims, lifetimeSeconds = 12 * 3600) => {
      const now = Math.floor(Date.now() / 1000);
      return sign({ sub: randomUUID(), iss: DEV_ISSUER, iat: now, exp: now + lifetimeSeconds, ...claims }, privateJwk);
    },
  };
}

const devTokenSchema = z
  .strictObject({
    role: z.enum(ROLES),
    districtId: idSchema.optional(),
    institutionId: idSchema.optional(),
    identityNumber: z.string().optional().openapi({ description: 'For a resident: their identity number (hashed, never stored in the token)' }),
  })
  .openapi('DevTokenRequest');

export function devAuthRoutes(deps: Deps, auth: DevAuth): OpenAPIHono<ApiEnv> {
  const app = createApiApp();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/dev-token',
      tags: ['local only'],
      summary: 'Issue a token for a demo identity (exists only in `npm start`, never in a Lambda)',
      ...publicAccess(),
      request: { body: jsonBody(devTokenSchema) },
      responses: { 200: jsonResponse(z.object({ token: z.string() }), 'A bearer token') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const claims: Record<string, unknown> = { role: body.role };
      if (body.districtId) claims.districtId = body.districtId;
      if (body.institutionId) claims.institutionId = body.institutionId;
      if (body.identityNumber) claims.residentRef = (await residentRefFor(deps, body.identityNumber, 'body.identityNumber')).residentRef;
      return c.json({ token: await auth.issue(claims) }, 200);
    },
  );
  addLoginPage(app, deps, auth);
  return app;
}

const TOKEN_LIFETIME_SECONDS = 12 * 3600;
const SUBJECT_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

/** Only a path on this server, so login cannot redirect elsewhere. */
const safeNext = (next: string | undefined) => safeNextPath(next, '/');

function loginPage(values: { next: string; role?: string; districtId?: string; institutionId?: string; subject?: string; error?: string }) {
  const option = (role: string) => html`<option value="${role}" ${values.role === role ? 'selected' : ''}>${role}</option>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in (local demo)</title>
<style>body{font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;max-width:520px;margin:24px auto;padding:0 16px;color:#1b1f24}
label{display:flex;flex-direction:column;margin:0 0 12px;font-weight:600}input,select{font:inherit;padding:8px;border:1px solid #d0d7de;border-radius:6px;font-weight:400}
button{font:inherit;background:#0b5f58;color:#fff;border:0;border-radius:8px;padding:12px 20px;cursor:pointer}.hint{color:#57606a;font-size:.9rem;font-weight:400}.error{color:#b42318;font-weight:600}</style></head>
<body><h1>Sign in as a demo identity · 选择演示身份登录</h1>
<p class="hint">Local only (npm start): issues a token for any identity and keeps it in an HttpOnly cookie. Deployed, Cognito signs users in.</p>
${values.error ? html`<p class="error" role="alert">${values.error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${values.next}">
<label>Role · 角色<select name="role">${ROLES.map(option)}</select></label>
<label>District · 区 <span class="hint">evaluator, finance, clerk</span><input name="districtId" value="${values.districtId ?? 'haidian'}"></label>
<label>Institution · 机构 <span class="hint">clerk only</span><input name="institutionId" value="${values.institutionId ?? ''}"></label>
<label>Name (token subject) · 姓名 <span class="hint">two finance officers need two names: the creator of a settlement cannot approve it</span><input name="subject" value="${values.subject ?? ''}" placeholder="finance-li"></label>
<button type="submit">Sign in · 登录</button>
</form></body></html>`;
}

/** GET /login, POST /login, POST /logout: the demo sign-in of the server-rendered pages. */
function addLoginPage(app: OpenAPIHono<ApiEnv>, deps: Deps, auth: DevAuth): void {
  const page = { description: 'The sign-in page', content: { 'text/html': { schema: z.string() } } };
  app.openapi(
    createRoute({
      method: 'get',
      path: '/login',
      tags: ['local only'],
      summary: 'Page: pick a demo identity (role, district, institution, name) for the HTML pages (exists only in `npm start`)',
      ...publicAccess(),
      request: { query: z.object({ next: z.string().max(2048).optional() }) },
      responses: { 200: page },
    }),
    (c) => c.html(loginPage({ next: safeNext(c.req.valid('query').next) }), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/login',
      tags: ['local only'],
      summary: 'Sign in (form fields role, districtId, institutionId, subject, next): sets the gk_token cookie and redirects to next',
      ...publicAccess({ bodyLimitBytes: 8 * 1024 }),
      responses: { 303: { description: 'Signed in: to next' }, 400: page, 403: page },
    }),
    async (c) => {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== new URL(c.req.url).origin) return c.html(loginPage({ next: '/', error: 'Cross-site sign-in refused' }), 403);
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
      const values = {
        next: safeNext(field('next')),
        role: field('role'),
        districtId: field('districtId'),
        institutionId: field('institutionId'),
        subject: field('subject'),
      };
      const parsed = devTokenSchema.safeParse({
        role: values.role,
        ...(values.districtId ? { districtId: values.districtId } : {}),
        ...(values.institutionId ? { institutionId: values.institutionId } : {}),
        ...(field('identityNumber') ? { identityNumber: field('identityNumber') } : {}),
      });
      if (!parsed.success || (values.subject !== '' && !SUBJECT_PATTERN.test(values.subject))) {
        return c.html(loginPage({ ...values, error: 'Pick a role; ids are lower-case letters, digits and hyphens; names letters, digits and . _ @ -' }), 400);
      }
      const claims: Record<string, unknown> = { role: parsed.data.role };
      if (values.subject) claims.sub = values.subject;
      if (parsed.data.districtId) claims.districtId = parsed.data.districtId;
      if (parsed.data.institutionId) claims.institutionId = parsed.data.institutionId;
      if (parsed.data.identityNumber) claims.residentRef = (await residentRefFor(deps, parsed.data.identityNumber, 'identityNumber')).residentRef;
      setCookie(c, TOKEN_COOKIE, await auth.issue(claims, TOKEN_LIFETIME_SECONDS), {
        httpOnly: true,
        sameSite: 'Strict',
        secure: new URL(c.req.url).protocol === 'https:',
        path: '/',
        maxAge: TOKEN_LIFETIME_SECONDS,
      });
      return c.redirect(values.next, 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags: ['local only'],
      summary: 'Sign out: clears the gk_token cookie',
      ...publicAccess(),
      responses: { 303: { description: 'Signed out: to the sign-in page' } },
    }),
    (c) => {
      deleteCookie(c, TOKEN_COOKIE, { path: '/' });
      return c.redirect('/login', 303);
    },
  );
}
