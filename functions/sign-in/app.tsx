/**
 * Sign-in function: how a person signs in to the HTML pages when deployed. Cognito's managed
 * login, or an external OpenID Connect issuer's sign-in (infra/sign-in.ts), with the
 * authorization-code flow and PKCE; the ID token it issues (the token shared/http/tokens.ts
 * reads: role, district, institution; audience = the app client) becomes the gk_token cookie
 * that the pages accept (shared/http/api.ts).
 * `npm start` serves local/dev-auth.ts on the same paths instead, so the local server does not
 * mount this app (functions/catalog.ts: deployedOnly).
 *
 * GET  /login          public: to Cognito's sign-in page; `next` is where to return afterwards
 * GET  /auth/callback  public: Cognito's redirect back: checks state, exchanges the code, sets gk_token, goes to next
 * POST /logout         public: clears gk_token and ends the Cognito session
 *
 * Both cookies are SameSite=Lax, not Strict: the callback and the page it redirects to are
 * reached through a redirect from the Cognito domain, another site, and a browser does not send
 * Strict cookies on such a navigation. Lax still keeps them off cross-site POSTs, and the pages
 * check the Origin of unsafe requests themselves.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, createApiApp, publicAccess, TOKEN_COOKIE } from '#shared/http/api.ts';
import { authorizeUrl, endpointsOf, exchangeCode, logoutUrl, type OAuthClientSettings, type OAuthEndpoints, randomToken } from '#shared/http/oauth-client.ts';
import {
  CALLBACK_PATH,
  decodePendingSignIn,
  encodePendingSignIn,
  landingPath,
  PENDING_SIGN_IN_COOKIE,
  PENDING_SIGN_IN_SECONDS,
  safeNextPath,
  secondsUntilExpiry,
} from '#shared/http/sign-in.ts';
import { type SignInMessage, SignInPage } from './page.tsx';

/**
 * From the environment the stack sets (infra/sign-in.ts): the app client id and either the user
 * pool domain (Cognito) or the OpenID Connect issuer whose discovery names the endpoints.
 */
export function signInSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OAuthClientSettings | undefined {
  const clientId = env.JWT_AUDIENCE;
  if (!clientId) return undefined;
  if (env.SIGN_IN_DOMAIN_URL) return { domainUrl: env.SIGN_IN_DOMAIN_URL, clientId };
  if (env.SIGN_IN_ISSUER) return { issuer: env.SIGN_IN_ISSUER, clientId };
  return undefined;
}

/** The endpoints, or undefined when the issuer's discovery document cannot be read now. */
async function reachableEndpoints(settings: OAuthClientSettings): Promise<OAuthEndpoints | undefined> {
  try {
    return await endpointsOf(settings);
  } catch {
    return undefined;
  }
}

/** A destination carried in the pending sign-in cookie is dropped beyond this, so the cookie stays far below 4 KB. */
const MAX_NEXT_BYTES = 1024;

const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

const SECURE_COOKIE = { httpOnly: true, secure: true, sameSite: 'Lax' } as const;

const MESSAGES = {
  notConfigured: {
    title: { zh: '无法登录', en: 'Sign-in unavailable' },
    message: { zh: '此部署未配置登录服务。', en: 'Sign-in is not configured for this deployment.' },
  },
  cognitoError: {
    title: { zh: '登录未完成', en: 'Sign-in not completed' },
    message: { zh: '登录服务拒绝了登录或登录已取消。', en: 'The sign-in service refused the sign-in, or it was cancelled.' },
  },
  expired: {
    title: { zh: '登录已过期', en: 'Sign-in expired' },
    message: {
      zh: '登录请求已过期，或浏览器未保存登录所需的 Cookie。请重新登录。',
      en: 'The sign-in request expired, or the browser did not keep the cookie it needs. Please sign in again.',
    },
  },
  stateMismatch: {
    title: { zh: '登录无法验证', en: 'Sign-in could not be verified' },
    message: {
      zh: '此登录回调不属于本浏览器发起的登录（可能在另一个标签页中重新开始了登录）。请重新登录。',
      en: 'This sign-in response does not belong to the sign-in this browser started (perhaps another tab started a new one). Please sign in again.',
    },
  },
  missingCode: {
    title: { zh: '登录未完成', en: 'Sign-in not completed' },
    message: { zh: '登录服务的回调缺少授权码。', en: 'The sign-in service returned without an authorization code.' },
  },
  badCode: {
    title: { zh: '登录未完成', en: 'Sign-in not completed' },
    message: {
      zh: '授权码无效、已使用或已过期。请重新登录。',
      en: 'The authorization code is invalid, already used or expired. Please sign in again.',
    },
  },
  unavailable: {
    title: { zh: '登录服务暂不可用', en: 'Sign-in service unavailable' },
    message: { zh: '暂时无法连接登录服务，请稍后重试。', en: 'The sign-in service could not be reached. Please try again shortly.' },
  },
  notSetUp: {
    title: { zh: '账号未开通', en: 'Account not set up' },
    message: {
      zh: '已登录，但此账号没有角色或所属区、机构，无法使用本系统。请联系管理员。',
      en: 'You are signed in, but this account has no role group or no district / institution, so it cannot use Gatekeeper. Ask an administrator.',
    },
  },
  signedIn: {
    title: { zh: '已登录', en: 'Signed in' },
    message: {
      zh: '您已登录。您的角色没有默认页面，请打开您需要的页面链接。',
      en: 'You are signed in. Your role has no default page: open the link of the page you need.',
    },
  },
} satisfies Record<string, { title: SignInMessage; message: SignInMessage }>;

