/**
 * A test stack on DynamoDB Local: a fresh table per call, the local app with every function
 * mounted, and token helpers for each role.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTable } from '#shared/data/create-table.ts';
import { createDb, type Db } from '#shared/data/db.ts';
import type { Deps } from '#shared/deps.ts';
import type { Role } from '#shared/http/principal.ts';
import { clerkInstitutionChecked, jwksVerifier } from '#shared/http/tokens.ts';
import { getInstitution } from '#shared/data/institutions.ts';
import { payeeCipher } from '#shared/security/payee-cipher.ts';
import { residentKeyer } from '#shared/security/resident-key.ts';
import { createDevAuth, DEV_ISSUER } from '../../local/dev-auth.ts';
import { createLocalApp } from '../../local/server.ts';
import { inProcessLauncher } from '#shared/services/evaluation/launch.ts';

export const TEST_PEPPER = Buffer.alloc(32, 7);

export interface TestStack {
  db: Db;
  deps: Deps;
  app: ReturnType<typeof createLocalApp>;
  keyer: (identityNumber: string) => string;
  token: (role: Role, scope?: { districtId?: string; institutionId?: string; identityNumber?: string; sub?: string; name?: string }) => Promise<string>;
  /** a token with exactly these claims (over iss, sub, iat, exp), signed by the stack's key */
  issue: (claims: Record<string, unknown>, lifetimeSeconds?: number) => Promise<string>;
  request: (method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }) => Promise<Response>;
}

/** `demo: false` makes a stack that refuses the fixtures' fictional 99… identity numbers, as a real deployment does. */
export async function createTestStack(options: { now?: () => Date; demo?: boolean } = {}): Promise<TestStack> {
  const endpoint = inject('dynamoDbEndpoint');
  const tableName = `test-${randomBytes(6).toString('hex')}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(client, tableName);
  client.destroy();
  const auth = createDevAuth();
  const keyer = residentKeyer(TEST_PEPPER);
  const cipher = payeeCipher(TEST_PEPPER);
  const db = createDb({ tableName, endpoint, region: 'local' });
  const now = options.now ?? (() => new Date());
  const deps: Deps = {
    db,
    verifyToken: clerkInstitutionChecked(
      jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER }),
      async (id) => (await getInstitution(db, id))?.districtId ?? null,
    ),
    residentKeyer: async () => keyer,
    payeeCipher: async () => cipher,
    now,
    launchEvaluation: inProcessLauncher(db, now),
    demoIdentityNumbers: options.demo ?? true,
  };
  const app = createLocalApp(deps, auth);
  return {
    db: deps.db,
    deps,
    app,
    keyer,
    token: (role, scope = {}) => {
      const claims: Record<string, unknown> = { role };
      if (scope.sub) claims.sub = scope.sub;
      if (scope.name) claims.name = scope.name;
      if (scope.districtId) claims.districtId = scope.districtId;
      if (scope.institutionId) claims.institutionId = scope.institutionId;
      if (scope.identityNumber) claims.residentRef = keyer(scope.identityNumber);
      return auth.issue(claims);
    },
    issue: (claims, lifetimeSeconds) => auth.issue(claims, lifetimeSeconds),
    request: (method, path, { token, body, headers = {} } = {}) =>
      Promise.resolve(
        app.request(path, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        }),
      ),
  };
}
