/**
 * Team counters always equal their active contracts (issue 13, rule 3) against DynamoDB Local,
 * through the API and the daily step, reading the table back: a contract stays `active` (and
 * counted) until its end date has passed, even when the resident signed elsewhere for the day
 * after; the daily step ends it and gives the place back once, whatever races it (its own
 * firings, renewals, cancellations); reads show a passed end date as ended before the step ran.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#shared/domain/dates.ts';
import { batchPut } from '#shared/data/batch.ts';
import { type Contract, contractImportItems, getContract } from '#shared/data/contracts.ts';
import { keys } from '#shared/data/keys.ts';
import { getTeam } from '#shared/data/teams.ts';
import { reconcileContracts } from '#shared/services/contract-reconcile.ts';
import { endContractsPastTheirTerm } from '#shared/services/contracts.ts';
import { createTestDistrict, type TestDistrict, testIdentityNumber, testIdentityNumbers } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const START = '2026-11-22';
let today = START;
const clock = () => new Date(`${today}T08:00:00Z`);
let stack: TestStack;
let admin: string;

beforeAll(async () => {
  stack = await createTestStack({ now: clock });
  admin = await stack.token('admin');
});

function sign(teamId: string, identityNumber: string, startDate: string) {
  return stack.request('POST', '/contracts', { token: admin, body: { teamId, identityNumber, insured: true, startDate } });
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Sets a team's counter as an import would (the caller then holds it equal to the active contracts). */
async function setCounter(teamId: string, n: number): Promise<void> {
  await stack.db.doc.send(
    new UpdateCommand({
      TableName: stack.db.tableName,
      Key: keys.team(teamId),
      UpdateExpression: 'SET activeContracts = :n',
      ExpressionAttributeValues: { ':n': n },
    }),
  );
}

const dailyStep = () => endContractsPastTheirTerm({ db: stack.db, now: clock });
const counter = async (teamId: string) => (await getTeam(stack.db, teamId, true))!.activeContracts;

/** Read straight from the table: every contract of the teams, by team. */
async function storedContracts(team: { institutionId: string; teamId: string }): Promise<Contract[]> {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND begins_with(gsi3sk, :team)',
      ExpressionAttributeValues: { ':p': keys.contractsOfInstitution(team.institutionId).gsi3pk, ':team': keys.contractsOfTeam(team.teamId).prefix },
    }),
  );
  return (result.Items ?? []) as Contract[];
}

/** The district's end schedule as stored: contract id → end date. */
async function endSchedule(districtId: string): Promise<Map<string, string>> {
  const result = await stack.db.doc.send(
    new QueryCommand({
      TableName: stack.db.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.contractEndsOfDistrict(districtId).pk },
      ConsistentRead: true,
    }),
  );
  return new Map((result.Items ?? []).map((item) => [String(item.contractId), String(item.endDate)]));
}

/** Independently of the code under test: each counter = its active contracts; the schedule names exactly the active ones at their end. */
async function expectExact(district: TestDistrict): Promise<void> {
  const schedule = await endSchedule(district.districtId);
  const active: Contract[] = [];
  for (const team of district.teams) {
    const contracts = await storedContracts(team);
    const here = contracts.filter((c) => c.status === 'active');
    expect(await counter(team.teamId), `team ${team.teamId}`).toBe(here.length);
    active.push(...here);
  }
  expect(new Map(active.map((c) => [c.contractId, c.endDate]))).toEqual(schedule);
  expect((await reconcileContracts(stack.db, district.districtId, today)).counterDrift).toEqual([]);
}

