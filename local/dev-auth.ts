/**
 * Local stand-in for Cognito: an ES256 key pair whose public half is the JWKS that the same
 * verifier as in AWS checks, and `POST /auth/dev-token`, which issues a token for any demo
 * identity. `GET /login` is a page to pick a demo identity for the server-rendered pages (in
 * Chinese unless `?lang=en` or the gk_lang cookie says English; the demo district's people listed
 * by name and role in that language, one click each):
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
import { ROLES, type Role } from '#shared/http/principal.ts';
import { getDistrict } from '#shared/data/districts.ts';
import { getInstitution } from '#shared/data/institutions.ts';
import { accountRoleName } from '#shared/domain/role-names.ts';
import { HTML_LANG, type Lang, pageLang } from '#shared/web/lang.ts';
import { DEMO_DISTRICT_ID as DEMO_DISTRICT } from './seed/demo-district.ts';
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

const LOGIN_TEXT = {
  zh: {
    title: '选择演示身份登录',
    hint: '仅用于本地演示（npm start）：可以任何身份签发令牌，并保存在 HttpOnly Cookie 中。部署后由 Cognito 或身份平台登录。',
    role: '角色',
    district: '辖区编号',
    districtHint: '考核评价员、财务人员、机构数据员需要',
    institution: '机构编号',
    institutionHint: '仅机构数据员需要',
    subject: '姓名（令牌主体）',
    subjectHint: '两名财务人员须用不同姓名：结算的创建人不能审批该结算',
    submit: '登录',
    identities: '演示身份',
    identitiesHint: '演示辖区的常用身份，一键登录：',
    signInAs: (name: string) => `以${name}的身份登录`,
    refused: '请选择角色；编号只能包含小写字母、数字和连字符，姓名只能包含字母、数字及 . _ @ -',
    crossSite: '已拒绝跨站登录',
    other: 'English',
  },
  en: {
    title: 'Sign in as a demo identity',
    hint:
      'Local only (npm start): issues a token for any identity and keeps it in an HttpOnly cookie. ' +
      'Deployed, Cognito or the identity platform signs users in.',
    role: 'Role',
    district: 'District id',
    districtHint: 'evaluator, finance, clerk',
    institution: 'Institution id',
    institutionHint: 'clerk only',
    subject: 'Name (token subject)',
    subjectHint: 'two finance officers need two names: the creator of a settlement cannot approve it',
    submit: 'Sign in',
    identities: 'Demo identities',
    identitiesHint: "The demo district's usual people, one click each:",
    signInAs: (name: string) => `Sign in as ${name}`,
    refused: 'Pick a role; ids are lower-case letters, digits and hyphens; names letters, digits and . _ @ -',
    crossSite: 'Cross-site sign-in refused',
    other: '中文',
  },
} as const;

/** The demo district's people (local/seed/demo-district.ts): names and roles shown in the page's language. */
const DEMO_IDENTITIES: { subject: string; name: Record<Lang, string>; role: Role; districtId?: string; institutionId?: string }[] = [
  { subject: 'admin-wang', name: { zh: '王建国', en: 'Wang Jianguo' }, role: 'admin' },
  { subject: 'evaluator-zhao', name: { zh: '赵敏', en: 'Zhao Min' }, role: 'evaluator', districtId: DEMO_DISTRICT },
  { subject: 'finance-li', name: { zh: '李娜', en: 'Li Na' }, role: 'finance', districtId: DEMO_DISTRICT },
  { subject: 'finance-chen', name: { zh: '陈刚', en: 'Chen Gang' }, role: 'finance', districtId: DEMO_DISTRICT },
  { subject: 'clerk-sun', name: { zh: '孙丽', en: 'Sun Li' }, role: 'clerk', districtId: DEMO_DISTRICT, institutionId: 'inst-001' },
];

interface LoginValues {
  next: string;
  lang: Lang;
  role?: string;
  districtId?: string;
  institutionId?: string;
  subject?: string;
  error?: string;
}

/** The demo identities whose district (and institution) exist here, with the names of their scope. */
async function demoIdentities(
  deps: Deps,
): Promise<{ subject: string; name: Record<Lang, string>; role: Role; districtId?: string; institutionId?: string; scope: string[] }[]> {
  let district: Awaited<ReturnType<typeof getDistrict>>;
  let institution: Awaited<ReturnType<typeof getInstitution>> = null;
  try {
    district = await getDistrict(deps.db, DEMO_DISTRICT);
    institution = district ? await getInstitution(deps.db, 'inst-001') : null;
  } catch {
    // a convenience list only: without a readable table (e.g. the app built for synth), the form alone signs in
    district = null;
  }
  return DEMO_IDENTITIES.flatMap((identity) => {
    if (identity.districtId && !district) return [];
    if (identity.institutionId && institution?.districtId !== identity.districtId) return [];
    const scope = [...(identity.districtId && district ? [district.name] : []), ...(identity.institutionId && institution ? [institution.name] : [])];
    return [{ ...identity, scope }];
  });
}

