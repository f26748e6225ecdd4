import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack();
  admin = await stack.token('admin');
});

describe('registry through the API', () => {
  it('creates a district, an institution and a 2 + X team, and pages through teams', async () => {
    const created = await stack.request('POST', '/districts', {
      token: admin,
      body: { districtId: 'reg-d', name: '测试区', province: '测试省', settings: { teamCapacity: 1500 } },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ settings: { teamCapacity: 1500, contractTermMonths: 12, subsidyPerResidentYearFen: 12_000 } });
    expect((await stack.request('POST', '/districts', { token: admin, body: { districtId: 'reg-d', name: 'x', province: 'y' } })).status).toBe(409);

    const institution = (await (
      await stack.request('POST', '/districts/reg-d/institutions', {
        token: admin,
        body: { name: '康安社区卫生服务中心', ownership: 'social', level: 'community-health-centre' },
      })
    ).json()) as { institutionId: string };

    const clerk = await stack.token('clerk', { districtId: 'reg-d', institutionId: institution.institutionId });
    const members = [
      { name: '王医生', role: 'general-practitioner', joinedOn: '2026-01-01' },
      { name: '李护士', role: 'community-nurse', joinedOn: '2026-01-01' },
      { name: '赵药师', role: 'pharmacist', joinedOn: '2026-01-01' },
    ];
    for (let i = 0; i < 3; i++) {
      const team = await stack.request('POST', `/institutions/${institution.institutionId}/teams`, { token: clerk, body: { name: `团队${i}`, members } });
      expect(team.status).toBe(201);
      expect(await team.json()).toMatchObject({ capacity: 1500, activeContracts: 0, districtId: 'reg-d' });
    }

    const noNurse = await stack.request('POST', `/institutions/${institution.institutionId}/teams`, {
      token: clerk,
      body: { name: '缺护士', members: [members[0], members[2]] },
      headers: { 'accept-language': 'en' },
    });
    expect(noNurse.status).toBe(422);
    expect(await noNurse.json()).toMatchObject({ errors: [{ field: 'body.members' }], detail: expect.stringContaining('community-nurse') });

    const evaluator = await stack.token('evaluator', { districtId: 'reg-d' });
    const first = (await (await stack.request('GET', '/districts/reg-d/teams?limit=2', { token: evaluator })).json()) as {
      items: { teamId: string }[];
      nextCursor: string | null;
    };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await stack.request('GET', `/districts/reg-d/teams?limit=2&cursor=${first.nextCursor}`, { token: evaluator })).json()) as {
      items: { teamId: string }[];
      nextCursor: string | null;
    };
    expect(second.items).toHaveLength(1);
    expect(new Set([...first.items, ...second.items].map((t) => t.teamId)).size).toBe(3);

    // the lists read only the team attributes (a projection): each listed team is exactly the team as GET /teams/{id} gives it
    const ofInstitution = (await (await stack.request('GET', `/institutions/${institution.institutionId}/teams?limit=10`, { token: clerk })).json()) as {
      items: { teamId: string }[];
    };
    for (const listed of [...first.items, ...second.items, ...ofInstitution.items]) {
      const one = await stack.request('GET', `/teams/${listed.teamId}`, { token: admin });
      expect(listed).toStrictEqual(await one.json());
      expect(Object.keys(listed).sort()).toEqual(['activeContracts', 'capacity', 'createdAt', 'districtId', 'institutionId', 'members', 'name', 'teamId']);
    }
  });
});
