/**
 * Faults seen by the HTTP caller: the function apps built on a DynamoDBDocumentClient whose send
 * is mocked (test/support/fuzz-faults.ts). When DynamoDB keeps conflicting, throttling or timing
 * out, the caller gets a clear 503 problem+json (no internals) and nothing is half-written; a
 * forged list cursor is refused before it reaches DynamoDB.
 */
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createContractsApp } from '../../functions/contracts/app.ts';
import { createFinanceApp } from '../../functions/finance/app.tsx';
import { inProcessSettlementRunner } from '#shared/services/settlements-job-local.ts';
import { settlementJobView } from '#shared/services/settlements-jobs.ts';
import type { SettlementJob } from '#shared/data/settlement-jobs.ts';
import { createInstitutionDataApp } from '../../functions/institution-data/app.ts';
import { createRegistryApp } from '../../functions/registry/app.ts';
import { createSurveysApp } from '../../functions/surveys/app.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS } from '#shared/data/districts.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import { ensureCatalogue } from '#shared/data/metric-catalogue.ts';
import { createTeam } from '#shared/data/teams.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import type { Deps } from '#shared/deps.ts';
import type { Principal } from '#shared/http/principal.ts';
import { residentKeyer } from '#shared/security/resident-key.ts';
import { allUnprocessed, type FakeTable, fakeTable, faultDb, faults } from '../support/fuzz-faults.ts';
import { putFinalPeriodRecord } from '../support/period-lifecycle.ts';
import { testIdentityNumber } from '../support/fixtures.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const db = faultDb();
const NOW = new Date('2026-11-22T08:00:00Z');
const principals: Record<string, Principal> = {
  clerk: { subject: 'clerk-1', role: 'clerk', districtId: 'dd', institutionId: 'inst-1' },
  finance: { subject: 'finance-a', role: 'finance', districtId: 'dd' },
  admin: { subject: 'admin-1', role: 'admin' },
};
const keyer = residentKeyer(Buffer.alloc(32, 3));
const deps: Deps = {
  db,
  verifyToken: async (token) => principals[token] ?? null,
  residentKeyer: async () => keyer,
  now: () => NOW,
  launchEvaluation: async () => undefined,
  demoIdentityNumbers: true,
};
let table: FakeTable;

beforeEach(async () => {
  docMock.reset();
  table = fakeTable(docMock);
  vi.spyOn(Math, 'random').mockReturnValue(0);
  await createDistrict(db, { districtId: 'dd', name: 'dd', province: 'p', settings: DEFAULT_DISTRICT_SETTINGS, createdAt: '' });
  await createInstitution(db, {
    institutionId: 'inst-1',
    districtId: 'dd',
    name: 'i',
    ownership: 'government',
    level: 'clinic',
    servicePackages: [{ code: 'basic', name: 'basic', kind: 'basic', feeFen: 0 }],
    createdAt: '',
  });
  await createTeam(db, {
    teamId: 'team-1',
    institutionId: 'inst-1',
    districtId: 'dd',
    name: 't',
    members: [
      { memberId: 'gp', name: 'gp', role: 'general-practitioner', joinedOn: '2025-01-01' },
      { memberId: 'nurse', name: 'nurse', role: 'community-nurse', joinedOn: '2025-01-01' },
    ],
    capacity: 100,
    activeContracts: 0,
    createdAt: '',
  });
  docMock.resetHistory();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const text = await response.text();
  expect(JSON.parse(text)).toMatchObject({
    type: 'https://gatekeeper.example/problems/unavailable',
    title: 'Service unavailable',
    status: 503,
    detail: 'The database is busy; retry shortly',
  });
  expect(text).not.toMatch(/Throttl|Provisioned|socket|Transaction|stack/);
}

// the expected texts are English: ask for them (problems are in Chinese by default)
const json = (token: string, body: unknown) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'en' },
  body: JSON.stringify(body),
});

