/**
 * Deps of a deployed function, from its environment: TABLE_NAME, JWKS_URL (Cognito's),
 * JWT_ISSUER, JWT_AUDIENCE, PEPPER_SECRET_ID and, for the evaluation function,
 * EVALUATION_STATE_MACHINE_ARN; GATEKEEPER_DEMO=1 only for a demo deployment. The pepper is read from Secrets Manager
 * once per cold start, and only by functions that hash identity numbers.
 */
import { createDb } from '#shared/data/db.ts';
import type { Deps } from '#shared/deps.ts';
import { jwksVerifier } from '#shared/http/tokens.ts';
import { type ResidentKeyer, residentKeyer } from '#shared/security/resident-key.ts';
import { stepFunctionsLauncher } from './step-functions-launcher.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export function lambdaDeps(): Deps {
  let keyer: Promise<ResidentKeyer> | undefined;
  return {
    db: createDb({ tableName: required('TABLE_NAME') }),
    verifyToken: jwksVerifier({ jwksUri: required('JWKS_URL'), issuer: process.env.JWT_ISSUER, audience: process.env.JWT_AUDIENCE }),
    residentKeyer: () => {
      keyer ??= import('@aws-sdk/client-secrets-manager').then(async ({ SecretsManagerClient, GetSecretValueCommand }) => {
        const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: required('PEPPER_SECRET_ID') }));
        return residentKeyer(Buffer.from(secret.SecretString ?? '', 'hex'));
      });
      return keyer;
    },
    now: () => new Date(),
    launchEvaluation: stepFunctionsLauncher(() => required('EVALUATION_STATE_MACHINE_ARN')),
    demoIdentityNumbers: process.env.GATEKEEPER_DEMO === '1',
  };
}
