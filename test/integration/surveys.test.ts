/** Survey intake against DynamoDB Local: one response per resident and period, 403 without a contract, invitations, aggregates. */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { surveyKeys } from '#shared/data/keys.ts';
import { aggregatesOfDistrict, getAggregate } from '#shared/data/surveys.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createTestDistrict, testIdentityNumbers, type TestDistrict } from '../support/fixtures.ts';

let now = new Date('2026-11-22T08:00:00Z');
let stack: TestStack;
let district: TestDistrict;
let admin: string;
const PERIOD = '2026Q4';
const ANSWERS = { overall: 5, attitude: 4, communication: 5, access: 3, recommend: 9 };

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  district = await createTestDistrict(stack.db, 'sur-d', { teamsPerInstitution: 2 });
  admin = await stack.token('admin');
});

async function signResidents(teamId: string, count: number, offset: number): Promise<string[]> {
  const ids = testIdentityNumbers(count, offset);
  for (const identityNumber of ids) {
    const response = await stack.request('POST', '/contracts', { token: admin, body: { teamId, identityNumber, insured: true, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } } });
    expect(response.status).toBe(201);
  }
  return ids;
}

async function answerCount(teamId: string): Promise<number> {
  const result = await stack.db.doc.send(
    new QueryCommand({ TableName: stack.db.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': surveyKeys.answersOfTeam(teamId, PERIOD).pk }, Select: 'COUNT' }),
  );
  return result.Count ?? 0;
}

describe('signed-in residents', () => {
  it('stores one response when fifty arrive at once and answers the rest with 409', async () => {
    const [identityNumber] = await signResidents(district.teams[0]!.teamId, 1, 100);
    const token = await stack.token('resident', { identityNumber: identityNumber! });
    const survey = (await (await stack.request('GET', '/me/survey', { token })).json()) as { period: string; alreadyResponded: boolean };
    expect(survey).toMatchObject({ period: PERIOD, alreadyResponded: false });

    const responses = await Promise.all(Array.from({ length: 50 }, () => stack.request('POST', '/surveys', { token, body: { answers: ANSWERS } })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(49);
    expect(await answerCount(district.teams[0]!.teamId)).toBe(1);
    expect(await getAggregate(stack.db, 'sur-d', PERIOD, district.teams[0]!.teamId, true)).toMatchObject({ n: 1, 'q.overall.sum': 5, 'q.overall.top': 1 });
    expect(((await (await stack.request('GET', '/me/survey', { token })).json()) as { alreadyResponded: boolean }).alreadyResponded).toBe(true);
  });

  it('answers 403 and writes nothing for a resident without an active contract', async () => {
    const [identityNumber] = testIdentityNumbers(1, 900);
    const token = await stack.token('resident', { identityNumber: identityNumber! });
    const response = await stack.request('POST', '/surveys', { token, body: { answers: ANSWERS } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'no-active-contract' });

    const [cancelledResident] = await signResidents(district.teams[1]!.teamId, 1, 901);
    const clerk = await stack.token('clerk', { districtId: 'sur-d', institutionId: district.institutionIds[0] });
    const contract = (await (await stack.request('GET', `/teams/${district.teams[1]!.teamId}/contracts`, { token: clerk })).json()) as {
      items: { contractId: string }[];
    };
    await stack.request('POST', `/contracts/${contract.items[0]!.contractId}/cancel`, { token: clerk, body: { noticeDate: '2026-11-01', reason: '迁出' } });
    const cancelledToken = await stack.token('resident', { identityNumber: cancelledResident! });
    expect((await stack.request('POST', '/surveys', { token: cancelledToken, body: { answers: ANSWERS } })).status).toBe(403);
    expect(await answerCount(district.teams[1]!.teamId)).toBe(0);
  });

  it('names each bad answer', async () => {
    const [identityNumber] = await signResidents(district.teams[0]!.teamId, 1, 120);
    const token = await stack.token('resident', { identityNumber: identityNumber! });
    const response = await stack.request('POST', '/surveys', { token, body: { answers: { overall: 7, attitude: 4 } } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['body.answers.overall', 'body.answers.communication', 'body.answers.access']);
  });
});

describe('aggregates', () => {
  it('equal a recomputation from raw answers after a concurrent burst, and drift is detected', async () => {
    const team = district.teams[1]!;
    const ids = await signResidents(team.teamId, 24, 200);
    const answers = ids.map((_, i) => ({ overall: (i % 5) + 1, attitude: ((i + 2) % 5) + 1, communication: 5, access: 4, recommend: i % 11 }));
    const responses = await Promise.all(
      ids.map(async (identityNumber, i) => stack.request('POST', '/surveys', { token: await stack.token('resident', { identityNumber }), body: { answers: answers[i] } })),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);

    const stored = (await aggregatesOfDistrict(stack.db, 'sur-d', PERIOD)).get(team.teamId)!;
    expect(stored.n).toBe(24);
    expect(stored['q.overall.sum']).toBe(answers.reduce((s, a) => s + a.overall, 0));

    const clean = (await (await stack.request('POST', '/districts/sur-d/survey-aggregates/reconcile', { token: admin, body: { period: PERIOD } })).json()) as {
      teamsWithDrift: number;
      teamsChecked: number;
    };
    expect(clean).toMatchObject({ teamsChecked: 2, teamsWithDrift: 0 });

    await stack.db.doc.send(
      new UpdateCommand({ TableName: stack.db.tableName, Key: surveyKeys.aggregate('sur-d', PERIOD, team.teamId), UpdateExpression: 'ADD #n :one', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':one': 1 } }),
    );
    const drift = (await (await stack.request('POST', '/districts/sur-d/survey-aggregates/reconcile', { token: admin, body: { period: PERIOD, fix: true } })).json()) as {
      drift: { teamId: string; differences: unknown[] }[];
    };
    expect(drift.drift).toEqual([{ teamId: team.teamId, differences: [{ key: 'n', stored: 25, recomputed: 24 }] }]);
    expect((await getAggregate(stack.db, 'sur-d', PERIOD, team.teamId, true)).n).toBe(24);
  });

  it('publishes results only from the minimum number of responses', async () => {
    const evaluator = await stack.token('evaluator', { districtId: 'sur-d' });
    const big = (await (await stack.request('GET', `/teams/${district.teams[1]!.teamId}/survey-results?period=${PERIOD}`, { token: evaluator })).json()) as {
      n: number;
      suppressed: boolean;
      headline: { topBoxShare: number };
    };
    expect(big).toMatchObject({ n: 24, suppressed: false });
    expect(big.headline.topBoxShare).toBeGreaterThan(0);
    const small = (await (await stack.request('GET', `/teams/${district.teams[0]!.teamId}/survey-results?period=${PERIOD}`, { token: evaluator })).json()) as {
      n: number;
      suppressed: boolean;
      headline: { topBoxShare: number | null };
    };
    expect(small).toMatchObject({ n: 1, suppressed: true, headline: { topBoxShare: null } });
  });
});

describe('instrument versions', () => {
  it('publishes new versions and keeps old ones', async () => {
    const evaluator = await stack.token('evaluator', { districtId: 'sur-d' });
    const before = (await (await stack.request('GET', '/districts/sur-d/survey-instrument', { token: evaluator })).json()) as { version: number };
    expect(before.version).toBe(0);
    const questions = [{ code: 'overall', type: 'scale5', required: true, label: { zh: '总体满意度', en: 'Overall' } }];
    const v1 = await stack.request('POST', '/districts/sur-d/survey-instrument', { token: evaluator, body: { questions } });
    expect(v1.status).toBe(201);
    expect(await v1.json()).toMatchObject({ version: 1 });
    const duplicate = await stack.request('POST', '/districts/sur-d/survey-instrument', { token: evaluator, body: { questions: [...questions, ...questions] } });
    expect(duplicate.status).toBe(422);
    expect(await duplicate.json()).toMatchObject({ errors: [{ field: 'body.questions.1.code' }] });
  });
});

describe('invitation links', () => {
  it('are single-use and expire', async () => {
    const local = await createTestDistrict(stack.db, 'inv-d', { teamsPerInstitution: 1 });
    const team = local.teams[0]!;
    await signResidents(team.teamId, 5, 300);
    const evaluator = await stack.token('evaluator', { districtId: 'inv-d' });
    const created = (await (
      await stack.request('POST', '/districts/inv-d/survey-invitations', { token: evaluator, body: { period: PERIOD, samplePerTeam: 3, validDays: 7 } })
    ).json()) as { invitations: { teamId: string; link: string }[] };
    expect(created.invitations).toHaveLength(3);
    const [first, second] = created.invitations.map((i) => new URL(i.link).pathname);

    const page = await stack.request('GET', first!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(team.name);

    const form = 'overall=5&attitude=5&communication=4&access=4&recommend=10&comment=%E5%BE%88%E5%A5%BD&lang=zh';
    const submit = () => stack.request('POST', first!, { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const results = await Promise.all([submit(), submit(), submit()]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await stack.request('GET', first!)).status).toBe(409);

    now = new Date(now.getTime() + 8 * 86_400_000);
    try {
      const expired = await stack.request('POST', second!, { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(expired.status).toBe(410);
    } finally {
      now = new Date('2026-11-22T08:00:00Z');
    }
    expect((await stack.request('GET', '/s/not-a-real-token-at-all-000000')).status).toBe(404);
    expect((await getAggregate(stack.db, 'inv-d', PERIOD, team.teamId, true)).n).toBe(1);
  });
});
