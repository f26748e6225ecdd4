/**
 * The deployed browser sign-in (functions/sign-in) against a local HTTP server playing Cognito's
 * token endpoint: it checks the PKCE verifier against the challenge sent to /oauth2/authorize
 * and issues ID tokens signed by a test key whose JWKS the app's verifier trusts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInApp } from '../../functions/sign-in/app.tsx';
import { TOKEN_COOKIE } from '#shared/http/api.ts';
import { codeChallengeOf, randomToken } from '#shared/http/oauth-client.ts';
import { PENDING_SIGN_IN_COOKIE, safeNextPath } from '#shared/http/sign-in.ts';
import { jwksVerifier } from '#shared/http/tokens.ts';
import { synthDeps } from '../../infra/function-routes.ts';
import { createDevAuth } from '../../local/dev-auth.ts';
import { createLocalApp } from '../../local/server.ts';

const ISSUER = 'https://cognito-idp.test/pool';
const CLIENT_ID = 'web-client-id';
const SITE = 'https://gk.example';
const ID_TOKEN_SECONDS = 3600;

const cognitoKeys = createDevAuth();

/** What the fake Cognito knows about an authorization code it handed out. */
interface IssuedCode {
  challenge: string;
  redirectUri: string;
  claims: Record<string, unknown>;
}

const codes = new Map<string, IssuedCode>();
const tokenRequests: URLSearchParams[] = [];
let cognito: Server;
let cognitoUrl: string;

function fail(res: import('node:http').ServerResponse, error: string) {
  res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
}

