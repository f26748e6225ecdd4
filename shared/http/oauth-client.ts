/**
 * The browser sign-in's OAuth 2.0 client side: the authorization-code flow with PKCE (RFC 7636,
 * S256) for a public app client (no secret), against either
 * - Cognito's managed login: the user pool domain's /oauth2/authorize, /oauth2/token, /logout; or
 * - an external OpenID Connect issuer: the endpoints its discovery document names
 *   (<issuer>/.well-known/openid-configuration), fetched on first use and kept; sign-out through
 *   its end_session_endpoint (RP-initiated logout) when it has one.
 */
import { createHash, randomBytes } from 'node:crypto';

export type OAuthClientSettings = {
  /** the app client id, also the ID token's audience */
  clientId: string;
} & (
  | {
      /** the user pool domain, e.g. https://gatekeeper-prod-123456789012.auth.eu-west-1.amazoncognito.com */
      domainUrl: string;
    }
  | {
      /** an OpenID Connect issuer, e.g. https://idaas.example.cn/oidc */
      issuer: string;
    }
);

export interface OAuthEndpoints {
  authorize: string;
  token: string;
  /** where sign-out goes, and how it is asked */
  logout?: { url: string; style: 'cognito' | 'oidc' };
}

const DISCOVERY_TIMEOUT_MS = 5_000;
const discovered = new WeakMap<OAuthClientSettings, Promise<OAuthEndpoints>>();

/** The settings' endpoints; an issuer's discovery document is fetched once (again only after a failure). */
export function endpointsOf(settings: OAuthClientSettings): Promise<OAuthEndpoints> {
  if ('domainUrl' in settings) {
    return Promise.resolve({
      authorize: new URL('/oauth2/authorize', settings.domainUrl).toString(),
      token: new URL('/oauth2/token', settings.domainUrl).toString(),
      logout: { url: new URL('/logout', settings.domainUrl).toString(), style: 'cognito' },
    });
  }
  let pending = discovered.get(settings);
  if (!pending) {
    pending = (async () => {
      const response = await fetch(`${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const doc = (await response.json()) as Record<string, unknown>;
      if (typeof doc.authorization_endpoint !== 'string' || typeof doc.token_endpoint !== 'string')
        throw new Error('discovery names no authorization or token endpoint');
      return {
        authorize: doc.authorization_endpoint,
        token: doc.token_endpoint,
        ...(typeof doc.end_session_endpoint === 'string' ? { logout: { url: doc.end_session_endpoint, style: 'oidc' as const } } : {}),
      };
    })();
    discovered.set(settings, pending);
    pending.catch(() => discovered.delete(settings));
  }
  return pending;
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

export function authorizeUrl(
  settings: OAuthClientSettings,
  endpoints: OAuthEndpoints,
  request: { redirectUri: string; state: string; verifier: string },
): string {
  const url = new URL(endpoints.authorize);
  for (const [key, value] of Object.entries({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: request.redirectUri,
    scope: SIGN_IN_SCOPES.join(' '),
    state: request.state,
    code_challenge: codeChallengeOf(request.verifier),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(key, value);
  }
  return url.toString();
}

/**
 * The issuer's sign-out: ends its session, then sends the browser to logoutUri (registered on the
 * client); without a sign-out endpoint, logoutUri itself.
 */
export function logoutUrl(settings: OAuthClientSettings, endpoints: OAuthEndpoints, logoutUri: string): string {
  if (!endpoints.logout) return logoutUri;
  const url = new URL(endpoints.logout.url);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set(endpoints.logout.style === 'cognito' ? 'logout_uri' : 'post_logout_redirect_uri', logoutUri);
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
  endpoints: OAuthEndpoints,
  request: { code: string; redirectUri: string; verifier: string },
): Promise<CodeExchange> {
  let response: Response;
  try {
    response = await fetch(endpoints.token, {
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
