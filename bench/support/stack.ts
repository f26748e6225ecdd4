/**
 * The platform's dependencies and local app on a bench database, assembled the way
 * test/support/stack.ts does for the integration tests (tests are not imported from here).
 */
import type { Db } from '#shared/data/db.ts';
import type { Deps } from '#shared/deps.ts';
import { jwksVerifier } from '#shared/http/tokens.ts';
import { type ResidentKeyer, residentKeyer } from '#shared/security/resident-key.ts';
import { inProcessLauncher } from '#shared/services/evaluation/launch.ts';
import { createDevAuth, DEV_ISSUER, type DevAuth } from '../../local/dev-auth.ts';
import { createLocalApp } from '../../local/server.ts';

export const BENCH_PEPPER = Buffer.alloc(32, 11);

export interface BenchStack {
  deps: Deps;
  app: ReturnType<typeof createLocalApp>;
  auth: DevAuth;
  keyer: ResidentKeyer;
}

export function createBenchStack(db: Db, now: () => Date = () => new Date()): BenchStack {
  const auth = createDevAuth();
  const keyer = residentKeyer(BENCH_PEPPER);
  const deps: Deps = {
    db,
    verifyToken: jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER }),
    residentKeyer: async () => keyer,
    now,
    launchEvaluation: inProcessLauncher(db, now),
    demoIdentityNumbers: true,
  };
  return { deps, app: createLocalApp(deps, auth), auth, keyer };
}
