import { describe, expect, it } from 'vitest';
import { jwksVerifier, principalFromClaims } from '#shared/http/tokens.ts';
import { createDevAuth, DEV_ISSUER } from '../../local/dev-auth.ts';

describe('token claims', () => {
  it('reads plain and Cognito-style claims', () => {
    expect(principalFromClaims({ sub: 'u1', role: 'evaluator', districtId: 'haidian' })).toEqual({
      subject: 'u1',
      role: 'evaluator',
      districtId: 'haidian',
    });
    expect(
      principalFromClaims({ sub: 'u2', 'cognito:groups': ['clerk'], 'custom:districtId': 'haidian', 'custom:institutionId': 'inst-001' }),
    ).toEqual({ subject: 'u2', role: 'clerk', districtId: 'haidian', institutionId: 'inst-001' });
  });

  it('refuses a role without the scope it needs', () => {
    expect(principalFromClaims({ sub: 'u', role: 'clerk', districtId: 'haidian' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', role: 'finance' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', role: 'resident' })).toBeNull();
    expect(principalFromClaims({ sub: 'u', role: 'superuser' })).toBeNull();
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
});