beforeAll(async () => {
  cognito = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', async () => {
      if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
        // the same server as an external OpenID Connect issuer: its endpoints by discovery
        return res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer: ISSUER,
            authorization_endpoint: `${cognitoUrl}/authorize`,
            token_endpoint: `${cognitoUrl}/oauth2/token`,
            end_session_endpoint: `${cognitoUrl}/end-session`,
          }),
        );
      }
      if (req.method !== 'POST' || req.url !== '/oauth2/token') return res.writeHead(404).end();
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return fail(res, 'invalid_request');
      const form = new URLSearchParams(raw);
      tokenRequests.push(form);
      const issued = codes.get(form.get('code') ?? '');
      if (form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== CLIENT_ID) return fail(res, 'invalid_client');
      // Cognito's checks: the code exists and is single-use, same redirect_uri, verifier matches the challenge
      if (!issued || issued.redirectUri !== form.get('redirect_uri')) return fail(res, 'invalid_grant');
      codes.delete(form.get('code')!);
      if (codeChallengeOf(form.get('code_verifier') ?? '') !== issued.challenge) return fail(res, 'invalid_grant');
      const idToken = await cognitoKeys.issue({ iss: ISSUER, aud: CLIENT_ID, token_use: 'id', ...issued.claims }, ID_TOKEN_SECONDS);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id_token: idToken, access_token: 'unused', token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
  cognitoUrl = `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => cognito.close(() => resolve())));

const verifyToken = jwksVerifier({ keys: cognitoKeys.jwks, issuer: ISSUER, audience: CLIENT_ID });

function signInApp(domainUrl = cognitoUrl) {
  return createSignInApp({ verifyToken, now: () => new Date() }, { domainUrl, clientId: CLIENT_ID });
}

/** Set-Cookie lines of a response, by cookie name. */
function cookiesOf(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf('=')), line]));
}

function cookieValue(line: string): string {
  return line.slice(line.indexOf('=') + 1, line.indexOf(';'));
}

function attributes(line: string): Map<string, string> {
  return new Map(
    line
      .split(';')
      .slice(1)
      .map((part) => {
        const [name, value = ''] = part.trim().split('=');
        return [name!.toLowerCase(), value];
      }),
  );
}

/** GET /login: where the browser is sent, and the pending sign-in cookie. */
async function startSignIn(app: ReturnType<typeof signInApp>, next?: string) {
  const response = await app.request(`${SITE}/login${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`);
  expect(response.status).toBe(302);
  const authorize = new URL(response.headers.get('location')!);
  const pending = cookiesOf(response).get(PENDING_SIGN_IN_COOKIE)!;
  expect(pending).toBeDefined();
  return { authorize, pending, cookie: `${PENDING_SIGN_IN_COOKIE}=${cookieValue(pending)}` };
}

/** The user signs in at Cognito, which redirects back with a fresh code for this challenge. */
function cognitoSignsIn(authorize: URL, claims: Record<string, unknown>): string {
  const code = randomToken();
  codes.set(code, { challenge: authorize.searchParams.get('code_challenge')!, redirectUri: authorize.searchParams.get('redirect_uri')!, claims });
  return code;
}

function callback(app: ReturnType<typeof signInApp>, query: Record<string, string>, cookie?: string) {
  return app.request(`${SITE}/auth/callback?${new URLSearchParams(query)}`, { headers: cookie ? { cookie } : {} });
}

const financeClaims = { sub: 'finance-li', 'cognito:groups': ['finance'], 'custom:districtId': 'haidian' };

describe('PKCE', () => {
  it('derives the challenge as base64url(sha256(verifier)) (RFC 7636 appendix B)', () => {
    expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('sends Cognito an S256 challenge of a fresh verifier and the state, and keeps both in a short-lived Lax cookie', async () => {
    const app = signInApp();
    const first = await startSignIn(app, '/finance/districts/haidian/settlements');
    const second = await startSignIn(app);
    const { authorize, pending } = first;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${cognitoUrl}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${SITE}/auth/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    const state = authorize.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(43);
    expect(state).not.toBe(second.authorize.searchParams.get('state'));
    expect(authorize.searchParams.get('code_challenge')).not.toBe(second.authorize.searchParams.get('code_challenge'));
    const attrs = attributes(pending);
    expect(attrs.has('httponly')).toBe(true);
    expect(attrs.has('secure')).toBe(true);
    expect(attrs.get('samesite')).toBe('Lax');
    expect(attrs.get('path')).toBe('/auth/callback');
    expect(Number(attrs.get('max-age'))).toBeGreaterThan(0);
    expect(Number(attrs.get('max-age'))).toBeLessThanOrEqual(900);
  });
});

describe('GET /auth/callback', () => {
  it('exchanges the code with the verifier, sets gk_token and returns to next', async () => {
    const app = signInApp();
    const { authorize, cookie } = await startSignIn(app, '/finance/settlements/s-1?lang=en');
    const code = cognitoSignsIn(authorize, financeClaims);
    const response = await callback(app, { code, state: authorize.searchParams.get('state')! }, cookie);

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/finance/settlements/s-1?lang=en');
    const exchange = tokenRequests.at(-1)!;
    expect(Object.fromEntries(exchange)).toMatchObject({ grant_type: 'authorization_code', client_id: CLIENT_ID, code, redirect_uri: `${SITE}/auth/callback` });
    expect(codeChallengeOf(exchange.get('code_verifier')!)).toBe(authorize.searchParams.get('code_challenge'));

    const cookies = cookiesOf(response);
    const tokenCookie = cookies.get(TOKEN_COOKIE)!;
    const attrs = attributes(tokenCookie);
    expect(attrs.has('httponly')).toBe(true);
    expect(attrs.has('secure')).toBe(true);
    expect(attrs.get('samesite')).toBe('Lax');
    expect(attrs.get('path')).toBe('/');
    const maxAge = Number(attrs.get('max-age'));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(ID_TOKEN_SECONDS);
    // the cookie holds the ID token, which the pages' verifier reads as the Cognito user
    expect(await verifyToken(cookieValue(tokenCookie))).toEqual({ subject: 'finance-li', role: 'finance', districtId: 'haidian' });
    // the pending sign-in is used up
    expect(attributes(cookies.get(PENDING_SIGN_IN_COOKIE)!).get('max-age')).toBe('0');
  });

  it("sends a user without a destination to their role's pages", async () => {
    const app = signInApp();
    const { authorize, cookie } = await startSignIn(app);
    const code = cognitoSignsIn(authorize, { sub: 'eval-wang', 'cognito:groups': ['evaluator'], 'custom:districtId': 'haidian' });
    const response = await callback(app, { code, state: authorize.searchParams.get('state')! }, cookie);
    expect(response.status).toBe(303);
    // the role's home page (issue 15: every role lands on its own home)
    expect(response.headers.get('location')).toBe('/evaluator');
  });

  it.each(['https://evil.example/x', '//evil.example', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)'])(
    'never redirects off the site: next=%s',
    async (next) => {
      const app = signInApp();
      const { authorize, cookie } = await startSignIn(app, next);
      const code = cognitoSignsIn(authorize, financeClaims);
      const response = await callback(app, { code, state: authorize.searchParams.get('state')! }, cookie);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/finance');
    },
  );

  it('refuses a state that is not the one this browser started with, without asking for tokens', async () => {
    const app = signInApp();
    const { authorize, cookie } = await startSignIn(app, '/finance/settlements/s-1');
    const code = cognitoSignsIn(authorize, financeClaims);
    const before = tokenRequests.length;
    const response = await callback(app, { code, state: randomToken() }, cookie);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('Sign-in could not be verified');
    expect(cookiesOf(response).has(TOKEN_COOKIE)).toBe(false);
    expect(tokenRequests.length).toBe(before);
  });

  it('refuses a callback without the pending sign-in cookie (expired, or started elsewhere)', async () => {
    const app = signInApp();
    const { authorize } = await startSignIn(app);
    const code = cognitoSignsIn(authorize, financeClaims);
    const response = await callback(app, { code, state: authorize.searchParams.get('state')! });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Sign-in expired');
    expect(cookiesOf(response).has(TOKEN_COOKIE)).toBe(false);
  });

  it('says clearly when the code is refused by the token endpoint, and a used code cannot be replayed', async () => {
    const app = signInApp();
    const { authorize, cookie } = await startSignIn(app);
    const response = await callback(app, { code: 'not-a-code', state: authorize.searchParams.get('state')! }, cookie);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('The authorization code is invalid, already used or expired');
    expect(text).toContain('invalid_grant');
    expect(text).toContain('href="/login"');
    expect(cookiesOf(response).has(TOKEN_COOKIE)).toBe(false);

    const again = await startSignIn(app);
    const code = cognitoSignsIn(again.authorize, financeClaims);
    expect((await callback(app, { code, state: again.authorize.searchParams.get('state')! }, again.cookie)).status).toBe(303);
    expect((await callback(app, { code, state: again.authorize.searchParams.get('state')! }, again.cookie)).status).toBe(400);
  });

  it('refuses a verifier that does not match the challenge (the code was stolen by another browser)', async () => {
    const app = signInApp();
    const victim = await startSignIn(app);
    const attacker = await startSignIn(app);
    const code = cognitoSignsIn(victim.authorize, financeClaims);
    // the attacker presents the victim's code with their own state and verifier
    const response = await callback(app, { code, state: attacker.authorize.searchParams.get('state')! }, attacker.cookie);
    expect(response.status).toBe(400);
    expect(cookiesOf(response).has(TOKEN_COOKIE)).toBe(false);
  });

  it('shows what Cognito reported when it redirects back with an error', async () => {
    const app = signInApp();
    const { authorize, cookie } = await startSignIn(app);
    const response = await callback(
      app,
      { error: 'access_denied', error_description: '<script>x</script>', state: authorize.searchParams.get('state')! },
      cookie,
    );
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('access_denied');
    expect(text).not.toContain('<script>x');
  });

  it('refuses a signed-in account that has no role group or scope', async () => {
    const app = signInApp();
    const { authorize, cookie } = await startSignIn(app);
    const code = cognitoSignsIn(authorize, { sub: 'nobody', 'cognito:groups': ['finance'] });
    const response = await callback(app, { code, state: authorize.searchParams.get('state')! }, cookie);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Account not set up');
    expect(cookiesOf(response).has(TOKEN_COOKIE)).toBe(false);
  });

  it('answers 502 when the token endpoint cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const app = signInApp(`http://127.0.0.1:${port}`);
    const { authorize, cookie } = await startSignIn(app);
    const response = await callback(app, { code: 'any', state: authorize.searchParams.get('state')! }, cookie);
    expect(response.status).toBe(502);
  });
});

