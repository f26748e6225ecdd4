/**
 * Who issues the tokens the HTTP API's JWT authorizer and the functions accept (config.identity):
 * - Cognito: a user pool in this stack, one group per role, the custom attributes the tokens
 *   carry, and the web app client whose ID tokens are accepted. MFA (TOTP) is required for every
 *   account, so administrators and finance officers cannot sign in without it.
 * - An external OpenID Connect issuer (the regions without Cognito): nothing is created; its
 *   issuer, audience and claim names go to the authorizer and the functions. MFA for
 *   administrators and finance officers is then that identity platform's policy (docs/deploy.md).
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { type ClaimMapping, DEFAULT_CLAIMS } from '#shared/http/tokens.ts';
import { ROLES } from '#shared/http/principal.ts';
import type { GatekeeperConfig } from './config.ts';
import { pascal } from './names.ts';

/** Custom user attributes (Cognito adds the `custom:` prefix in tokens), read by shared/http/tokens.ts. */
export const CUSTOM_ATTRIBUTES = ['districtId', 'institutionId', 'residentRef'] as const;

export interface Identity {
  kind: 'cognito' | 'oidc';
  /** JWT_ISSUER and the authorizer's issuer */
  issuer: string;
  /** JWT_AUDIENCE (the first) and the authorizer's audience (all) */
  audience: string[];
  /** JWKS_URL; absent: the functions discover it from the issuer */
  jwksUrl?: string;
  claims: ClaimMapping;
  userPool?: cognito.UserPool;
  userPoolClient?: cognito.UserPoolClient;
}

export function createIdentity(scope: Construct, config: GatekeeperConfig, options: { removalPolicy: RemovalPolicy; disposable: boolean }): Identity {
  if (config.identity.kind === 'oidc') {
    const { issuer, audience, claims, jwksUrl } = config.identity;
    return { kind: 'oidc', issuer, audience, claims, ...(jwksUrl ? { jwksUrl } : {}) };
  }
  const userPool = new cognito.UserPool(scope, 'UserPool', {
    selfSignUpEnabled: false,
    signInAliases: { username: true, email: true },
    signInCaseSensitive: false,
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    customAttributes: Object.fromEntries(CUSTOM_ATTRIBUTES.map((name) => [name, new cognito.StringAttribute({ minLen: 1, maxLen: 128, mutable: true })])),
    deletionProtection: !options.disposable,
    removalPolicy: options.removalPolicy,
  });
  Validations.of(userPool).acknowledge({
    id: 'AwsSolutions-COG8',
    reason:
      "Essentials feature plan: no self sign-up and administrator-created accounts only; the Plus plan's threat " +
      'protection is billed per monthly active user and is not justified for this user base yet.',
  });
  for (const role of ROLES) {
    // the group names are the role names the tokens carry in cognito:groups: fixed on purpose
    userPool.addGroup(`Group${pascal(role)}`, { groupName: role, description: `Gatekeeper role ${role}; a user belongs to exactly one role group` });
  }

  const userPoolClient = userPool.addClient('WebClient', {
    generateSecret: false,
    authFlows: { userSrp: true, adminUserPassword: true },
    disableOAuth: true, // until the API exists: infra/sign-in.ts then enables the code flow
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
    // ID tokens carry what the client may read: the custom attributes the API scopes by.
    readAttributes: new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(...CUSTOM_ATTRIBUTES),
    // Users must never set their own district, institution or resident ref.
    writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
  });
  const issuer = userPool.userPoolProviderUrl;
  return {
    kind: 'cognito',
    issuer,
    audience: [userPoolClient.userPoolClientId],
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    claims: DEFAULT_CLAIMS,
    userPool,
    userPoolClient,
  };
}
