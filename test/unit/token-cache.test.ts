import { afterEach, describe, expect, it, vi } from 'vitest';
import { jwksVerifier, verifiedTokenCache } from '#shared/http/tokens.ts';
import { createDevAuth, DEV_ISSUER } from '../../local/dev-auth.ts';

const T = new Date('2026-11-22T08:00:00Z').getTime();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('verified tokens remembered per process', () => {
  it('checks a token’s signature once, serves it until its exp, and refuses it from its exp on', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
    const auth = createDevAuth();
    const verify = jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER });
    const token = await auth.issue({ role: 'evaluator', districtId: 'd1' }, 60);
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');

    expect(await verify(token)).toEqual({ subject: expect.any(String), role: 'evaluator', districtId: 'd1' });
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) expect(await verify(token)).toMatchObject({ role: 'evaluator' });
    expect(signatureChecks).toHaveBeenCalledTimes(1);

    vi.setSystemTime(T + 59_000);
    expect(await verify(token)).toMatchObject({ role: 'evaluator' });
    vi.setSystemTime(T + 60_000);
    expect(await verify(token)).toBeNull();
    vi.setSystemTime(T + 3_600_000);
    expect(await verify(token)).toBeNull();
  });

  it('never remembers a refused token: each attempt is checked again', async () => {
    const auth = createDevAuth();
    const verify = jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER });
    // a real token of the key set whose claims were changed after signing
    const [header, payload, signature] = (await auth.issue({ role: 'finance', districtId: 'd1' })).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url'), signature].join('.');
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');
    for (let i = 0; i < 3; i++) expect(await verify(forged)).toBeNull();
    expect(signatureChecks).toHaveBeenCalledTimes(3);
    // a token without the scope its role needs is refused after a valid signature, and not remembered either
    const unscoped = await auth.issue({ role: 'clerk' });
    expect(await verify(unscoped)).toBeNull();
    expect(await verify(unscoped)).toBeNull();
    expect(signatureChecks).toHaveBeenCalledTimes(5);
  });

  it('hands out a copy: a caller changing its principal changes nothing for the next request', async () => {
    const auth = createDevAuth();
    const verify = jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER });
    const token = await auth.issue({ role: 'finance', districtId: 'd1' });
    const first = (await verify(token))!;
    first.districtId = 'd2';
    expect(await verify(token)).toMatchObject({ role: 'finance', districtId: 'd1' });
  });
});

describe('the cache itself', () => {
  const principal = { subject: 'u', role: 'admin' as const };

  it('holds at most its capacity, dropping the least recently used', () => {
    const cache = verifiedTokenCache(2, () => T);
    const exp = T / 1000 + 3600;
    cache.set('a', { ...principal, subject: 'a' }, exp);
    cache.set('b', { ...principal, subject: 'b' }, exp);
    expect(cache.get('a')?.subject).toBe('a'); // a is now the most recently used
    cache.set('c', { ...principal, subject: 'c' }, exp);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.subject).toBe('a');
    expect(cache.get('c')?.subject).toBe('c');
  });

  it('forgets an entry at its exp and never stores one already expired', () => {
    let now = T;
    const cache = verifiedTokenCache(10, () => now);
    cache.set('soon', principal, T / 1000 + 10);
    cache.set('gone', principal, T / 1000);
    expect(cache.size).toBe(1);
    now = T + 9_999;
    expect(cache.get('soon')).toEqual(principal);
    now = T + 10_000;
    expect(cache.get('soon')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
