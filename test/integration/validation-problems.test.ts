/** Bad input gets a clear problem+json naming the field, and nothing is written. */
import { beforeAll, describe, expect, it } from 'vitest';
import { listInstitutions } from '#shared/data/institutions.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, testIdentityNumber, type TestDistrict } from '../support/fixtures.ts';

let stack: TestStack;
let district: TestDistrict;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack();
  district = await createTestDistrict(stack.db, 'valid-d');
  admin = await stack.token('admin');
});

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as { status: number; errors?: { field: string }[]; detail?: string };
  expect(body.status).toBe(response.status);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  return body;
}

describe('validation problems', () => {
  it('names a bad identity number', async () => {
    const bad = testIdentityNumber().slice(0, 17) + (testIdentityNumber().endsWith('1') ? '2' : '1');
    const response = await stack.request('POST', '/contracts', {
      token: admin,
      body: { teamId: district.teams[0]!.teamId, identityNumber: bad, insured: true, startDate: '2026-07-01' },
    });
    expect(response.status).toBe(400);
    const body = await problem(response);
    expect(body.errors).toEqual([{ field: 'body.identityNumber', message: expect.stringContaining('check character') }]);
    expect(JSON.stringify(body)).not.toContain(bad);
  });

  it('rejects an unknown field', async () => {
    const response = await stack.request('POST', `/districts/${district.districtId}/institutions`, {
      token: admin,
      body: { name: '新中心', ownership: 'government', level: 'clinic', colour: 'red' },
    });
    expect(response.status).toBe(400);
    expect((await problem(response)).errors?.[0]?.field).toBe('body.colour');
    expect((await listInstitutions(stack.db, district.districtId, 100)).items).toHaveLength(1);
  });

  it('rejects a wrong type', async () => {
    const response = await stack.request('POST', `/districts/${district.districtId}/institutions`, {
      token: admin,
      body: { name: 42, ownership: 'government', level: 'clinic' },
    });
    expect(response.status).toBe(400);
    expect((await problem(response)).errors?.[0]?.field).toBe('body.name');
  });

  it('rejects an oversized body with 413', async () => {
    const response = await stack.request('POST', `/districts/${district.districtId}/institutions`, {
      token: admin,
      body: { name: 'x'.repeat(400_000), ownership: 'government', level: 'clinic' },
    });
    expect(response.status).toBe(413);
    await problem(response);
  });

  it('rejects malformed JSON and a bad query value', async () => {
    const malformed = await stack.request('POST', '/districts', { token: admin, body: '{"districtId":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    await problem(malformed);
    const badLimit = await stack.request('GET', `/districts/${district.districtId}/institutions?limit=100000`, { token: admin });
    expect(badLimit.status).toBe(400);
    expect((await problem(badLimit)).errors?.[0]?.field).toBe('query.limit');
    const badCursor = await stack.request('GET', `/districts/${district.districtId}/institutions?cursor=garbage`, { token: admin });
    expect(badCursor.status).toBe(400);
    await problem(badCursor);
  });

  it('answers unknown routes with a problem 404', async () => {
    const response = await stack.request('GET', '/nowhere', { token: admin });
    expect(response.status).toBe(404);
    await problem(response);
  });

  it('is healthy when the database answers', async () => {
    const response = await stack.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
