/**
 * Bearer token verification against a JWKS: Cognito's when deployed, the local key pair in
 * `npm start` and tests. Claims become a Principal; Cognito's `cognito:groups` and
 * `custom:*` attributes are read as well as plain `role`/`districtId` claims.
 */
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import { verifyWithJwks } from 'hono/jwt';
import * as z from 'zod';
import { type Principal, ROLES } from './principal.ts';

export type TokenVerifier = (token: string) => Promise<Principal | null>;

export interface JwksSettings {
  /** keys given directly (local), or fetched once per cold start from jwksUri (Cognito) */
  keys?: HonoJsonWebKey[];
  jwksUri?: string;
  issuer?: string;
  audience?: string;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES).optional(),
  'cognito:groups': z.array(z.string()).optional(),
  districtId: z.string().optional(),
  institutionId: z.string().optional(),
  residentRef: z.string().optional(),
  'custom:districtId': z.string().optional(),
  'custom:institutionId': z.string().optional(),
  'custom:residentRef': z.string().optional(),
});

export function principalFromClaims(claims: unknown): Principal | null {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return null;
  const c = parsed.data;
  const role = c.role ?? ROLES.find((r) => c['cognito:groups']?.includes(r));
  if (!role) return null;
  const principal: Principal = { subject: c.sub, role };
  const districtId = c.districtId ?? c['custom:districtId'];
  const institutionId = c.institutionId ?? c['custom:institutionId'];
  const residentRef = c.residentRef ?? c['custom:residentRef'];
  if (districtId) principal.districtId = districtId;
  if (institutionId) principal.institutionId = institutionId;
  if (residentRef) principal.residentRef = residentRef;
  const scoped =
    role === 'admin' ||
    (role === 'resident' && residentRef !== undefined) ||
    (role === 'clerk' && districtId !== undefined && institutionId !== undefined) ||
    ((role === 'evaluator' || role === 'finance') && districtId !== undefined);
  return scoped ? principal : null;
}

export function jwksVerifier(settings: JwksSettings): TokenVerifier {
  let keys: Promise<HonoJsonWebKey[]> | undefined;
  const loadKeys = () => {
    if (settings.keys) return Promise.resolve(settings.keys);
    keys ??= fetch(settings.jwksUri!)
      .then((r) => r.json() as Promise<{ keys: HonoJsonWebKey[] }>)
      .then((body) => body.keys)
      .catch((error) => {
        keys = undefined;
        throw error;
      });
    return keys;
  };
  return async (token) => {
    try {
      const claims = await verifyWithJwks(token, {
        keys: await loadKeys(),
        allowedAlgorithms: ['ES256', 'RS256'],
        verification: { ...(settings.issuer ? { iss: settings.issuer } : {}), ...(settings.audience ? { aud: settings.audience } : {}) },
      });
      return principalFromClaims(claims);
    } catch {
      return null;
    }
  };
}
