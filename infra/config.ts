/**
 * Deployment settings, read from CDK context (`-c stage=prod -c allowedOrigins=... -c alarmEmail=...`
 * or cdk.json). Everything is validated here so a typo fails synth with a clear message
 * instead of deploying something half-configured.
 *
 * Identity: a Cognito user pool in this stack, unless `oidcIssuer` names an external OpenID
 * Connect issuer (the commission's identity platform, Keycloak, a Chinese IDaaS), which the
 * regions without Cognito (Beijing, Ningxia) require. See docs/deploy.md.
 */
import { type ClaimMapping, DEFAULT_CLAIMS } from '#shared/http/tokens.ts';

export interface GatekeeperConfig {
  /** 'dev' (the default) may be destroyed; every other stage retains its data */
  stage: string;
  /** browser origins allowed by CORS, e.g. https://gatekeeper.example.cn */
  allowedOrigins: string[];
  /** where alarm notifications go; no subscription when absent */
  alarmEmail?: string;
  /** default-stage throttling of the HTTP API, requests per second and burst */
  throttle: { rateLimit: number; burstLimit: number };
  /** the stack's region (`-c region=cn-north-1`); absent: environment-agnostic, the CLI's region */
  region?: string;
  identity: IdentityConfig;
}

export type IdentityConfig =
  | { kind: 'cognito' }
  | {
      kind: 'oidc';
      /** the `iss` of its tokens; <issuer>/.well-known/openid-configuration must be reachable from AWS */
      issuer: string;
      /** accepted `aud` values; the first is the page sign-in's client id */
      audience: string[];
      /** which claims hold role, district, institution and resident ref */
      claims: ClaimMapping;
      /** the key set's URL, when the functions should not discover it from the issuer */
      jwksUrl?: string;
    };

/** Regions where Amazon Cognito user pools do not exist: an external issuer is required there. */
export const REGIONS_WITHOUT_COGNITO = ['cn-north-1', 'cn-northwest-1'] as const;

const CLAIM_CONTEXT: Record<keyof ClaimMapping, string> = {
  role: 'oidcRoleClaim',
  districtId: 'oidcDistrictClaim',
  institutionId: 'oidcInstitutionClaim',
  residentRef: 'oidcResidentClaim',
};

export const DEFAULT_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** A construct's `tryGetContext`, so this module needs no CDK import. */
export type ContextReader = (key: string) => unknown;

function text(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function positiveInteger(value: unknown, key: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Context "${key}" must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function httpsUrl(raw: string, key: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Context "${key}": "${raw}" is not a URL`);
  }
  // http only for a loopback issuer (tests); API Gateway itself accepts https issuers only
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) throw new Error(`Context "${key}": "${raw}" must use https`);
  if (url.search || url.hash) throw new Error(`Context "${key}": "${raw}" may have no query or fragment`);
  return raw.replace(/\/$/, '');
}

function readIdentity(context: ContextReader, region: string | undefined): IdentityConfig {
  const issuer = text(context('oidcIssuer'), 'oidcIssuer');
  if (!issuer) {
    if (region && (REGIONS_WITHOUT_COGNITO as readonly string[]).includes(region)) {
      throw new Error(
        `Amazon Cognito user pools do not exist in ${region}: give an external OpenID Connect issuer with ` +
          '-c oidcIssuer=https://… -c oidcAudience=<client id> (docs/deploy.md, "Deploying in China")',
      );
    }
    for (const key of ['oidcAudience', 'oidcJwksUrl', ...Object.values(CLAIM_CONTEXT)]) {
      if (text(context(key), key) !== undefined) throw new Error(`Context "${key}" needs "oidcIssuer" as well`);
    }
    return { kind: 'cognito' };
  }
  const audience = (text(context('oidcAudience'), 'oidcAudience') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if (audience.length === 0) throw new Error('Context "oidcAudience" is required with "oidcIssuer": the client id(s) its tokens are issued to');
  const claims = { ...DEFAULT_CLAIMS };
  for (const [field, key] of Object.entries(CLAIM_CONTEXT) as [keyof ClaimMapping, string][]) {
    const name = text(context(key), key);
    if (name === undefined) continue;
    if (!/^[A-Za-z0-9_:./-]{1,128}$/.test(name)) throw new Error(`Context "${key}" must be a claim name or dotted path, got "${name}"`);
    claims[field] = name;
  }
  const jwksUrl = text(context('oidcJwksUrl'), 'oidcJwksUrl');
  return { kind: 'oidc', issuer: httpsUrl(issuer, 'oidcIssuer'), audience, claims, ...(jwksUrl ? { jwksUrl: httpsUrl(jwksUrl, 'oidcJwksUrl') } : {}) };
}

function origin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Context "allowedOrigins": "${raw}" is not a URL (expected e.g. https://app.example.cn)`);
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new Error(`Context "allowedOrigins": "${raw}" must use https (http only for localhost)`);
  }
  if (url.origin !== raw.replace(/\/$/, '')) throw new Error(`Context "allowedOrigins": "${raw}" must be a bare origin (scheme://host[:port])`);
  return url.origin;
}

export function readConfig(context: ContextReader): GatekeeperConfig {
  const stage = text(context('stage'), 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{1,15}$/.test(stage)) throw new Error(`Context "stage" must match [a-z][a-z0-9-]{1,15}, got "${stage}"`);

  const allowedOrigins = (text(context('allowedOrigins'), 'allowedOrigins') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0)
    .map(origin);

  const alarmEmail = text(context('alarmEmail'), 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`Context "alarmEmail" is not an e-mail address: "${alarmEmail}"`);
  }

  const region = text(context('region'), 'region');
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`Context "region" is not an AWS region: "${region}"`);

  return {
    stage,
    allowedOrigins,
    ...(region ? { region } : {}),
    identity: readIdentity(context, region),
    ...(alarmEmail ? { alarmEmail } : {}),
    throttle: {
      rateLimit: positiveInteger(context('throttleRate'), 'throttleRate', DEFAULT_THROTTLE.rateLimit),
      burstLimit: positiveInteger(context('throttleBurst'), 'throttleBurst', DEFAULT_THROTTLE.burstLimit),
    },
  };
}

/** dev is disposable; every other stage keeps its table, user pool, pepper and logs on delete. */
export function isDisposable(config: GatekeeperConfig): boolean {
  return config.stage === 'dev';
}
