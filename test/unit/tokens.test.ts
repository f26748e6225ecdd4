import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clerkInstitutionChecked, INSTITUTION_DISTRICT_TTL_MS, JWKS_REFETCH_INTERVAL_MS, jwksVerifier, principalFromClaims } from '#shared/http/tokens.ts';
import { createDevAuth, DEV_ISSUER } from '../../local/dev-auth.ts';

const EXP = Math.floor(Date.now() / 1000) + 3600;
const COGNITO_ISS = 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_pool';

describe('token claims', () => {
  it('reads plain and Cognito-style claims', () => {
    expect(principalFromClaims({ sub: 'u1', exp: EXP, role: 'evaluator', districtId: 'haidian' })).toEqual({
      subject: 'u1',
      role: 'evaluator',
      districtId: 'haidian',
    });
    expect(
      principalFromClaims({
        sub: 'u2',
        exp: EXP,
        token_use: 'id',
        'cognito:groups': ['clerk'],
        'custom:districtId': 'haidian',
        'custom:institutionId': 'inst-001',
      }),
    ).toEqual({ subject: 'u2', role: 'clerk', districtId: 'haidian', institutionId: 'inst-001' });
  });

  it("takes the person's display name from `name`, else Cognito's user name or an issuer's preferred_username, cut at 100 characters", () => {
    const cognito = { exp: EXP, token_use: 'id', 'cognito:groups': ['admin'] };
    expect(principalFromClaims({ ...cognito, sub: 'c1', name: '王建国', 'cognito:username': 'wang' })).toEqual({
      subject: 'c1',
      role: 'admin',
      name: '王建国',
    });
    expect(principalFromClaims({ ...cognito, sub: 'c2', 'cognito:username': 'wang' })).toEqual({ subject: 'c2', role: 'admin', name: 'wang' });
    expect(principalFromClaims({ sub: 'o1', exp: EXP, role: 'admin', preferred_username: 'li.na' })).toEqual({ subject: 'o1', role: 'admin', name: 'li.na' });
    expect(principalFromClaims({ sub: 'o2', exp: EXP, role: 'admin', name: 'x'.repeat(150) })?.name).toHaveLength(100);
    expect(principalFromClaims({ sub: 'o3', exp: EXP, role: 'admin', name: '' })).toEqual({ subject: 'o3', role: 'admin' });
    // a resident's name is personal data: not taken
    expect(principalFromClaims({ sub: 'r1', exp: EXP, role: 'resident', residentRef: 'ref', name: '张三' })).toEqual({
      subject: 'r1',
      role: 'resident',
      residentRef: 'ref',
    });
  });

  it('refuses a role without the scope it needs', () => {
    expect(principalFromClaims({ sub: 'u', exp: EXP, role: 'clerk', districtId: 'haidian' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', exp: EXP, role: 'finance' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', exp: EXP, role: 'resident' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', exp: EXP, role: 'superuser' })).toBeNull();
  });

  it('requires exp', () => {
    expect(principalFromClaims({ sub: 'u', role: 'admin' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', role: 'admin', exp: '9999999999' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', role: 'admin', exp: EXP })).toEqual({ subject: 'u', role: 'admin' });
  });

  it('accepts only ID tokens from Cognito', () => {
    const claims = { sub: 'u', exp: EXP, iss: COGNITO_ISS, 'cognito:groups': ['admin'] };
    expect(principalFromClaims({ ...claims, token_use: 'id' })).toEqual({ subject: 'u', role: 'admin' });
    expect(principalFromClaims({ ...claims, token_use: 'access' })).toBeNull();
    expect(principalFromClaims(claims)).toBeNull();
    // a Cognito issuer alone marks the token as Cognito's
    expect(principalFromClaims({ sub: 'u', exp: EXP, iss: COGNITO_ISS, role: 'admin' })).toBeNull();
  });

  it("takes a Cognito token's role from its groups and its scope from custom attributes, never from plain claims", () => {
    const base = { sub: 'u', exp: EXP, token_use: 'id' };
    // a plain role claim (e.g. added by a token customisation) does not override the group
    expect(principalFromClaims({ ...base, role: 'admin', 'cognito:groups': ['finance'], 'custom:districtId': 'd1' })).toEqual({
      subject: 'u',
      role: 'finance',
      districtId: 'd1',
    });
    expect(principalFromClaims({ ...base, role: 'admin', 'cognito:groups': [] })).toBeNull();
    expect(principalFromClaims({ ...base, role: 'admin' })).toBeNull();
    expect(principalFromClaims({ ...base, 'cognito:groups': ['evaluator'], districtId: 'd1' })).toBeNull();
    // two role groups: ambiguous, refused
    expect(principalFromClaims({ ...base, 'cognito:groups': ['admin', 'finance'], 'custom:districtId': 'd1' })).toBeNull();
    // groups that are not roles are ignored
    expect(principalFromClaims({ ...base, 'cognito:groups': ['beijing-staff', 'admin'] })).toEqual({ subject: 'u', role: 'admin' });
  });

  it("reads an external issuer's claims by the configured names, dotted paths and role arrays included", () => {
    const mapping = { role: 'realm_access.roles', districtId: 'gk_district', institutionId: 'gk_institution', residentRef: 'gk_resident' };
    expect(
      principalFromClaims({ sub: 'k1', exp: EXP, realm_access: { roles: ['offline_access', 'clerk'] }, gk_district: 'd1', gk_institution: 'i1' }, mapping),
    ).toEqual({ subject: 'k1', role: 'clerk', districtId: 'd1', institutionId: 'i1' });
    expect(principalFromClaims({ sub: 'k1', exp: EXP, role: 'admin' }, mapping)).toBeNull();
    expect(principalFromClaims({ sub: 'k1', exp: EXP, realm_access: { roles: ['admin', 'clerk'] } }, mapping)).toBeNull();
  });
});

describe('JWKS verification', () => {
  it('accepts a token signed by a key in the set and rejects others', async () => {
    const auth = createDevAuth();
    const stranger = createDevAuth();
    const verify = jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER });
    expect(await verify(await auth.issue({ role: 'admin' }))).toMatchObject({ role: 'admin' });
    expect(await verify(await stranger.issue({ role: 'admin' }))).toBeNull();
    expect(await verify(await auth.issue({ role: 'admin' }, -10))).toBeNull();
    expect(await verify('not.a.token')).toBeNull();
  });

  it('refuses a correctly signed token without exp', async () => {
    const auth = createDevAuth();
    const verify = jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER });
    expect(await verify(await auth.issue({ role: 'admin', exp: undefined }))).toBeNull();
  });
});

