/**
 * Deps of a deployed function, from its environment: TABLE_NAME, JWKS_URL (Cognito's),
 * JWT_ISSUER, JWT_AUDIENCE, PEPPER_SECRET_ID and, for the evaluation function,
 * EVALUATION_STATE_MACHINE_ARN. The pepper is read from Secrets Manager
 * once per cold start, and only by functions granted it (infra/function-permissions.ts
 * `readsPepper`): those that hash identity numbers, and the finance and reports functions, which
 * derive the payee account-number key from it (HKDF with its own label, shared/security/payee-cipher.ts).
 */
import { createDb } from '#shared/data/db.ts';
import type { Deps } from '#shared/deps.ts';
import { jwksVerifier } from '#shared/http/tokens.ts';
import { type PayeeCipher, payeeCipher } from '#shared/security/payee-cipher.ts';
import { type ResidentKeyer, residentKeyer } from '#shared/security/resident-key.ts';
import { stepFunctionsLauncher } from './step-functions-launcher.ts';

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
  return {
    db: createDb({ tableName: required('TABLE_NAME') }),
    verifyToken: jwksVerifier({ jwksUri: required('JWKS_URL'), issuer: process.env.JWT_ISSUER, audience: process.env.JWT_AUDIENCE }),
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
  };
}