describe('a contract keeps its place until its end date has passed', () => {
  it('signing elsewhere for the day after leaves the old team counted until the daily step ends the old contract', async () => {
    today = START;
    const d = await createTestDistrict(stack.db, 'ce-a', { institutions: 2, teamsPerInstitution: 1 });
    const [teamA, teamB] = [d.teams[0]!.teamId, d.teams[1]!.teamId];
    const identityNumber = testIdentityNumber('1961-01-01', 7001);
    const first = await json<Contract>(await sign(teamA, identityNumber, START));
    const effective = addDays(START, 10);
    expect(
      (
        await stack.request('POST', `/contracts/${first.contractId}/cancel`, {
          token: admin,
          body: { noticeDate: START, reason: '迁出', effectiveDate: effective },
        })
      ).status,
    ).toBe(200);
    const second = await json<Contract>(await sign(teamB, identityNumber, addDays(effective, 1)));
    expect([await counter(teamA), await counter(teamB)]).toEqual([1, 1]);
    await expectExact(d);

    // on its last day it is still active; the day after, reads show it ended before the step ran
    today = effective;
    expect((await dailyStep()).ended).toBe(0);
    expect((await getContract(stack.db, first.contractId))!.status).toBe('active');
    today = addDays(effective, 1);
    const shown = await json<Contract>(await stack.request('GET', `/contracts/${first.contractId}`, { token: admin }));
    expect(shown.status).toBe('ended');
    const listed = await json<{ items: Contract[] }>(await stack.request('GET', `/teams/${teamA}/contracts`, { token: admin }));
    expect(listed.items.find((c) => c.contractId === first.contractId)!.status).toBe('ended');
    // derived, never written by the read
    expect((await getContract(stack.db, first.contractId))!.status).toBe('active');
    expect(await counter(teamA)).toBe(1);

    const report = await dailyStep();
    expect(report.ended).toBeGreaterThanOrEqual(1);
    expect(await getContract(stack.db, first.contractId)).toMatchObject({ status: 'ended', endedAt: clock().toISOString() });
    expect((await getContract(stack.db, second.contractId))!.status).toBe('active');
    expect([await counter(teamA), await counter(teamB)]).toEqual([0, 1]);
    await expectExact(d);
  });

  it('counts a contract that starts later against capacity from its signing', async () => {
    today = START;
    const d = await createTestDistrict(stack.db, 'ce-cap', { institutions: 1, teamsPerInstitution: 1, capacity: 1 });
    const team = d.teams[0]!.teamId;
    const [a, b] = testIdentityNumbers(2, 7100);
    expect((await sign(team, a!, addDays(START, 60))).status).toBe(201);
    const full = await sign(team, b!, START);
    expect(full.status).toBe(409);
    expect((await json(full)).code).toBe('team-full');
    await expectExact(d);
  });
});

describe('the daily step', () => {
  /** `count` contracts of one team that ended on `endDate`, imported as the registry would hold them before the step. */
  async function dueContracts(d: TestDistrict, count: number, endDate: string, offset: number): Promise<Contract[]> {
    const team = d.teams[0]!;
    const contracts: Contract[] = Array.from({ length: count }, (_, i) => ({
      contractId: `${d.districtId}-due-${offset + i}`,
      teamId: team.teamId,
      institutionId: team.institutionId,
      districtId: d.districtId,
      residentRef: stack.keyer(testIdentityNumber('1955-03-03', offset + i)),
      identityMasked: '990108********001X',
      insured: true,
      keyPopulations: [],
      servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
      startDate: addDays(endDate, -364),
      endDate,
      status: 'active',
      renewals: 0,
      signedAt: `${addDays(endDate, -364)}T09:00:00.000Z`,
    }));
    await batchPut(stack.db, contracts.flatMap(contractImportItems));
    return contracts;
  }

  it('fired five times at once ends each contract past its end exactly once', async () => {
    today = START;
    const d = await createTestDistrict(stack.db, 'ce-burst', { institutions: 1, teamsPerInstitution: 1 });
    const due = await dueContracts(d, 12, addDays(START, -1), 7200);
    const notYet = await dueContracts(d, 3, START, 7300);
    await setCounter(d.teams[0]!.teamId, due.length + notYet.length);
    await expectExact(d);

    const reports = await Promise.all(Array.from({ length: 5 }, () => dailyStep()));
    const endedHere = reports.reduce((sum, r) => sum + r.ended, 0);
    expect(endedHere).toBe(due.length);
    for (const c of due) expect((await getContract(stack.db, c.contractId))!.status).toBe('ended');
    for (const c of notYet) expect((await getContract(stack.db, c.contractId))!.status).toBe('active');
    expect(await counter(d.teams[0]!.teamId)).toBe(notYet.length);
    await expectExact(d);
    // and a later firing finds nothing left
    expect((await dailyStep()).ended).toBe(0);
  });

  it('racing renewals and cancellations: each contract is ended, renewed or cancelled, its place counted once', async () => {
    today = START;
    const d = await createTestDistrict(stack.db, 'ce-race', { institutions: 1, teamsPerInstitution: 1 });
    const due = await dueContracts(d, 10, addDays(START, -3), 7400);
    await setCounter(d.teams[0]!.teamId, due.length);
    const actions = due.map((c, i) =>
      i % 2 === 0
        ? stack.request('POST', `/contracts/${c.contractId}/renew`, { token: admin })
        : stack.request('POST', `/contracts/${c.contractId}/cancel`, { token: admin, body: { noticeDate: START, reason: '迁出', effectiveDate: START } }),
    );
    const [responses] = await Promise.all([Promise.all(actions), dailyStep(), dailyStep()]);
    for (const r of responses) expect([200, 409]).toContain(r.status);
    for (const [i, c] of due.entries()) {
      const stored = (await getContract(stack.db, c.contractId))!;
      const ok = responses[i]!.status === 200;
      if (i % 2 === 0) expect(stored.status).toBe(ok ? 'active' : 'ended');
      else expect(stored.status).toBe(ok ? 'cancelled' : 'ended');
      if (ok && i % 2 === 0) expect(stored.endDate).toBe(addDays(c.endDate, 365));
    }
    await expectExact(d);

    // a renewal refused because the step came first succeeds when sent again: the ended contract is revived, its place taken again
    for (const [i, c] of due.entries()) {
      if (i % 2 !== 0 || responses[i]!.status === 200) continue;
      const again = await stack.request('POST', `/contracts/${c.contractId}/renew`, { token: admin });
      expect(again.status).toBe(200);
      expect((await getContract(stack.db, c.contractId))!).toMatchObject({ status: 'active', renewals: 1 });
    }
    await expectExact(d);
    expect(await counter(d.teams[0]!.teamId)).toBe(5);
  });

  it('revives a contract the step ended when it is renewed inside the window after its end, within capacity', async () => {
    today = START;
    const d = await createTestDistrict(stack.db, 'ce-revive', { institutions: 1, teamsPerInstitution: 1, capacity: 1 });
    const team = d.teams[0]!.teamId;
    const [due] = await dueContracts(d, 1, addDays(START, -5), 7500);
    await setCounter(team, 1);
    expect((await dailyStep()).ended).toBeGreaterThanOrEqual(1);
    expect(await counter(team)).toBe(0);
    // someone else takes the only place: the revival is refused, nothing changes
    const other = await json<Contract>(await sign(team, testIdentityNumber('1966-06-06', 7501), START));
    const refused = await stack.request('POST', `/contracts/${due!.contractId}/renew`, { token: admin });
    expect(refused.status).toBe(409);
    expect((await json(refused)).code).toBe('team-full');
    expect((await getContract(stack.db, due!.contractId))!.status).toBe('ended');
    await expectExact(d);
    // the place is given back; the renewal goes through
    await stack.request('POST', `/contracts/${other.contractId}/cancel`, { token: admin, body: { noticeDate: START, reason: 'x', effectiveDate: START } });
    const renewed = await stack.request('POST', `/contracts/${due!.contractId}/renew`, { token: admin });
    expect(renewed.status).toBe(200);
    expect(await json(renewed)).toMatchObject({ status: 'active', endDate: addDays(due!.endDate, 365), renewedEnds: [due!.endDate] });
    await expectExact(d);
    // outside the window (31 days after the end) an ended contract stays ended
    const [late] = await dueContracts(d, 1, addDays(START, -31), 7502);
    await setCounter(team, 2);
    await dailyStep();
    expect((await stack.request('POST', `/contracts/${late!.contractId}/renew`, { token: admin })).status).toBe(422);
  });
});

