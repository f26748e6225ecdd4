/**
 * Every route in /openapi.json × every role × (no token, own scope, a foreign district's
 * scope). A caller outside `x-roles` gets 401/403; a caller of an allowed role scoped to
 * another district gets 403/404 and never the home district's data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#shared/http/principal.ts';
import { ROLES } from '#shared/http/principal.ts';
import { createRun } from '#shared/data/evaluations.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { createTestDistrict, testIdentityNumber } from '../support/fixtures.ts';
import { routeSamples } from '../support/route-samples.ts';

interface Operation {
  method: string;
  path: string;
  roles: string[];
  hasBody: boolean;
}

let stack: TestStack;
let operations: Operation[];
const HOME = 'home-d';
const AWAY = 'away-d';
const homeResident = testIdentityNumber('1961-01-01', 101);
const awayResident = testIdentityNumber('1962-02-02', 202);
let ids: Record<string, string>;
let awayIds: Record<string, string>;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  const home = await createTestDistrict(stack.db, HOME);
  const away = await createTestDistrict(stack.db, AWAY);
  const admin = await stack.token('admin');
  const homeContract = (await (
    await stack.request('POST', '/contracts', {
      token: admin,
      body: {
        teamId: home.teams[0]!.teamId,
        identityNumber: homeResident,
        insured: true,
        startDate: '2026-07-01',
        correction: { reason: 'history entered for the test' },
      },
    })
  ).json()) as { contractId: string };
  await stack.request('POST', '/contracts', {
    token: admin,
    body: {
      teamId: away.teams[0]!.teamId,
      identityNumber: awayResident,
      insured: true,
      startDate: '2026-07-01',
      correction: { reason: 'history entered for the test' },
    },
  });
  await createRun(stack.db, {
    evaluationId: 'eval-home',
    districtId: HOME,
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: 1, total: 1 },
    startedBy: 'matrix',
    createdAt: '2026-10-01T00:00:00.000Z',
  });
  await finalizePeriod(stack.db, HOME, '2026Q3', 'eval-home');
  ids = {
    districtId: HOME,
    institutionId: home.institutionIds[0]!,
    teamId: home.teams[0]!.teamId,
    contractId: homeContract.contractId,
    evaluationId: 'eval-home',
    version: '1',
    year: '2026',
  };
  awayIds = { districtId: AWAY, institutionId: away.institutionIds[0]!, teamId: away.teams[0]!.teamId };

  const doc = (await (await stack.request('GET', '/openapi.json')).json()) as {
    paths: Record<string, Record<string, { 'x-roles'?: string[]; requestBody?: unknown }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, roles: op['x-roles'] ?? [], hasBody: op.requestBody !== undefined })),
  );
});

function tokenFor(role: Role, scope: 'home' | 'away'): Promise<string> {
  const s = scope === 'home' ? ids : awayIds;
  switch (role) {
    case 'admin':
      return stack.token('admin');
    case 'resident':
      return stack.token('resident', { identityNumber: scope === 'home' ? homeResident : awayResident });
    case 'clerk':
      return stack.token('clerk', { districtId: s.districtId!, institutionId: s.institutionId! });
    default:
      return stack.token(role, { districtId: s.districtId! });
  }
}

function request(op: Operation, token: string | undefined) {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `unknown-${name.toLowerCase()}`);
  const sample = routeSamples({ homeResident, ...ids })[`${op.method} ${op.path}`];
  return stack.request(op.method, `${path}${sample?.query ?? ''}`, {
    token,
    ...(op.hasBody ? { body: sample?.body ?? {} } : {}),
  });
}

describe('authorization matrix', () => {
  it('covers every route, with a valid sample body for each route that takes one', () => {
    expect(operations.length).toBeGreaterThan(10);
    for (const op of operations) {
      expect(op.roles.length, `${op.method} ${op.path} declares x-roles`).toBeGreaterThan(0);
      if (op.hasBody && !op.path.startsWith('/auth/')) {
        expect(routeSamples({ homeResident, ...ids })[`${op.method} ${op.path}`]?.body, `sample body for ${op.method} ${op.path}`).toBeDefined();
      }
    }
  });

  it('answers 401 to every private route without a token', async () => {
    for (const op of operations.filter((o) => !o.roles.includes('public'))) {
      const response = await request(op, undefined);
      expect(response.status, `${op.method} ${op.path}`).toBe(401);
    }
  });

  it('answers 403 to roles a route is not for', async () => {
    for (const op of operations.filter((o) => !o.roles.includes('public'))) {
      for (const role of ROLES.filter((r) => !op.roles.includes(r))) {
        const response = await request(op, await tokenFor(role, 'home'));
        expect(response.status, `${role} → ${op.method} ${op.path}`).toBe(403);
      }
    }
  });

  it("never gives a foreign district's user the home district's data", async () => {
    const homeValues = Object.entries(ids).flatMap(([name, value]) => (name === 'version' || name === 'year' ? [] : [value]));
    for (const op of operations.filter((o) => !o.roles.includes('public'))) {
      for (const role of op.roles.filter((r) => r !== 'admin') as Role[]) {
        const response = await request(op, await tokenFor(role, 'away'));
        const text = await response.text();
        const label = `${role}@${AWAY} → ${op.method} ${op.path}: ${response.status} ${text.slice(0, 200)}`;
        // a route without ids in its path (a clerk's /clerk/... pages) addresses the caller's own scope: any answer, as long as it shows no home data
        if (response.status < 300 || !op.path.includes('{')) {
          for (const value of homeValues) expect(text, label).not.toContain(value);
        } else {
          expect([403, 404], label).toContain(response.status);
        }
      }
    }
  });

  it('lets each allowed role in its own scope through the gate', async () => {
    for (const op of operations.filter((o) => !o.roles.includes('public') && o.method === 'GET')) {
      for (const role of op.roles as Role[]) {
        const response = await request(op, await tokenFor(role, 'home'));
        expect([401, 403], `${role} → ${op.method} ${op.path}`).not.toContain(response.status);
      }
    }
  });
});
