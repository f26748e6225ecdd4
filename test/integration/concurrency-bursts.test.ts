/**
 * Bursts of 40 concurrent requests against DynamoDB Local for each invariant the data model
 * promises under concurrency, each checked afterwards by reading the table itself (not the
 * responses): one survey response per resident, team and period (and one per invitation link);
 * team capacity; one contract in force per resident; renew and cancel once; one approval of a
 * settlement and one settlement in force per period; one version per Idempotency-Key, and
 * versions numbered without gaps. Smaller races of the same rules live in contracts.test.ts,
 * surveys.test.ts, settlements.test.ts and metrics.test.ts.
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { allContractsOfTeam, getCurrentContractOf } from '#shared/data/contracts.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { keys, settlementKeys, surveyKeys } from '#shared/data/keys.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { getInForce, listAudit } from '#shared/data/settlements.ts';
import { getAggregate } from '#shared/data/surveys.ts';
import { getTeam } from '#shared/data/teams.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { createTestDistrict, type TestDistrict, testIdentityNumber, testIdentityNumbers } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const BURST = 40;
const NOW = new Date('2026-11-22T08:00:00Z');
const PERIOD = '2026Q4';
const ANSWERS = { overall: 4, attitude: 5, communication: 3, access: 4 };
let stack: TestStack;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  admin = await stack.token('admin');
});

const statuses = (responses: Response[]) => responses.map((r) => r.status).sort((a, b) => a - b);
const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;

function sign(teamId: string, identityNumber: string, token = admin) {
  return stack.request('POST', '/contracts', {
    token,
    body: { teamId, identityNumber, insured: true, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } },
  });
}

async function contractsOf(team: { institutionId: string; teamId: string }) {
  const all = [];
  for await (const contract of allContractsOfTeam(stack.db, team)) all.push(contract);
  return all;
}

async function queryCount(pk: string): Promise<number> {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Select: 'COUNT',
      ConsistentRead: true,
    }),
  );
  return result.Count ?? 0;
}

describe('contracts', () => {
  let district: TestDistrict;
  beforeAll(async () => {
    district = await createTestDistrict(stack.db, 'burst-con', { institutions: 1, teamsPerInstitution: 4, capacity: 25 });
  });

  it(`fills a team of capacity 25 exactly when ${BURST} residents sign at once`, async () => {
    const team = district.teams[0]!;
    const responses = await Promise.all(testIdentityNumbers(BURST, 5000).map((id) => sign(team.teamId, id)));
    expect(count(responses, 201), JSON.stringify(statuses(responses))).toBe(25);
    expect(count(responses, 409)).toBe(BURST - 25);
    for (const refused of responses.filter((r) => r.status === 409)) expect(((await refused.json()) as { code: string }).code).toBe('team-full');

    expect((await getTeam(stack.db, team.teamId, true))!.activeContracts).toBe(25);
    const stored = await contractsOf(team);
    expect(stored).toHaveLength(25);
    expect(new Set(stored.map((c) => c.residentRef)).size).toBe(25);
  });

  it(`keeps one contract in force when one resident signs with four teams ${BURST} times at once`, async () => {
    const identityNumber = testIdentityNumber('1955-05-05', 555);
    const teams = district.teams.slice(1);
    const responses = await Promise.all(Array.from({ length: BURST }, (_, i) => sign(teams[i % teams.length]!.teamId, identityNumber)));
    expect(count(responses, 201)).toBe(1);
    expect(count(responses, 409)).toBe(BURST - 1);

    const all = (await Promise.all(teams.map((t) => contractsOf(t)))).flat();
    expect(all).toHaveLength(1);
    const current = await getCurrentContractOf(stack.db, stack.keyer(identityNumber));
    expect(current?.contractId).toBe(all[0]!.contractId);
    const counters = await Promise.all(teams.map(async (t) => (await getTeam(stack.db, t.teamId, true))!.activeContracts));
    expect(counters.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it(`renews once and cancels once when each is sent ${BURST} times at once`, async () => {
    const team = district.teams[3]!;
    const due = (await (
      await stack.request('POST', '/contracts', {
        token: admin,
        body: {
          teamId: team.teamId,
          identityNumber: testIdentityNumber('1944-04-04', 444),
          insured: true,
          startDate: '2025-12-10',
          correction: { reason: 'history entered for the test' },
        },
      })
    ).json()) as { contractId: string; endDate: string };
    const renewals = await Promise.all(Array.from({ length: BURST }, () => stack.request('POST', `/contracts/${due.contractId}/renew`, { token: admin })));
    expect(count(renewals, 200)).toBe(1);
    expect(count(renewals, 409)).toBe(BURST - 1);
    const renewed = (await contractsOf(team)).find((c) => c.contractId === due.contractId)!;
    expect(renewed).toMatchObject({ renewals: 1, endDate: '2027-12-09', renewedEnds: ['2026-12-09'] });

    const before = (await getTeam(stack.db, team.teamId, true))!.activeContracts;
    const body = { noticeDate: '2026-11-01', reason: '迁出', effectiveDate: '2026-11-20' };
    const cancels = await Promise.all(
      Array.from({ length: BURST }, () => stack.request('POST', `/contracts/${due.contractId}/cancel`, { token: admin, body })),
    );
    expect(count(cancels, 200)).toBe(1);
    expect(count(cancels, 409)).toBe(BURST - 1);
    expect((await getTeam(stack.db, team.teamId, true))!.activeContracts).toBe(before - 1);
    const stored = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.contract(due.contractId).pk },
        ConsistentRead: true,
      }),
    );
    expect(stored.Items?.[0]).toMatchObject({ status: 'cancelled', endDate: '2026-11-20' });
  });
});

describe('surveys', () => {
  let district: TestDistrict;
  let residents: string[];
  beforeAll(async () => {
    district = await createTestDistrict(stack.db, 'burst-sur', { institutions: 1, teamsPerInstitution: 1 });
    residents = testIdentityNumbers(BURST, 7000);
    expect(statuses(await Promise.all(residents.map((id) => sign(district.teams[0]!.teamId, id))))).toEqual(Array(BURST).fill(201));
  });

  it(`stores one response per resident when ${BURST} residents each submit three times at once`, async () => {
    const team = district.teams[0]!;
    const tokens = await Promise.all(residents.map((identityNumber) => stack.token('resident', { identityNumber })));
    const responses = await Promise.all(
      tokens.flatMap((token) => [0, 1, 2].map(() => stack.request('POST', '/surveys', { token, body: { answers: ANSWERS } }))),
    );
    expect(count(responses, 201)).toBe(BURST);
    expect(count(responses, 409)).toBe(2 * BURST);

    expect(await queryCount(surveyKeys.answersOfTeam(team.teamId, PERIOD).pk)).toBe(BURST);
    const markers = await Promise.all(residents.map((id) => queryCount(`RESIDENT#${stack.keyer(id)}`)));
    // each resident's partition: the current contract and exactly one response marker
    expect(markers.every((n) => n === 2)).toBe(true);
    expect(await getAggregate(stack.db, 'burst-sur', PERIOD, team.teamId, true)).toMatchObject({
      n: BURST,
      'q.overall.sum': 4 * BURST,
      'q.attitude.top': BURST,
    });
    const reconcile = (await (
      await stack.request('POST', '/districts/burst-sur/survey-aggregates/reconcile', { token: admin, body: { period: PERIOD } })
    ).json()) as { teamsWithDrift: number };
    expect(reconcile.teamsWithDrift).toBe(0);
  });

  it(`accepts one answer through an invitation link submitted ${BURST} times at once`, async () => {
    const local = await createTestDistrict(stack.db, 'burst-inv', { institutions: 1, teamsPerInstitution: 1 });
    const [identityNumber] = testIdentityNumbers(1, 8000);
    expect((await sign(local.teams[0]!.teamId, identityNumber!)).status).toBe(201);
    const evaluator = await stack.token('evaluator', { districtId: 'burst-inv' });
    const drawn = (await (
      await stack.request('POST', '/districts/burst-inv/survey-invitations', { token: evaluator, body: { period: PERIOD, samplePerTeam: 1 } })
    ).json()) as { invitations: { link: string }[] };
    const path = new URL(drawn.invitations[0]!.link).pathname;
    const form = 'overall=5&attitude=5&communication=4&access=4&lang=zh';
    const responses = await Promise.all(
      Array.from({ length: BURST }, () => stack.request('POST', path, { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } })),
    );
    expect(count(responses, 201)).toBe(1);
    expect(count(responses, 409)).toBe(BURST - 1);
    expect(await queryCount(surveyKeys.answersOfTeam(local.teams[0]!.teamId, PERIOD).pk)).toBe(1);
    expect((await getAggregate(stack.db, 'burst-inv', PERIOD, local.teams[0]!.teamId, true)).n).toBe(1);
  });
});

describe('settlements', () => {
  const D = 'burst-fin';
  let district: TestDistrict;
  const officer = (sub: string) => stack.token('finance', { districtId: D, sub });

  beforeAll(async () => {
    district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
    expect(statuses(await Promise.all(district.teams.map((team, i) => sign(team.teamId, testIdentityNumber('1966-06-06', 900 + i)))))).toEqual([
      201, 201, 201, 201,
    ]);
    for (const [evaluationId, period] of [
      ['burst-q2', '2026Q2'],
      ['burst-q3', '2026Q3'],
    ] as const) {
      await createRun(stack.db, {
        evaluationId,
        districtId: D,
        period,
        baselinePeriod: null,
        criteriaVersion: 1,
        status: 'completed',
        phase: 'done',
        progress: { done: district.teams.length, total: district.teams.length },
        startedBy: 'evaluator',
        createdAt: '2026-10-01T00:00:00.000Z',
        fingerprint: '0'.repeat(64),
      });
      await finalizePeriod(stack.db, D, period, evaluationId);
      await putScores(
        stack.db,
        district.teams.map((t, i) => ({
          evaluationId,
          teamId: t.teamId,
          institutionId: t.institutionId,
          score: {
            teamId: t.teamId,
            status: 'scored',
            total: `${70 + i}.00`,
            indicators: [],
            domains: [],
            gates: [],
            eligibility: 'eligible',
            capPercent: 100,
          } as never,
          rank: i + 1,
          percentile: null,
        })),
      );
    }
  });

  async function draft(evaluationId: string): Promise<string> {
    const response = await settlementCall(stack, 'POST', `/districts/${D}/settlements`, {
      token: await officer('finance-creator'),
      body: { evaluationId, poolFen: 1_000_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { settlementId: string }).settlementId;
  }

  it(`approves a draft once when ${BURST} officers approve it at the same moment`, async () => {
    const settlementId = await draft('burst-q2');
    const tokens = await Promise.all(Array.from({ length: BURST }, (_, i) => officer(`approver-${i}`)));
    const responses = await Promise.all(
      tokens.map((token) => stack.request('POST', `/settlements/${settlementId}/approve`, { token, body: { comment: 'checked against the evaluation' } })),
    );
    expect(count(responses, 200), JSON.stringify(statuses(responses))).toBe(1);
    expect(count(responses, 409)).toBe(BURST - 1);

    const audit = await listAudit(stack.db, settlementId);
    expect(audit.map((e) => e.action)).toEqual(['create', 'approve']);
    expect(audit.map((e) => e.revision)).toEqual([1, 2]);
    expect((await getInForce(stack.db, D, '2026Q2'))?.settlementId).toBe(settlementId);
    expect((await getPeriodStatus(stack.db, D, '2026Q2')).status).toBe('closed');
    const header = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': settlementKeys.settlement(settlementId).pk },
        ConsistentRead: true,
      }),
    );
    expect(header.Items?.find((i) => i.sk === 'SETTLEMENT')).toMatchObject({ status: 'approved', revision: 2 });
  });

  it(`keeps one settlement in force when two drafts of a period are approved by ${BURST} officers at once`, async () => {
    const [a, b] = [await draft('burst-q3'), await draft('burst-q3')];
    const tokens = await Promise.all(Array.from({ length: BURST }, (_, i) => officer(`approver-q3-${i}`)));
    const responses = await Promise.all(
      tokens.map((token, i) => stack.request('POST', `/settlements/${i % 2 ? a : b}/approve`, { token, body: { comment: 'checked against the evaluation' } })),
    );
    expect(count(responses, 200)).toBe(1);
    expect(count(responses, 409)).toBe(BURST - 1);

    const inForce = await getInForce(stack.db, D, '2026Q3');
    const headers = await stack.db.doc.send(
      new ScanCommand({
        TableName: stack.db.tableName,
        FilterExpression: 'entity = :e AND period = :p',
        ExpressionAttributeValues: { ':e': 'settlement', ':p': '2026Q3' },
        ConsistentRead: true,
      }),
    );
    const approved = (headers.Items ?? []).filter((h) => h.status === 'approved');
    expect(approved).toHaveLength(1);
    expect(approved[0]!.settlementId).toBe(inForce?.settlementId);
  });
});

describe('metric uploads', () => {
  // into the running quarter: 2026Q3 is past its data deadline on 22 November (issue 14)
  const D = 'burst-met';
  let district: TestDistrict;
  let clerk: string;
  const body = (teamIds: string[], value: number) => ({
    rows: teamIds.map((teamId) => ({ teamId, values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, value])) })),
  });
  const versionsOf = async (institutionId: string) =>
    (
      await stack.db.doc.send(
        new QueryCommand({
          TableName: stack.db.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': `INSTITUTION#${institutionId}#METRICS#2026Q4`, ':v': 'VERSION#' },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  beforeAll(async () => {
    district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 3 });
    clerk = await stack.token('clerk', { districtId: D, institutionId: district.institutionIds[0]!, sub: 'clerk-burst' });
  });

  it('stores one version when the same Idempotency-Key is sent 10 times at once', async () => {
    const institutionId = district.institutionIds[0]!;
    const teamIds = district.teams.filter((t) => t.institutionId === institutionId).map((t) => t.teamId);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        stack.request('PUT', `/institutions/${institutionId}/metrics/2026Q4`, {
          token: clerk,
          body: body(teamIds, 5),
          headers: { 'idempotency-key': 'burst-key-1' },
        }),
      ),
    );
    expect(statuses(responses)).toEqual(Array(10).fill(201));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    for (const b of bodies) expect(b).toEqual(bodies[0]);

    const versions = await versionsOf(institutionId);
    expect(versions.map((v) => v.version)).toEqual([1]);
    const chunks = await stack.db.doc.send(
      new ScanCommand({
        TableName: stack.db.tableName,
        FilterExpression: 'entity = :e AND institutionId = :i',
        ExpressionAttributeValues: { ':e': 'metrics-rows', ':i': institutionId },
        ConsistentRead: true,
      }),
    );
    expect((chunks.Items ?? []).reduce((sum, c) => sum + (c.rowCount as number), 0)).toBe(teamIds.length);
    expect(await queryCount(`DISTRICT#${D}#METRICS#2026Q4`)).toBe(1);
  });

  it(`numbers ${BURST} concurrent uploads without a gap; those that lose too often get 409 and leave nothing`, async () => {
    const institutionId = district.institutionIds[1]!;
    const token = await stack.token('clerk', { districtId: D, institutionId, sub: 'clerk-burst-2' });
    const teamIds = district.teams.filter((t) => t.institutionId === institutionId).map((t) => t.teamId);
    const responses = await Promise.all(
      Array.from({ length: BURST }, (_, i) => stack.request('PUT', `/institutions/${institutionId}/metrics/2026Q4`, { token, body: body(teamIds, i + 1) })),
    );
    const stored = count(responses, 201) + count(responses, 200);
    expect(stored + count(responses, 409), JSON.stringify(statuses(responses))).toBe(BURST);
    expect(count(responses, 201)).toBe(1);
    for (const refused of responses.filter((r) => r.status === 409)) expect(((await refused.json()) as { code: string }).code).toBe('upload-contended');

    const versions = (await versionsOf(institutionId)).map((v) => v.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
    const pointer = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': `DISTRICT#${D}#METRICS#2026Q4`, ':sk': `CURRENT#INSTITUTION#${institutionId}` },
        ConsistentRead: true,
      }),
    );
    expect(pointer.Items?.[0]?.version).toBe(stored);
    // one chunk per stored version: the losers' rows were removed
    const chunks = await stack.db.doc.send(
      new ScanCommand({
        TableName: stack.db.tableName,
        FilterExpression: 'entity = :e AND institutionId = :i',
        ExpressionAttributeValues: { ':e': 'metrics-rows', ':i': institutionId },
        ConsistentRead: true,
      }),
    );
    expect(chunks.Items ?? []).toHaveLength(stored);
  });
});
