/**
 * Local stand-in for Cognito: an ES256 key pair whose public half is the JWKS that the same
 * verifier as in AWS checks, and `POST /auth/dev-token`, which issues a token for any demo
 * identity. This file is never imported by a Lambda entry, so the route cannot exist there.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';

type PrivateJwk = HonoJsonWebKey & { alg: string; kid: string; d?: string };
import { sign } from 'hono/jwt';
import { idSchema, jsonBody, jsonResponse } from '#shared/schemas/common.ts';
import { createApiApp, type ApiEnv, publicAccess } from '#shared/http/api.ts';
import { ROLES } from '#shared/http/principal.ts';
import { residentRefFor } from '#shared/http/identity.ts';
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
  return app;
}
