/**
 * The token verifier a deployed function's environment describes: JWT_ISSUER, JWT_AUDIENCE,
 * JWKS_URL (Cognito's; for an external issuer absent unless configured, then discovered from
 * <issuer>/.well-known/openid-configuration) and JWT_CLAIMS (that issuer's claim names, JSON).
 */
import { type ClaimMapping, DEFAULT_CLAIMS, jwksVerifier, type TokenVerifier } from '#shared/http/tokens.ts';

export function verifierFromEnv(env: NodeJS.ProcessEnv = process.env): TokenVerifier {
  const claims: ClaimMapping = env.JWT_CLAIMS ? { ...DEFAULT_CLAIMS, ...(JSON.parse(env.JWT_CLAIMS) as Partial<ClaimMapping>) } : DEFAULT_CLAIMS;
  if (env.JWKS_URL) return jwksVerifier({ jwksUri: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, claims });
  if (!env.JWT_ISSUER) throw new Error('Environment variable JWKS_URL or JWT_ISSUER is not set');
  return jwksVerifier({ discover: true, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, claims });
}