describe('through the HTTP apps', () => {
  it.each([
    ['transaction conflicts', () => faults.conflict()],
    ['throttling', faults.provisioned],
    ['timeouts', faults.timeout],
  ] as const)('POST /contracts answers 503 when %s outlast the retries, and signs nothing', async (_label, fault) => {
    table.always('transact', fault());
    const response = await createContractsApp(deps).request(
      '/contracts',
      json('clerk', { teamId: 'team-1', identityNumber: testIdentityNumber('1970-01-01', 5), insured: true, startDate: '2026-11-20' }),
    );
    await expectUnavailable(response);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(5);
    expect(table.where('CONTRACT#')).toEqual([]);
    expect(table.where('RESIDENT#')).toEqual([]);
  });

  it('POST /contracts still refuses a resident contracted elsewhere (409) when the read that would name the contract fails', async () => {
    const identityNumber = testIdentityNumber('1970-01-01', 6);
    const ref = keyer(identityNumber);
    table.put({
      pk: `RESIDENT#${ref}`,
      sk: 'CURRENT_CONTRACT',
      entity: 'current-contract',
      contractId: 'contract-x',
      teamId: 'team-1',
      institutionId: 'inst-1',
      districtId: 'dd',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    });
    const sign = () =>
      createContractsApp(deps).request('/contracts', json('clerk', { teamId: 'team-1', identityNumber, insured: true, startDate: '2026-11-20' }));
    const named = await sign();
    expect(named.status).toBe(409);
    expect(await named.json()).toMatchObject({ code: 'resident-has-active-contract-until', currentContractId: 'contract-x' });
    // team, district, institution, the signing's own read go through; the explanation's read is throttled
    table.inject('get', null, null, null, null, faults.throttling());
    const plain = await sign();
    expect(plain.status).toBe(409);
    const body = (await plain.json()) as Record<string, unknown>;
    expect(body.code).toBe('resident-has-active-contract-until');
    expect(body).not.toHaveProperty('currentContractId');
    expect(table.where('CONTRACT#')).toEqual([]);
  });

  it('GET survey invitations answers 503 when the listing keeps being throttled', async () => {
    table.always('query', faults.throttling());
    const response = await createSurveysApp(deps).request('/districts/dd/survey-invitations?period=2026Q4', {
      headers: { authorization: 'Bearer admin', 'accept-language': 'en' },
    });
    await expectUnavailable(response);
  });

  // the running quarter: 2026Q3 is past its data deadline on 22 November (issue 14)
  it('PUT metrics answers 503 when rows stay unprocessed; the upload never becomes current and the key is released', async () => {
    await ensureCatalogue(db, 'dd', NOW.toISOString());
    table.always('batch', allUnprocessed);
    const response = await createInstitutionDataApp(deps).request('/institutions/inst-1/metrics/2026Q4', {
      method: 'PUT',
      headers: { authorization: 'Bearer clerk', 'content-type': 'application/json', 'idempotency-key': 'retry-me', 'accept-language': 'en' },
      body: JSON.stringify({ rows: [{ teamId: 'team-1', values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, 3])) }] }),
    });
    await expectUnavailable(response);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(table.where('DISTRICT#dd#METRICS#')).toEqual([]);
    expect(table.where('IDEMPOTENCY#')).toEqual([]);
  }, 20_000);

  it('POST settlements answers 503 when the header transaction keeps being throttled: no header, no lines', async () => {
    await createRun(db, {
      evaluationId: 'eval-1',
      districtId: 'dd',
      period: '2026Q3',
      baselinePeriod: null,
      criteriaVersion: 1,
      status: 'completed',
      phase: 'done',
      progress: { done: 1, total: 1 },
      startedBy: 'e',
      createdAt: '',
    });
    await putFinalPeriodRecord(db, 'dd', '2026Q3', 'eval-1');
    await putScores(db, [
      {
        evaluationId: 'eval-1',
        teamId: 'team-1',
        institutionId: 'inst-1',
        score: {
          teamId: 'team-1',
          status: 'scored',
          total: '80.00',
          indicators: [],
          domains: [],
          gates: [],
          eligibility: 'eligible',
          capPercent: 100,
        } as never,
        rank: 1,
        percentile: null,
      },
    ]);
    table.always('transact', faults.throttling());
    // the job on this thread, where the mocked client is (a worker thread would build a client of its own)
    const app = createFinanceApp(deps, { settlementJobs: inProcessSettlementRunner(deps) });
    // a settlement job (issue 19): accepted, then failed with the 503 the request used to answer
    const accepted = await app.request(
      '/districts/dd/settlements',
      json('finance', { evaluationId: 'eval-1', poolFen: 10_000, method: { kind: 'value-per-point', fenPerPoint: 10 } }),
    );
    expect(accepted.status).toBe(202);
    const { jobId } = (await accepted.json()) as { jobId: string };
    // the fake table keeps no updates: the job's outcome is the update that marks it failed
    const failedUpdate = () =>
      docMock.commandCalls(UpdateCommand).find((call) => call.args[0].input.ExpressionAttributeValues?.[':failed'] === 'failed')?.args[0].input;
    for (let i = 0; i < 400 && !failedUpdate(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const failed = failedUpdate()!;
    expect(failed.Key).toEqual({ pk: `SETTLEMENT_JOB#${jobId}`, sk: 'SETTLEMENT_JOB' });
    expect(failed.ExpressionAttributeValues![':problem']).toMatchObject({ kind: 'unavailable', message: 'The database is busy; retry shortly' });
    // what a poll shows of that problem
    const stored = table.get(`SETTLEMENT_JOB#${jobId}`, 'SETTLEMENT_JOB') as unknown as SettlementJob;
    const view = settlementJobView({ ...stored, status: 'failed', problem: failed.ExpressionAttributeValues![':problem'] }, NOW);
    expect(view.problem).toMatchObject({ status: 503, detail: 'The database is busy; retry shortly' });
    expect(JSON.stringify(view)).not.toMatch(/Throttl|Provisioned|socket|Transaction|stack/);
    expect(table.where('SETTLEMENT#')).toEqual([]);
    expect(table.where('SETTLEMENT_LINES#')).toEqual([]);
  });
});