describe('JWKS rotation', () => {
  let server: Server;
  let url: string;
  let published: ReturnType<typeof createDevAuth>[] = [];
  let fetches = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      fetches += 1;
      if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/keys` }));
      if (req.url === '/keys') return res.end(JSON.stringify({ keys: published.flatMap((a) => a.jwks) }));
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refetches the key set when a token names an unknown kid, at most once per interval', async () => {
    const first = createDevAuth();
    const second = createDevAuth();
    const forger = createDevAuth();
    published = [first];
    fetches = 0;
    let now = 1_000_000;
    const verify = jwksVerifier({ jwksUri: `${url}/keys`, issuer: DEV_ISSUER }, { nowMs: () => now });

    expect(await verify(await first.issue({ role: 'admin' }))).toMatchObject({ role: 'admin' });
    expect(await verify(await first.issue({ role: 'admin' }))).toMatchObject({ role: 'admin' });
    expect(fetches).toBe(1);

    // the issuer rotates to a new key: the first token with its kid fetches the set again
    published = [first, second];
    now += JWKS_REFETCH_INTERVAL_MS;
    expect(await verify(await second.issue({ role: 'admin' }))).toMatchObject({ role: 'admin' });
    expect(fetches).toBe(2);

    // unknown kids within the interval do not fetch: refused without a request
    for (let i = 0; i < 5; i++) expect(await verify(await forger.issue({ role: 'admin' }))).toBeNull();
    expect(fetches).toBe(2);
    now += JWKS_REFETCH_INTERVAL_MS;
    expect(await verify(await forger.issue({ role: 'admin' }))).toBeNull();
    expect(fetches).toBe(3);
    // known keys keep working without fetching
    expect(await verify(await second.issue({ role: 'admin' }))).toMatchObject({ role: 'admin' });
    expect(fetches).toBe(3);
  });

  it("discovers an external issuer's jwks_uri", async () => {
    const key = createDevAuth();
    published = [key];
    fetches = 0;
    const verify = jwksVerifier({ discover: true, issuer: url, audience: 'gk-web' });
    expect(await verify(await key.issue({ iss: url, aud: 'gk-web', role: 'finance', districtId: 'd1' }))).toEqual(
      expect.objectContaining({ role: 'finance', districtId: 'd1' }),
    );
    expect(await verify(await key.issue({ iss: url, aud: 'other', role: 'finance', districtId: 'd1' }))).toBeNull();
    expect(fetches).toBe(2);
  });
});

describe("a clerk's institution", () => {
  const institutions: Record<string, string> = { 'inst-a1': 'district-a', 'inst-b1': 'district-b' };
  let lookups = 0;
  const districtOf = async (id: string) => {
    lookups += 1;
    return institutions[id] ?? null;
  };

  it('must belong to the district the token names', async () => {
    const auth = createDevAuth();
    let now = 0;
    const verify = clerkInstitutionChecked(jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER }), districtOf, { nowMs: () => now });
    const clerk = (districtId: string, institutionId: string) => auth.issue({ role: 'clerk', districtId, institutionId });
    lookups = 0;
    expect(await verify(await clerk('district-a', 'inst-a1'))).toMatchObject({ role: 'clerk', institutionId: 'inst-a1' });
    expect(await verify(await clerk('district-b', 'inst-a1'))).toBeNull();
    expect(await verify(await clerk('district-a', 'inst-b1'))).toBeNull();
    expect(await verify(await clerk('district-a', 'no-such-institution'))).toBeNull();
    // other roles are not looked up
    expect(await verify(await auth.issue({ role: 'finance', districtId: 'district-a' }))).toMatchObject({ role: 'finance' });
    // inst-a1 and inst-b1 were remembered; the missing one was looked up and not remembered
    expect(lookups).toBe(3);
    expect(await verify(await clerk('district-a', 'inst-a1'))).not.toBeNull();
    expect(lookups).toBe(3);
    now += INSTITUTION_DISTRICT_TTL_MS;
    expect(await verify(await clerk('district-a', 'inst-a1'))).not.toBeNull();
    expect(lookups).toBe(4);
  });
});