describe('npm run reconcile', () => {
  it('reports active contracts past their end and contracts missing from the end schedule, and schedules them with --fix', async () => {
    today = START;
    const d = await createTestDistrict(stack.db, 'ce-rec', { institutions: 1, teamsPerInstitution: 1 });
    const team = d.teams[0]!;
    const legacy: Contract = {
      contractId: 'ce-rec-legacy',
      teamId: team.teamId,
      institutionId: team.institutionId,
      districtId: d.districtId,
      residentRef: stack.keyer(testIdentityNumber('1950-01-01', 7600)),
      identityMasked: 'x',
      insured: true,
      keyPopulations: [],
      servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
      startDate: '2025-10-01',
      endDate: '2026-09-30',
      status: 'active',
      renewals: 0,
      signedAt: '2025-10-01T00:00:00.000Z',
    };
    // as written before the end schedule existed: the contract item only
    await batchPut(stack.db, contractImportItems(legacy).slice(0, 1));
    await setCounter(team.teamId, 1);
    const report = await reconcileContracts(stack.db, d.districtId, today);
    expect(report.pastEnd).toEqual([{ contractId: legacy.contractId, teamId: team.teamId, endDate: '2026-09-30' }]);
    expect(report.unscheduled).toEqual([legacy.contractId]);
    expect(report.counterDrift).toEqual([]);
    await reconcileContracts(stack.db, d.districtId, today, true);
    expect((await reconcileContracts(stack.db, d.districtId, today)).unscheduled).toEqual([]);
    await dailyStep();
    expect((await getContract(stack.db, legacy.contractId))!.status).toBe('ended');
    const after = await reconcileContracts(stack.db, d.districtId, today);
    expect(after.pastEnd).toEqual([]);
    expect(after.counterDrift).toEqual([]);
    await expectExact(d);
  });
});