function page(c: Context<ApiEnv>, status: 200 | 400 | 403 | 502 | 503, kind: keyof typeof MESSAGES, options: { detail?: string; retryHref?: string } = {}) {
  c.header('cache-control', 'no-store');
  return c.html(<SignInPage {...MESSAGES[kind]} refused={status !== 200} {...options} />, status);
}

function callbackUrl(c: Context<ApiEnv>): string {
  return new URL(CALLBACK_PATH, c.req.url).toString();
}

export function createSignInApp(deps: Pick<Deps, 'verifyToken' | 'now'>, settings: OAuthClientSettings | undefined = signInSettingsFromEnv()) {
  const app = createApiApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/login',
      tags: ['sign-in'],
      summary: "To the identity provider's sign-in page; afterwards back to `next` (a path on this server) or the role's pages",
      ...publicAccess(),
      request: { query: z.object({ next: z.string().max(2048).optional() }) },
      responses: {
        302: { description: "To the issuer's authorize endpoint" },
        502: htmlPage("The issuer's discovery document could not be read"),
        503: htmlPage('Sign-in is not configured'),
      },
    }),
    async (c) => {
      if (!settings) return page(c, 503, 'notConfigured');
      const endpoints = await reachableEndpoints(settings);
      if (!endpoints) return page(c, 502, 'unavailable');
      const next = safeNextPath(c.req.valid('query').next, '');
      const pending = { state: randomToken(), verifier: randomToken(), next: Buffer.byteLength(next) <= MAX_NEXT_BYTES ? next : '' };
      setCookie(c, PENDING_SIGN_IN_COOKIE, encodePendingSignIn(pending), { ...SECURE_COOKIE, path: CALLBACK_PATH, maxAge: PENDING_SIGN_IN_SECONDS });
      c.header('cache-control', 'no-store');
      return c.redirect(authorizeUrl(settings, endpoints, { redirectUri: callbackUrl(c), state: pending.state, verifier: pending.verifier }), 302);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: CALLBACK_PATH,
      tags: ['sign-in'],
      summary: "Cognito's redirect after sign-in: checks state, exchanges the code (PKCE), sets the gk_token cookie and goes to next",
      ...publicAccess(),
      request: {
        query: z.object({
          code: z.string().max(2048).optional(),
          state: z.string().max(256).optional(),
          error: z.string().max(256).optional(),
          error_description: z.string().max(1024).optional(),
        }),
      },
      responses: {
        200: htmlPage('Signed in; the role has no default page'),
        303: { description: 'Signed in: to next, or to the role’s pages' },
        400: htmlPage('Cognito reported an error, the sign-in expired, or the code is invalid'),
        403: htmlPage('The state does not match this browser’s sign-in, or the account has no role or scope'),
        502: htmlPage('The token endpoint could not be reached'),
        503: htmlPage('Sign-in is not configured'),
      },
    }),
    async (c) => {
      if (!settings) return page(c, 503, 'notConfigured');
      const query = c.req.valid('query');
      const pending = decodePendingSignIn(getCookie(c, PENDING_SIGN_IN_COOKIE));
      deleteCookie(c, PENDING_SIGN_IN_COOKIE, { ...SECURE_COOKIE, path: CALLBACK_PATH });
      const retryHref = pending?.next ? `/login?next=${encodeURIComponent(pending.next)}` : '/login';
      if (query.error) {
        return page(c, 400, 'cognitoError', { detail: [query.error, query.error_description].filter(Boolean).join(': '), retryHref });
      }
      if (!pending) return page(c, 400, 'expired', { retryHref });
      if (query.state !== pending.state) return page(c, 403, 'stateMismatch', { retryHref });
      if (!query.code) return page(c, 400, 'missingCode', { retryHref });

      const endpoints = await reachableEndpoints(settings);
      if (!endpoints) return page(c, 502, 'unavailable', { retryHref });
      const exchange = await exchangeCode(settings, endpoints, { code: query.code, redirectUri: callbackUrl(c), verifier: pending.verifier });
      if (!exchange.ok) {
        return exchange.kind === 'rejected' ? page(c, 400, 'badCode', { detail: exchange.error, retryHref }) : page(c, 502, 'unavailable', { retryHref });
      }
      const principal = await deps.verifyToken(exchange.idToken);
      const lifetime = secondsUntilExpiry(exchange.idToken, deps.now());
      if (!principal || lifetime <= 0) return page(c, 403, 'notSetUp');

      setCookie(c, TOKEN_COOKIE, exchange.idToken, { ...SECURE_COOKIE, path: '/', maxAge: lifetime });
      const destination = safeNextPath(pending.next, '') || landingPath(principal);
      if (!destination) return page(c, 200, 'signedIn');
      c.header('cache-control', 'no-store');
      return c.redirect(destination, 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags: ['sign-in'],
      summary: 'Sign out: clears the gk_token cookie and ends the Cognito session, then back to /login',
      ...publicAccess(),
      responses: { 303: { description: "To Cognito's logout endpoint" }, 503: htmlPage('Sign-in is not configured') },
    }),
    async (c) => {
      deleteCookie(c, TOKEN_COOKIE, { ...SECURE_COOKIE, path: '/' });
      if (!settings) return page(c, 503, 'notConfigured');
      const loginUrl = new URL('/login', c.req.url).toString();
      const endpoints = await reachableEndpoints(settings);
      // the cookie is gone either way; without the issuer's sign-out endpoint, back to /login
      return c.redirect(endpoints ? logoutUrl(settings, endpoints, loginUrl) : loginUrl, 303);
    },
  );

  return app;
}
