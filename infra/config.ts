/**
 * Deployment settings, read from CDK context (`-c stage=prod -c allowedOrigins=... -c alarmEmail=...`
 * or cdk.json). Everything is validated here so a typo fails synth with a clear message
 * instead of deploying something half-configured.
 */

export interface GatekeeperConfig {
  /** 'dev' (the default) may be destroyed; every other stage retains its data */
  stage: string;
  /** browser origins allowed by CORS, e.g. https://gatekeeper.example.cn */
  allowedOrigins: string[];
  /** where alarm notifications go; no subscription when absent */
  alarmEmail?: string;
  /** default-stage throttling of the HTTP API, requests per second and burst */
  throttle: { rateLimit: number; burstLimit: number };
}

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

  return {
    stage,
    allowedOrigins,
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
