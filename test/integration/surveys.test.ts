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
    const response = await stack.request('POST', '/contracts', {
      token: admin,
      body: { teamId, identityNumber, insured: true, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } },
    });
    expect(response.status).toBe(201);
  }
  return ids;
}

async function answerCount(teamId: string): Promise<number> {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': surveyKeys.answersOfTeam(teamId, PERIOD).pk },
      Select: 'COUNT',
    }),
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
      ids.map(async (identityNumber, i) =>
        stack.request('POST', '/surveys', { token: await stack.token('resident', { identityNumber }), body: { answers: answers[i] } }),
      ),
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
      new UpdateCommand({
        TableName: stack.db.tableName,
        Key: surveyKeys.aggregate('sur-d', PERIOD, team.teamId),
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const drift = (await (
      await stack.request('POST', '/districts/sur-d/survey-aggregates/reconcile', { token: admin, body: { period: PERIOD, fix: true } })
    ).json()) as {
      drift: { teamId: string; differences: unknown[] }[];
    };
    expect(drift.drift).toEqual([{ teamId: team.teamId, differences: [{ key: 'n', stored: 25, recomputed: 24 }] }]);
    expect((await getAggregate(stack.db, 'sur-d', PERIOD, team.teamId, true)).n).toBe(24);
  });

  it('shows no results while the period runs, then fixed ones: a response after its end is refused', async () => {
    const evaluator = await stack.token('evaluator', { districtId: 'sur-d' });
    const clerk = await stack.token('clerk', { districtId: 'sur-d', institutionId: district.institutionIds[0] });
    const results = (token: string) => stack.request('GET', `/teams/${district.teams[1]!.teamId}/survey-results?period=${PERIOD}`, { token });
    for (const token of [evaluator, clerk, admin]) {
      const open = await results(token);
      expect(open.status).toBe(409);
      const text = await open.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'survey-period-open', period: PERIOD });
      expect(text).not.toMatch(/topBoxShare|"n"/);
    }
    const [late] = await signResidents(district.teams[1]!.teamId, 1, 250);
    now = new Date('2026-12-31T16:00:00Z'); // 1 January 2027, 00:00 in China: 2026Q4 has ended
    try {
      const before = await (await results(evaluator)).text();
      const refused = await stack.request('POST', '/surveys', { token: await stack.token('resident', { identityNumber: late! }), body: { answers: ANSWERS } });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ code: 'survey-period-closed' });
      expect(await (await results(evaluator)).text()).toBe(before);
      expect((await getAggregate(stack.db, 'sur-d', PERIOD, district.teams[1]!.teamId, true)).n).toBe(24);
    } finally {
      now = new Date('2026-11-22T08:00:00Z');
    }
  });

  it('publishes results only from the minimum number of responses', async () => {
    const evaluator = await stack.token('evaluator', { districtId: 'sur-d' });
    now = new Date('2027-01-05T08:00:00Z'); // after the period (results are shown once it has ended)
    try {
      const big = (await (await stack.request('GET', `/teams/${district.teams[1]!.teamId}/survey-results?period=${PERIOD}`, { token: evaluator })).json()) as {
        n: number;
        suppressed: boolean;
        headline: { topBoxShare: number };
      };
      expect(big).toMatchObject({ n: 24, suppressed: false });
      expect(big.headline.topBoxShare).toBeGreaterThan(0);
      const small = (await (
        await stack.request('GET', `/teams/${district.teams[0]!.teamId}/survey-results?period=${PERIOD}`, { token: evaluator })
      ).json()) as {
        n: number;
        suppressed: boolean;
        headline: { topBoxShare: number | null };
      };
      expect(small).toMatchObject({ n: 1, suppressed: true, headline: { topBoxShare: null } });
    } finally {
      now = new Date('2026-11-22T08:00:00Z');
    }
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
    const duplicate = await stack.request('POST', '/districts/sur-d/survey-instrument', {
      token: evaluator,
      body: { questions: [...questions, ...questions] },
    });
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

  it('are given out once, as a file for the SMS gateway; afterwards only their status is listed', async () => {
    const local = await createTestDistrict(stack.db, 'inv-csv-d', { teamsPerInstitution: 2 });
    for (const team of local.teams) await signResidents(team.teamId, 3, team === local.teams[0] ? 400 : 410);
    const evaluator = await stack.token('evaluator', { districtId: 'inv-csv-d' });
    const drawn = await stack.request('POST', '/districts/inv-csv-d/survey-invitations', {
      token: evaluator,
      body: { period: PERIOD, samplePerTeam: 2, validDays: 7 },
      headers: { accept: 'text/csv' },
    });
    expect(drawn.status).toBe(201);
    expect(drawn.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(drawn.headers.get('content-disposition')).toBe(`attachment; filename="survey-invitations-inv-csv-d-${PERIOD}.csv"`);
    expect(drawn.headers.get('cache-control')).toBe('no-store');
    const [header, ...lines] = (await drawn.text()).trim().split('\n');
    expect(header).toBe('invitationId,teamId,institutionId,contractId,period,expiresAt,link');
    expect(lines).toHaveLength(4);
    const rows = lines.map((line) => line.split(','));
    const tokens = rows.map((cells) => new URL(cells[6]!).pathname.slice(3));
    expect(new Set(rows.map((cells) => cells[1])).size).toBe(2);

    const list = async () => {
      const response = await stack.request('GET', `/districts/inv-csv-d/survey-invitations?period=${PERIOD}`, { token: evaluator });
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const token of tokens) expect(text).not.toContain(token);
      expect(text).not.toMatch(/tokenHash|residentRef|\/s\//);
      return (JSON.parse(text) as { items: { invitationId: string; status: string; answeredOn: string | null }[] }).items;
    };
    const sent = await list();
    expect(sent.map((i) => i.invitationId).sort()).toEqual(rows.map((cells) => cells[0]).sort());
    expect(sent.every((i) => i.status === 'sent')).toBe(true);

    const form = 'overall=5&attitude=5&communication=4&access=4&recommend=10&lang=zh';
    expect((await stack.request('POST', `/s/${tokens[0]}`, { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(201);
    const after = await list();
    expect(after.find((i) => i.invitationId === rows[0]![0])).toMatchObject({ status: 'answered', answeredOn: '2026-11-22' });
    expect(after.filter((i) => i.status === 'sent')).toHaveLength(3);

    now = new Date(now.getTime() + 8 * 86_400_000);
    try {
      expect((await list()).filter((i) => i.status === 'expired')).toHaveLength(3);
    } finally {
      now = new Date('2026-11-22T08:00:00Z');
    }
    // another district's evaluator sees none of them
    const other = await stack.token('evaluator', { districtId: 'sur-d' });
    expect((await stack.request('GET', `/districts/inv-csv-d/survey-invitations?period=${PERIOD}`, { token: other })).status).toBe(403);
  });

  it('the evaluator page draws them as one CSV download and then shows their status, never a link', async () => {
    const local = await createTestDistrict(stack.db, 'inv-page-d', { teamsPerInstitution: 1 });
    await signResidents(local.teams[0]!.teamId, 3, 420);
    const evaluator = await stack.token('evaluator', { districtId: 'inv-page-d' });
    const page = '/evaluator/districts/inv-page-d/invitations';
    const cookie = { cookie: `gk_token=${evaluator}`, origin: 'http://localhost' };
    const empty = await stack.app.request(`${page}?lang=en&period=${PERIOD}`, { headers: cookie });
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('No invitations for this period.');

    const form = (fields: string) =>
      stack.app.request(page, { method: 'POST', headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: fields });
    const invalid = await form(`period=${PERIOD}&samplePerTeam=0&validDays=7&lang=en`);
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('samplePerTeam');

    const download = await form(`period=${PERIOD}&samplePerTeam=2&validDays=7&lang=en`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="survey-invitations-inv-page-d-2026Q4\.csv"$/);
    expect(download.headers.get('cache-control')).toBe('no-store');
    const links = (await download.text())
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').at(-1)!);
    expect(links).toHaveLength(2);
    const tokens = links.map((link) => new URL(link).pathname.slice(3));

    const listed = await stack.app.request(`${page}?lang=en&period=${PERIOD}`, { headers: cookie });
    const html = await listed.text();
    expect(html.match(/data-status="sent"/g)).toHaveLength(2);
    for (const token of tokens) expect(html).not.toContain(token);
    expect(html).not.toContain('/s/');
    // a cross-site form cannot draw with the cookie
    expect(
      (
        await stack.app.request(page, {
          method: 'POST',
          headers: { cookie: `gk_token=${evaluator}`, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
          body: `period=${PERIOD}&samplePerTeam=1`,
        })
      ).status,
    ).toBe(403);
  });
});
