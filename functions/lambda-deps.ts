/**
 * Deps of a deployed function, from its environment: TABLE_NAME, JWT_ISSUER, JWT_AUDIENCE,
 * JWKS_URL (Cognito's; for an external OpenID Connect issuer absent unless configured, then
 * discovered from the issuer), JWT_CLAIMS (that issuer's claim names, JSON), PEPPER_SECRET_ID
 * and, for the evaluation function, EVALUATION_STATE_MACHINE_ARN. The pepper is read from
 * Secrets Manager once per cold start, and only by functions granted it (infra/function-permissions.ts
 * `readsPepper`): those that hash identity numbers, and the finance and reports functions, which
 * derive the payee account-number key from it (HKDF with its own label, shared/security/payee-cipher.ts).
 * A clerk's token is accepted only when its institution is in its district (one GetItem per
 * institution, remembered for a few minutes); the sign-in function, which may not read the
 * table, uses the plain verifier (functions/token-verifier.ts) and leaves that check to the pages.
 * GATEKEEPER_DEMO=1 only for a demo deployment (the demo's fictional identity numbers; the CDK
 * stack never sets it).
 */
import { createDb } from '#shared/data/db.ts';
import type { Deps } from '#shared/deps.ts';
import { type PayeeCipher, payeeCipher } from '#shared/security/payee-cipher.ts';
import { clerkInstitutionChecked } from '#shared/http/tokens.ts';
import { type ResidentKeyer, residentKeyer } from '#shared/security/resident-key.ts';
import { stepFunctionsLauncher } from './step-functions-launcher.ts';
import { verifierFromEnv } from './token-verifier.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export function lambdaDeps(): Deps {
  let secret: Promise<Buffer> | undefined;
  let keyer: Promise<ResidentKeyer> | undefined;
  let cipher: Promise<PayeeCipher> | undefined;
  const pepper = () => {
    secret ??= import('@aws-sdk/client-secrets-manager').then(async ({ SecretsManagerClient, GetSecretValueCommand }) => {
      const value = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: required('PEPPER_SECRET_ID') }));
      return Buffer.from(value.SecretString ?? '', 'hex');
    });
    return secret;
  };
  const db = createDb({ tableName: required('TABLE_NAME') });
  return {
    db,
    // the institutions module (and the audit log and zod it imports) loads with the first clerk's token, not at cold start
    verifyToken: clerkInstitutionChecked(verifierFromEnv(), async (id) => {
      const { getInstitution } = await import('./institution-district.ts');
      return (await getInstitution(db, id))?.districtId ?? null;
    }),
    residentKeyer: () => {
      keyer ??= pepper().then(residentKeyer);
      return keyer;
    },
    payeeCipher: () => {
      cipher ??= pepper().then(payeeCipher);
      return cipher;
    },
    now: () => new Date(),
    launchEvaluation: stepFunctionsLauncher(() => required('EVALUATION_STATE_MACHINE_ARN')),
    demoIdentityNumbers: process.env.GATEKEEPER_DEMO === '1',
  };
}