function loginPage(values: LoginValues, identities: Awaited<ReturnType<typeof demoIdentities>>) {
  const { lang } = values;
  const t = LOGIN_TEXT[lang];
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const option = (role: Role) => html`<option value="${role}" ${values.role === role ? 'selected' : ''}>${accountRoleName(role, lang)}</option>`;
  const switchHref = `/login?lang=${other}&next=${encodeURIComponent(values.next)}`;
  return html`<!doctype html>
<html lang="${HTML_LANG[lang]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>body{font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;max-width:560px;margin:24px auto;padding:0 16px;color:#1b1f24}
label{display:flex;flex-direction:column;margin:0 0 12px;font-weight:600}
input,select{font:inherit;padding:8px;border:1px solid #d0d7de;border-radius:6px;font-weight:400}
button{font:inherit;background:#0b5f58;color:#fff;border:0;border-radius:8px;padding:12px 20px;cursor:pointer}
.hint{color:#57606a;font-size:.9rem;font-weight:400}.error{color:#b42318;font-weight:600}
a{color:#0b5f58}a:focus,input:focus,select:focus,button:focus{outline:3px solid #f4b400;outline-offset:1px}
ul.identities{list-style:none;padding:0}
ul.identities li{display:flex;justify-content:space-between;align-items:center;gap:12px;border-top:1px solid #d0d7de;padding:8px 0}
ul.identities button{background:#fff;color:#0b5f58;border:1px solid #0b5f58;padding:8px 14px}</style></head>
<body><p><a href="${switchHref}" lang="${HTML_LANG[other]}" data-testid="lang-switch">${t.other}</a></p>
<main><h1>${t.title}</h1>
<p class="hint">${t.hint}</p>
${values.error ? html`<p class="error" role="alert">${values.error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${values.next}">
<input type="hidden" name="lang" value="${lang}">
<label>${t.role}<select name="role">${ROLES.map(option)}</select></label>
<label>${t.district} <span class="hint">${t.districtHint}</span><input name="districtId" value="${values.districtId ?? DEMO_DISTRICT}"></label>
<label>${t.institution} <span class="hint">${t.institutionHint}</span><input name="institutionId" value="${values.institutionId ?? ''}"></label>
<label>${t.subject} <span class="hint">${t.subjectHint}</span><input name="subject" value="${values.subject ?? ''}" placeholder="finance-li"></label>
<button type="submit">${t.submit}</button>
</form>
${
  identities.length > 0
    ? html`<section aria-labelledby="identities-h"><h2 id="identities-h">${t.identities}</h2><p class="hint">${t.identitiesHint}</p>
<ul class="identities" data-testid="demo-identities">${identities.map(
        (identity) => html`<li><span><strong>${identity.name[lang]}</strong> · ${accountRoleName(identity.role, lang)}${
          identity.scope.length > 0 ? ` · ${identity.scope.join(' · ')}` : ''
        }</span>
<form method="post" action="/login"><input type="hidden" name="next" value="${values.next}"><input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="role" value="${identity.role}"><input type="hidden" name="subject" value="${identity.subject}">
<input type="hidden" name="districtId" value="${identity.districtId ?? ''}"><input type="hidden" name="institutionId" value="${identity.institutionId ?? ''}">
<button type="submit">${t.signInAs(identity.name[lang])}</button></form></li>`,
      )}</ul></section>`
    : ''
}
</main></body></html>`;
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
      request: { query: z.object({ next: z.string().max(2048).optional(), lang: z.enum(['zh', 'en']).optional() }) },
      responses: { 200: page },
    }),
    async (c) => c.html(loginPage({ next: safeNext(c.req.valid('query').next), lang: pageLang(c) }, await demoIdentities(deps)), 200),
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
      if (origin !== undefined && origin !== new URL(c.req.url).origin) {
        const lang = pageLang(c);
        return c.html(loginPage({ next: '/', lang, error: LOGIN_TEXT[lang].crossSite }, []), 403);
      }
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
      const lang = field('lang') === 'en' || field('lang') === 'zh' ? (field('lang') as Lang) : pageLang(c);
      const values = {
        next: safeNext(field('next')),
        lang,
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
        return c.html(loginPage({ ...values, error: LOGIN_TEXT[lang].refused }, await demoIdentities(deps)), 400);
      }
      const claims: Record<string, unknown> = { role: parsed.data.role };
      if (values.subject) claims.sub = values.subject;
      // a demo person (with their own scope) gets a token naming them, as a deployed ID token carries the user's name
      const demo = DEMO_IDENTITIES.find(
        (identity) =>
          identity.subject === values.subject &&
          identity.role === parsed.data.role &&
          identity.districtId === parsed.data.districtId &&
          identity.institutionId === parsed.data.institutionId,
      );
      if (demo) claims.name = demo.name.zh;
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
