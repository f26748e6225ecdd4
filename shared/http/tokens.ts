/**
 * Bearer token verification against a JWKS: Cognito's or an external OpenID Connect issuer's
 * when deployed, the local key pair in `npm start` and tests. Claims become a Principal.
 *
 * - `exp` is required (hono only checks it when present).
 * - Cognito tokens (issued by cognito-idp, or carrying `token_use` / `cognito:*` claims) must
 *   be ID tokens (`token_use: 'id'`: access tokens have no audience and no custom attributes);
 *   their role comes from `cognito:groups` only and their scope from the `custom:*` attributes
 *   only, never from plain `role` / `districtId` claims that a token customisation could add.
 * - Other issuers' claims are read by name (`ClaimMapping`, CDK context `oidc*Claim`); a name
 *   may be a dotted path (`realm_access.roles`) and the role claim a string or an array that
 *   holds exactly one Gatekeeper role.
 * - The key set is fetched on first use and again when a token names a `kid` it does not hold
 *   (a key rotation), at most once per JWKS_REFETCH_INTERVAL_MS, so forged kids cannot make
 *   every request fetch.
 * - A verified token's principal is remembered until the token's `exp` (a bounded LRU keyed by
 *   the token's SHA-256), so a client's next requests skip the signature check; a refused token
 *   is never remembered, and a remembered one is refused from its `exp` on like any other.
 */
import { createHash } from 'node:crypto';
import { decode, verifyWithJwks } from 'hono/jwt';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import { type Principal, ROLES, type Role } from './principal.ts';

export type TokenVerifier = (token: string) => Promise<Principal | null>;

/** Where each part of the principal is read from in a non-Cognito token. */
export interface ClaimMapping {
  role: string;
  districtId: string;
  institutionId: string;
  residentRef: string;
}

export const DEFAULT_CLAIMS: ClaimMapping = { role: 'role', districtId: 'districtId', institutionId: 'institutionId', residentRef: 'residentRef' };

export interface JwksSettings {
  /** keys given directly (local) */
  keys?: HonoJsonWebKey[];
  /** the key set's URL (Cognito: <issuer>/.well-known/jwks.json) */
  jwksUri?: string;
  /** without keys or jwksUri: jwks_uri from <issuer>/.well-known/openid-configuration */
  discover?: boolean;
  issuer?: string;
  audience?: string;
  claims?: ClaimMapping;
}

/** An unknown kid refetches the key set at most this often. */
export const JWKS_REFETCH_INTERVAL_MS = 60_000;

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A display name longer than this is cut: it is shown in page headers and stored with audit entries. */
const MAX_NAME_LENGTH = 100;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Exactly one Gatekeeper role in a string or array claim; none or several is no role. */
function oneRole(value: unknown): Role | undefined {
  const values = Array.isArray(value) ? value : [value];
  const roles = ROLES.filter((r) => values.includes(r));
  return roles.length === 1 ? roles[0] : undefined;
}

export function isCognitoToken(claims: Record<string, unknown>): boolean {
  return (
    (typeof claims.iss === 'string' && COGNITO_ISSUER.test(claims.iss)) ||
    'token_use' in claims ||
    Object.keys(claims).some((key) => key.startsWith('cognito:'))
  );
}

export function principalFromClaims(raw: unknown, mapping: ClaimMapping = DEFAULT_CLAIMS): Principal | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const claims = raw as Record<string, unknown>;
  const subject = text(claims.sub);
  if (!subject || typeof claims.exp !== 'number') return null;

  let role: Role | undefined;
  let districtId: string | undefined;
  let institutionId: string | undefined;
  let residentRef: string | undefined;
  let name: string | undefined;
  if (isCognitoToken(claims)) {
    if (claims.token_use !== 'id') return null;
    role = oneRole(claims['cognito:groups']);
    districtId = text(claims['custom:districtId']);
    institutionId = text(claims['custom:institutionId']);
    residentRef = text(claims['custom:residentRef']);
    name = text(claims.name) ?? text(claims['cognito:username']);
  } else {
    role = oneRole(claimAt(claims, mapping.role));
    districtId = text(claimAt(claims, mapping.districtId));
    institutionId = text(claimAt(claims, mapping.institutionId));
    residentRef = text(claimAt(claims, mapping.residentRef));
    name = text(claims.name) ?? text(claims.preferred_username);
  }
  if (!role) return null;

  const principal: Principal = { subject, role };
  if (districtId) principal.districtId = districtId;
  if (institutionId) principal.institutionId = institutionId;
  if (residentRef) principal.residentRef = residentRef;
  // staff only: a resident's name is personal data, kept out of pages' headers and audit entries
  if (name && role !== 'resident') principal.name = name.slice(0, MAX_NAME_LENGTH);
  const scoped =
    role === 'admin' ||
    (role === 'resident' && residentRef !== undefined) ||
    (role === 'clerk' && districtId !== undefined && institutionId !== undefined) ||
    ((role === 'evaluator' || role === 'finance') && districtId !== undefined);
  return scoped ? principal : null;
}

