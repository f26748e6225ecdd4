/**
 * The pieces of the browser sign-in that do not depend on who issues the token: where a
 * signed-in user may be sent (same-site paths only), where each role lands by default, the
 * short-lived cookie that carries a pending sign-in (state, PKCE verifier, destination) from
 * GET /login to GET /auth/callback, and how long the gk_token cookie may live.
 */
import { decode } from 'hono/jwt';
import * as z from 'zod';
import type { Principal } from './principal.ts';

export const CALLBACK_PATH = '/auth/callback';
/** HttpOnly, Secure, SameSite=Lax, Path=/auth/callback; lives for PENDING_SIGN_IN_SECONDS. */
export const PENDING_SIGN_IN_COOKIE = 'gk_sign_in';
/** Long enough to type a password and an MFA code, short enough that a stale one is not reused. */
export const PENDING_SIGN_IN_SECONDS = 10 * 60;

/**
 * Only a path on this server: "/x", not "//evil.example", "/\evil.example" or "https://…", and no
 * control characters (browsers drop tabs and line breaks, so "/\t/evil.example" would become
 * "//evil.example"; a CR/LF in a Location header is refused by Headers, a 500).
 */
export function safeNextPath(next: string | undefined, fallback: string): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !/\p{Cc}/u.test(next) ? next : fallback;
}

/** The home page of each staff role (its pages: shared/web/navigation.ts); residents have none (invitation link or /me/survey). */
export const HOME_PATHS: Partial<Record<Principal['role'], string>> = { clerk: '/clerk', evaluator: '/evaluator', finance: '/finance', admin: '/admin' };

/** Where a user lands after signing in without a destination: their role's home page, or undefined when it has none. */
export function landingPath(principal: Principal): string | undefined {
  return HOME_PATHS[principal.role];
}

export interface PendingSignIn {
  state: string;
  verifier: string;
  /** a path checked with safeNextPath, or '' for the role's landing page */
  next: string;
}

const pendingSchema = z.strictObject({ state: z.string().min(16).max(128), verifier: z.string().min(43).max(128), next: z.string().max(2048) });

export function encodePendingSignIn(pending: PendingSignIn): string {
  return Buffer.from(JSON.stringify(pending)).toString('base64url');
}

/** undefined for anything that is not a cookie this server wrote. */
export function decodePendingSignIn(value: string | undefined): PendingSignIn | undefined {
  if (!value) return undefined;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds until the (already verified) token expires: the gk_token cookie must not outlive it. */
export function secondsUntilExpiry(token: string, now: Date): number {
  const { exp } = decode(token).payload as { exp?: unknown };
  return typeof exp === 'number' ? Math.floor(exp - now.getTime() / 1000) : 0;
}
