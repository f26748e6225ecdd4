/**
 * The browser sign-in's OAuth 2.0 client side against Cognito's managed login: the
 * authorization-code flow with PKCE (RFC 7636, S256) for a public app client (no secret).
 * Endpoints are those of the user pool domain: /oauth2/authorize, /oauth2/token, /logout.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface OAuthClientSettings {
  /** the user pool domain, e.g. https://gatekeeper-prod-123456789012.auth.cn-north-1.amazoncognito.com */
  domainUrl: string;
  /** the app client id, also the ID token's audience */
  clientId: string;
}

export const SIGN_IN_SCOPES = ['openid', 'email', 'profile'] as const;

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** 32 random bytes as base64url (43 characters, within the RFC's 43-128 from its unreserved set). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function authorizeUrl(settings: OAuthClientSettings, request: { redirectUri: string; state: string; verifier: string }): string {
  const url = new URL('/oauth2/authorize', settings.domainUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: request.redirectUri,
    scope: SIGN_IN_SCOPES.join(' '),
    state: request.state,
    code_challenge: codeChallengeOf(request.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Cognito's sign-out: ends its session cookie, then sends the browser to logoutUri (registered on the client). */
export function logoutUrl(settings: OAuthClientSettings, logoutUri: string): string {
  const url = new URL('/logout', settings.domainUrl);
  url.search = new URLSearchParams({ client_id: settings.clientId, logout_uri: logoutUri }).toString();
  return url.toString();
}

export type CodeExchange =
  | { ok: true; idToken: string }
  /** rejected: the token endpoint's OAuth error code (invalid_grant for a bad, used or expired code) */
  | { ok: false; kind: 'rejected'; error: string }
  /** the endpoint could not be reached or answered something unusable */
  | { ok: false; kind: 'unavailable'; detail: string };

const EXCHANGE_TIMEOUT_MS = 10_000;

/** Trades an authorization code for tokens at /oauth2/token; only the ID token is kept (shared/http/tokens.ts reads its claims). */
export async function exchangeCode(
  settings: OAuthClientSettings,
  request: { code: string; redirectUri: string; verifier: string },
): Promise<CodeExchange> {
  let response: Response;
  try {
    response = await fetch(new URL('/oauth2/token', settings.domainUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: settings.clientId,
        code: request.code,
        redirect_uri: request.redirectUri,
        code_verifier: request.verifier,
      }),
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, kind: 'unavailable', detail: error instanceof Error ? error.message : String(error) };
  }
  const body = (await response.json().catch(() => undefined)) as { id_token?: unknown; error?: unknown } | undefined;
  if (response.ok && typeof body?.id_token === 'string') return { ok: true, idToken: body.id_token };
  if (response.status >= 400 && response.status < 500 && typeof body?.error === 'string') return { ok: false, kind: 'rejected', error: body.error };
  return { ok: false, kind: 'unavailable', detail: `token endpoint answered ${response.status}` };
}