async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The key set of the settings, cached; `refresh()` refetches unless it did so within the interval. */
function keySource(settings: JwksSettings, nowMs: () => number) {
  let cached: Promise<HonoJsonWebKey[]> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  const load = async (): Promise<HonoJsonWebKey[]> => {
    let uri = settings.jwksUri;
    if (!uri) {
      if (!settings.discover || !settings.issuer) throw new Error('No JWKS: give keys, jwksUri, or an issuer to discover');
      const config = await fetchJson(`${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (typeof config.jwks_uri !== 'string') throw new Error('The issuer publishes no jwks_uri');
      uri = config.jwks_uri;
    }
    const body = await fetchJson(uri);
    if (!Array.isArray(body.keys)) throw new Error(`${uri} has no "keys" array`);
    return body.keys as HonoJsonWebKey[];
  };
  const fetchKeys = () => {
    fetchedAt = nowMs();
    const pending = load();
    cached = pending;
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
    return pending;
  };
  return {
    current: (): Promise<HonoJsonWebKey[]> => (settings.keys ? Promise.resolve(settings.keys) : (cached ?? fetchKeys())),
    /** after a token named an unknown kid: the refetched set, or null when one was fetched too recently */
    refresh: (): Promise<HonoJsonWebKey[]> | null => {
      if (settings.keys || nowMs() - fetchedAt < JWKS_REFETCH_INTERVAL_MS) return null;
      return fetchKeys();
    },
  };
}

/** Verified tokens remembered per process: a few thousand signed-in users' tokens, ~300 bytes each. */
export const VERIFIED_TOKENS_CACHED = 5_000;

/**
 * Principals of verified tokens, by SHA-256 of the token, each until its token's `exp`; at most
 * `capacity` of them, the least recently used dropped first.
 */
export function verifiedTokenCache(capacity: number, nowMs: () => number) {
  const entries = new Map<string, { principal: Principal; expiresAtMs: number }>();
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64');
  return {
    get(token: string): Principal | undefined {
      const key = keyOf(token);
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (nowMs() >= entry.expiresAtMs) return undefined;
      entries.set(key, entry);
      return { ...entry.principal };
    },
    set(token: string, principal: Principal, expSeconds: number): void {
      const expiresAtMs = expSeconds * 1000;
      if (nowMs() >= expiresAtMs) return;
      const key = keyOf(token);
      entries.delete(key);
      entries.set(key, { principal: { ...principal }, expiresAtMs });
      while (entries.size > capacity) entries.delete(entries.keys().next().value!);
    },
    get size(): number {
      return entries.size;
    },
  };
}

export function jwksVerifier(settings: JwksSettings, options: { nowMs?: () => number; cacheSize?: number } = {}): TokenVerifier {
  const nowMs = options.nowMs ?? Date.now;
  const keys = keySource(settings, nowMs);
  const verified = verifiedTokenCache(options.cacheSize ?? VERIFIED_TOKENS_CACHED, nowMs);
  const verification = { ...(settings.issuer ? { iss: settings.issuer } : {}), ...(settings.audience ? { aud: settings.audience } : {}) };
  return async (token) => {
    const remembered = verified.get(token);
    if (remembered) return remembered;
    try {
      const { kid } = decode(token).header as { kid?: unknown };
      let set = await keys.current();
      if (typeof kid === 'string' && !set.some((key) => key.kid === kid)) {
        const refreshed = keys.refresh();
        if (!refreshed) return null;
        set = await refreshed;
      }
      const claims = await verifyWithJwks(token, { keys: set, allowedAlgorithms: ['ES256', 'RS256'], verification });
      const principal = principalFromClaims(claims, settings.claims);
      // principalFromClaims accepts only a numeric exp
      if (principal) verified.set(token, principal, claims.exp as number);
      return principal;
    } catch {
      return null;
    }
  };
}

/** The district an institution belongs to, or null when there is no such institution. */
export type InstitutionDistrict = (institutionId: string) => Promise<string | null>;

/** A known institution's district is remembered this long (institutions do not move between districts). */
export const INSTITUTION_DISTRICT_TTL_MS = 5 * 60_000;

/**
 * A clerk's token names a district and an institution; both scope checks trust them, so the
 * institution must exist and belong to that district, or the token is refused (as unauthenticated).
 */
export function clerkInstitutionChecked(verify: TokenVerifier, districtOf: InstitutionDistrict, options: { nowMs?: () => number } = {}): TokenVerifier {
  const nowMs = options.nowMs ?? Date.now;
  const known = new Map<string, { districtId: string; until: number }>();
  return async (token) => {
    const principal = await verify(token);
    if (principal?.role !== 'clerk') return principal;
    const institutionId = principal.institutionId!;
    let entry = known.get(institutionId);
    if (!entry || entry.until <= nowMs()) {
      const districtId = await districtOf(institutionId);
      if (districtId === null) return null;
      entry = { districtId, until: nowMs() + INSTITUTION_DISTRICT_TTL_MS };
      known.set(institutionId, entry);
    }
    return entry.districtId === principal.districtId ? principal : null;
  };
}
