/**
 * Team members joining and leaving with dates, through the API on DynamoDB Local: a member joins,
 * a leave before joining is refused next to its field, a leave keeps the entry with both dates, a
 * second leave is refused; concurrent joins all land and of concurrent leaves of one member
 * exactly one wins (read back from the table); only the institution's clerk and administrators
 * may change a team.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getTeam, type Team } from '#shared/data/teams.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'team-members';
let stack: TestStack;
let district: TestDistrict;
let clerk: string;

beforeAll(async () => {
  stack = await createTestStack();
  district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 1 });
  clerk = await stack.token('clerk', { districtId: D, institutionId: district.institutionIds[0]! });
});

const teamAt = (i: number) => district.teams[i]!.teamId;
const stored = async (teamId: string) => (await getTeam(stack.db, teamId, true))!;

describe('team members joining and leaving', () => {
  it('adds a member with a join date and records a leave, keeping the history', async () => {
    const joined = await stack.request('POST', `/teams/${teamAt(0)}/members`, {
      token: clerk,
      body: { name: '赵药师', role: 'pharmacist', joinedOn: '2026-03-01' },
    });
    expect(joined.status).toBe(201);
    const team = (await joined.json()) as Team;
    const pharmacist = team.members.find((m) => m.name === '赵药师')!;
    expect(pharmacist).toMatchObject({ role: 'pharmacist', joinedOn: '2026-03-01' });
    expect(pharmacist.leftOn).toBeUndefined();
    expect((await stored(teamAt(0))).members.map((m) => m.name)).toEqual(['王医生', '李护士', '赵药师']);

    const early = await stack.request('POST', `/teams/${teamAt(0)}/members/${pharmacist.memberId}/leave`, { token: clerk, body: { leftOn: '2026-02-28' } });
    expect(early.status).toBe(422);
    expect(await early.json()).toMatchObject({
      code: 'member-leaves-before-joining',
      errors: [{ field: 'body.leftOn' }],
      detail: '赵药师于 2026-03-01 加入，离开日期不能早于加入日期',
    });
    expect((await stored(teamAt(0))).members[2]!.leftOn).toBeUndefined();

    const left = await stack.request('POST', `/teams/${teamAt(0)}/members/${pharmacist.memberId}/leave`, { token: clerk, body: { leftOn: '2026-03-01' } });
    expect(left.status).toBe(200);
    const after = await stored(teamAt(0));
    expect(after.members).toHaveLength(3);
    expect(after.members[2]).toEqual({ ...pharmacist, leftOn: '2026-03-01' });

    const again = await stack.request('POST', `/teams/${teamAt(0)}/members/${pharmacist.memberId}/leave`, {
      token: clerk,
      body: { leftOn: '2026-04-01' },
      headers: { 'accept-language': 'en' },
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'member-already-left', detail: '赵药师 already left the team on 2026-03-01' });
    expect((await stored(teamAt(0))).members[2]!.leftOn).toBe('2026-03-01');

    const unknown = await stack.request('POST', `/teams/${teamAt(0)}/members/m-unknown/leave`, { token: clerk, body: { leftOn: '2026-04-01' } });
    expect(unknown.status).toBe(404);
  });

  it('refuses a malformed date and an unknown role with their field paths', async () => {
    const bad = await stack.request('POST', `/teams/${teamAt(0)}/members`, { token: clerk, body: { name: '钱医生', role: 'surgeon', joinedOn: '2026-02-30' } });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['body.joinedOn', 'body.role']);
  });

  it('lands every one of concurrent joins, and exactly one of concurrent leaves of one member', async () => {
    const teamId = teamAt(0);
    const before = (await stored(teamId)).members.length;
    const joins = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stack.request('POST', `/teams/${teamId}/members`, { token: clerk, body: { name: `成员${i}`, role: 'health-manager', joinedOn: '2026-05-01' } }),
      ),
    );
    expect(joins.map((r) => r.status)).toEqual(Array(8).fill(201));
    const team = await stored(teamId);
    expect(team.members).toHaveLength(before + 8);
    expect(new Set(team.members.map((m) => m.memberId)).size).toBe(before + 8);

    const target = team.members.find((m) => m.name === '成员3')!;
    const dates = ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06'];
    const leaves = await Promise.all(
      dates.map((leftOn) => stack.request('POST', `/teams/${teamId}/members/${target.memberId}/leave`, { token: clerk, body: { leftOn } })),
    );
    const statuses = leaves.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    const winner = dates[statuses.indexOf(200)];
    const readBack = await stored(teamId);
    expect(readBack.members.find((m) => m.memberId === target.memberId)!.leftOn).toBe(winner);
    expect(readBack.members.filter((m) => m.leftOn !== undefined).map((m) => m.memberId)).toContain(target.memberId);
    expect(readBack.members).toHaveLength(before + 8);
  });

  it("lets only the institution's clerk and administrators change a team", async () => {
    const body = { name: '孙护士', role: 'community-nurse', joinedOn: '2026-07-01' };
    const otherClerk = await stack.token('clerk', { districtId: D, institutionId: district.institutionIds[1]! });
    expect((await stack.request('POST', `/teams/${teamAt(0)}/members`, { token: otherClerk, body })).status).toBe(404);
    const evaluator = await stack.token('evaluator', { districtId: D });
    expect((await stack.request('POST', `/teams/${teamAt(0)}/members`, { token: evaluator, body })).status).toBe(403);
    const gp = district.teams[1]!.members[0]!;
    expect((await stack.request('POST', `/teams/${teamAt(1)}/members/${gp.memberId}/leave`, { token: clerk, body: { leftOn: '2026-07-01' } })).status).toBe(
      404,
    );
    expect((await stored(teamAt(1))).members.every((m) => m.leftOn === undefined)).toBe(true);

    const admin = await stack.token('admin');
    expect((await stack.request('POST', `/teams/${teamAt(1)}/members`, { token: admin, body })).status).toBe(201);
    expect((await stack.request('POST', `/teams/${teamAt(1)}/members/${gp.memberId}/leave`, { token: admin, body: { leftOn: '2026-07-01' } })).status).toBe(
      200,
    );
    const team = await stored(teamAt(1));
    expect(team.members.map((m) => [m.name, m.leftOn ?? null])).toEqual([
      ['王医生', '2026-07-01'],
      ['李护士', null],
      ['孙护士', null],
    ]);
  });
});