describe('GET /health', () => {
  it('reads one fixed key (a data-plane GetItem) and sends nothing else', async () => {
    docMock.resetHistory();
    const response = await createRegistryApp(deps).request('/health');
    expect(response.status).toBe(200);
    expect(docMock.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetCommand']);
    expect(docMock.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'HEALTH', sk: 'PROBE' });
  });

  it.each([
    ['throttling', faults.provisioned],
    ['timeouts', faults.timeout],
  ] as const)('answers 503 unavailable when the read fails with %s', async (_label, fault) => {
    table.always('get', fault());
    const response = await createRegistryApp(deps).request('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable' });
  });
});

describe('forged list cursors', () => {
  const cursor = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    [
      'of another partition',
      '/districts/dd/institutions',
      { pk: 'INSTITUTION#x', sk: 'INSTITUTION', gsi1pk: 'DISTRICT#other#INSTITUTIONS', gsi1sk: 'INSTITUTION#x' },
    ],
    ['outside the sort key prefix', '/institutions/inst-1/metrics/2026Q3/versions', { pk: 'INSTITUTION#inst-1#METRICS#2026Q3', sk: 'ZZZ' }],
    ['of metric rows beyond the last chunk key', '/institutions/inst-1/metrics/2026Q3', { s: 'ROWS#😀', o: 0 }],
  ])('are refused with 400 before DynamoDB sees them (a cursor %s)', async (_label, path, value) => {
    const app = path.includes('/metrics/') ? createInstitutionDataApp(deps) : createRegistryApp(deps);
    if (path.endsWith('/2026Q3'))
      table.put({
        pk: 'DISTRICT#dd#METRICS#2026Q3',
        sk: 'CURRENT#INSTITUTION#inst-1',
        uploadId: 'u',
        version: 1,
        districtId: 'dd',
        institutionId: 'inst-1',
        period: '2026Q3',
      });
    const response = await app.request(`${path}?cursor=${cursor(value)}`, { headers: { authorization: 'Bearer admin' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'bad-cursor', errors: [{ field: 'query.cursor' }] });
    expect(docMock.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
