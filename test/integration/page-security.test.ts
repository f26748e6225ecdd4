/**
 * Page security (#16 item 6), on the local app with every function mounted:
 * - every HTML page (each text/html GET of /openapi.json, the sign-in page, the Swagger UI) comes
 *   with the security headers and holds no inline script its CSP would block: a <script> without
 *   src only when its hash is in script-src, no on…= handler, no javascript: link;
 * - a cookie-authenticated POST goes through only with this site's Origin or, without one,
 *   Sec-Fetch-Site: same-origin; a bearer token needs neither.
 * (The route fuzzer checks the headers of every API response, errors and 404s included.)
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { type FuzzOperation, operationsOf, securityHeaderProblem } from '../support/fuzz-target.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
const D = 'sec-d';
let stack: TestStack;
let district: TestDistrict;
let pages: FuzzOperation[];
const cookies: Record<string, string> = {};

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createTestDistrict(stack.db, D, { institutions: 1, teamsPerInstitution: 1 });
  for (const role of ['admin', 'evaluator', 'finance'] as const)
    cookies[role] = `gk_token=${await stack.token(role, role === 'admin' ? {} : { districtId: D })}`;
  const doc = (await (await stack.request('GET', '/openapi.json')).json()) as never;
  pages = operationsOf(doc).filter((op) => op.method === 'GET' && op.html);
});

/**
 * Inline script in an HTML page that its CSP would block: a <script> element without src whose
 * sha256 is not among the policy's script sources, an event handler attribute, a javascript: URL.
 */
function inlineScripts(html: string, csp = ''): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc=/i.test(match[1]!)) continue;
    const hash = `'sha256-${createHash('sha256').update(match[2]!, 'utf8').digest('base64')}'`;
    if (!csp.includes(hash)) found.push(`<script>${match[2]!.slice(0, 40)}…`);
  }
  for (const match of html.matchAll(/<[a-z][^>]*\s(on[a-z]+)\s*=/gi)) found.push(match[1]!);
  for (const match of html.matchAll(/(?:href|src|action)\s*=\s*["']?\s*javascript:/gi)) found.push(match[0]);
  return found;
}

describe('pages', () => {
  it('carry the security headers and no inline script, for every HTML page of the API and the sign-in and docs pages', async () => {
    expect(pages.length).toBeGreaterThan(8);
    const ids: Record<string, string> = {
      districtId: D,
      institutionId: district.institutionIds[0]!,
      teamId: district.teams[0]!.teamId,
      version: '1',
      token: 'x'.repeat(32),
    };
    const paths = [
      ...pages.map((op) => op.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `unknown-${name.toLowerCase()}`)),
      '/login',
      '/docs',
      '/no-such-page',
    ];
    const problems: string[] = [];
    for (const path of paths) {
      const role = path.startsWith('/finance') ? 'finance' : path.startsWith('/evaluator') ? 'evaluator' : 'admin';
      const response = await stack.app.request(`${path}?lang=en`, { headers: { cookie: cookies[role]! } });
      const headers = securityHeaderProblem(response);
      if (headers) problems.push(`${path} ${response.status}: ${headers}`);
      const text = await response.text();
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
        const scripts = inlineScripts(text, response.headers.get('content-security-policy') ?? '');
        if (scripts.length > 0) problems.push(`${path}: inline script ${scripts.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
    // the check sees an inline script where there is one
    expect(inlineScripts('<p><script>alert(1)</script><a href="javascript:x">x</a><button onclick="x()">')).toHaveLength(3);
    expect(inlineScripts('<script src="/docs/init.js"></script>')).toEqual([]);
  });

  it('refuses frames, sniffing and referrers on the invitation page, whose path is a secret', async () => {
    const response = await stack.app.request(`/s/${'y'.repeat(32)}`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin');
  });
});

describe('cookie sign-in on unsafe requests', () => {
  it("needs this site's Origin, or Sec-Fetch-Site: same-origin without one; a bearer token needs neither", async () => {
    const path = `/districts/${D}/criteria`;
    const body = JSON.stringify({ name: 'x', periodType: 'quarter', document: { insufficientData: 'redistribute', indicators: [] } });
    const post = (headers: Record<string, string>) =>
      stack.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers }, body });
    const cookie = cookies.evaluator!;
    const refused: Record<string, string>[] = [
      { cookie },
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'null' },
      { cookie, 'sec-fetch-site': 'cross-site' },
      { cookie, 'sec-fetch-site': 'same-site' },
      { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of refused) {
      const response = await post(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/sign-in cookie/);
    }
    // past the guard: the (empty) criteria document is judged, 4xx other than 403
    const accepted: Record<string, string>[] = [
      { cookie, origin: 'http://localhost' },
      { cookie, 'sec-fetch-site': 'same-origin' },
      { authorization: `Bearer ${cookie.slice(9)}` },
    ];
    for (const headers of accepted) {
      const response = await post(headers);
      expect([201, 400, 422], JSON.stringify(headers)).toContain(response.status);
    }
    // reading with the cookie needs no such evidence
    expect((await stack.app.request(`/districts/${D}/criteria`, { headers: { cookie } })).status).toBe(200);
  });
});