describe('POST /logout and configuration', () => {
  it('clears gk_token and ends the Cognito session, returning to /login', async () => {
    const response = await signInApp().request(`${SITE}/logout`, { method: 'POST' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${cognitoUrl}/logout`);
    expect(Object.fromEntries(location.searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: `${SITE}/login` });
    expect(attributes(cookiesOf(response).get(TOKEN_COOKIE)!).get('max-age')).toBe('0');
  });

  it('answers 503 on every route when the Cognito settings are missing', async () => {
    const app = createSignInApp({ verifyToken, now: () => new Date() }, undefined);
    expect((await app.request(`${SITE}/login`)).status).toBe(503);
    expect((await app.request(`${SITE}/auth/callback?code=x&state=y`)).status).toBe(503);
    expect((await app.request(`${SITE}/logout`, { method: 'POST' })).status).toBe(503);
  });
});

describe('npm start', () => {
  it('keeps the demo sign-in: the local server does not mount the Cognito routes', async () => {
    const local = createLocalApp(synthDeps(), createDevAuth());
    const login = await local.request('http://localhost/login?next=/finance/x');
    expect(login.status).toBe(200);
    // Chinese by default since issue 15 (English with ?lang=en)
    expect(await login.text()).toContain('选择演示身份登录');
    expect(await (await local.request('http://localhost/login?lang=en')).text()).toContain('Sign in as a demo identity');
    expect((await local.request('http://localhost/auth/callback?code=x&state=y')).status).toBe(404);
  });
});

describe('safeNextPath', () => {
  it('keeps same-site paths and replaces everything else with the fallback', () => {
    expect(safeNextPath('/finance/x?lang=en', '/d')).toBe('/finance/x?lang=en');
    for (const bad of [undefined, '', 'finance', 'https://evil.example', '//evil.example', '/\\evil.example', '/\n/evil.example', '/x\r\nset-cookie: a=b']) {
      expect(safeNextPath(bad, '/d'), String(bad)).toBe('/d');
    }
  });
});

describe('an external OpenID Connect issuer', () => {
  const oidcApp = (issuer = cognitoUrl) => createSignInApp({ verifyToken, now: () => new Date() }, { issuer, clientId: CLIENT_ID });

  it('signs in through the endpoints its discovery document names', async () => {
    const app = oidcApp();
    const { authorize, cookie } = await startSignIn(app, '/finance/districts/haidian/settlements');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${cognitoUrl}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, code_challenge_method: 'S256' });
    // a plain OpenID Connect ID token: no token_use, role and district in plain claims
    const code = cognitoSignsIn(authorize, { sub: 'finance-zhao', token_use: undefined, role: 'finance', districtId: 'haidian' });
    const response = await callback(app, { code, state: authorize.searchParams.get('state')! }, cookie);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/finance/districts/haidian/settlements');
    expect(await verifyToken(cookieValue(cookiesOf(response).get(TOKEN_COOKIE)!))).toEqual({ subject: 'finance-zhao', role: 'finance', districtId: 'haidian' });
  });

  it('signs out through its end_session_endpoint back to /login', async () => {
    const response = await oidcApp().request(`${SITE}/logout`, { method: 'POST' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${cognitoUrl}/end-session`);
    expect(Object.fromEntries(location.searchParams)).toEqual({ client_id: CLIENT_ID, post_logout_redirect_uri: `${SITE}/login` });
  });

  it('answers 502 when the issuer cannot be reached', async () => {
    const response = await oidcApp('http://127.0.0.1:9').request(`${SITE}/login`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});
