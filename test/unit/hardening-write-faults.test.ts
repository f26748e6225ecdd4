/**
 * Faults injected into every write path (aws-sdk-client-mock over a small in-memory table,
 * test/support/fuzz-faults.ts): throttling (ProvisionedThroughputExceededException,
 * ThrottlingException), transaction conflicts, timeouts, unprocessed batch items, and a commit
 * whose answer is lost. Each write is retried with backoff where the code promises it
 * (transactions on conflicts and on errors the SDK gave up on; batches on unprocessed items),
 * takes effect once, and, when retries run out, fails as 503 with nothing half-written: no
 * pointer moved, no header without its lines, no version numbered twice.
 *
 * Complements test/unit/dynamodb-error-paths.test.ts (contract signing conflicts, batchPut) and
 * test/unit/metrics/metrics-error-paths.test.ts (upload chunks, version races, idempotency).
 */
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelContract, type Contract, renewContract, signContract } from '#shared/data/contracts.ts';
import { createCriteriaDraft, publishCriteria, saveCriteriaDraft } from '#shared/data/criteria.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS } from '#shared/data/districts.ts';
import { createRun, putScores, putScoreTotals, putStatistics, putTeamValues, type StoredScore } from '#shared/data/evaluations.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import { keys, metricKeys, settlementKeys } from '#shared/data/keys.ts';
import { type NewMetricsUpload, writeMetricsVersion } from '#shared/data/metrics.ts';
import { approveInTransaction, insertSettlement, type Settlement, swapComputation } from '#shared/data/settlements.ts';
import { publishInstrument, recordResponse } from '#shared/data/surveys.ts';
import { createTeam } from '#shared/data/teams.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import type { Deps } from '#shared/deps.ts';
import type { DomainError } from '#shared/domain/errors.ts';
import { toProblem } from '#shared/http/on-error.ts';
import { runRanking } from '#shared/services/evaluation/phases.ts';
import { approveSettlement } from '#shared/services/settlements.ts';
import { createSettlement, recomputeSettlement } from '#shared/services/settlements-computing.ts';
import { allUnprocessed, type FakeTable, fakeTable, faultDb, faults, someUnprocessed } from '../support/fuzz-faults.ts';
import { putFinalPeriodRecord } from '../support/period-lifecycle.ts';

const docMock = mockClient(DynamoDBDocumentClient);
const db = faultDb();
const NOW = new Date('2026-11-22T08:00:00Z');
const deps = { db, now: () => NOW } as unknown as Deps;
let table: FakeTable;

beforeEach(() => {
  docMock.reset();
  table = fakeTable(docMock);
  // no waiting between attempts (the backoff test below sets its own)
  vi.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the write to fail');
  return error as DomainError;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const contract: Contract = {
  contractId: 'contract-1',
  teamId: 'team-1',
  institutionId: 'inst-1',
  districtId: 'd',
  residentRef: 'ref-1',
  identityMasked: '990***********1234',
  insured: true,
  keyPopulations: [],
  servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  status: 'active',
  renewals: 0,
  signedAt: '2026-01-01T00:00:00Z',
};

const settlement = {
  settlementId: 'stl-1',
  districtId: 'd',
  period: '2026Q3',
  evaluationId: 'eval-1',
  status: 'draft',
  computationId: 'calc-old',
  revision: 1,
  correctionOf: null,
  createdBy: 'finance-a',
  computedBy: 'finance-a',
} as unknown as Settlement;

const audit = (revision: number, action: 'create' | 'approve' | 'recompute') => ({
  settlementId: 'stl-1',
  revision,
  action,
  by: 'finance-b',
  at: NOW.toISOString(),
  status: 'draft' as const,
  computationId: 'calc-new',
  fingerprint: 'f',
});

function upload(rows: number): NewMetricsUpload {
  return {
    districtId: 'd',
    institutionId: 'inst-1',
    period: '2026Q3',
    uploadedBy: 'clerk-1',
    uploadedAt: NOW.toISOString(),
    codes: ['referrals-up'],
    format: 'json',
    catalogueVersion: 1,
    rows: Array.from({ length: rows }, (_, n) => ({ teamId: `team-${n}`, values: { 'referrals-up': n } })),
  };
}

/** Every transactional write path, with what must be true afterwards when it never committed. */
const transactional: { name: string; write: () => Promise<unknown>; untouched: () => void }[] = [
  { name: 'contract signing', write: () => signContract(db, contract), untouched: () => expect(table.get('CONTRACT#contract-1', 'CONTRACT')).toBeUndefined() },
  { name: 'contract renewal', write: () => renewContract(db, contract, '2027-12-31'), untouched: () => undefined },
  {
    name: 'contract cancellation',
    write: () => {
      table.put({ ...keys.residentCurrentContract('ref-1'), contractId: 'contract-1', teamId: 'team-1', endDate: '2026-12-31' });
      return cancelContract(db, contract, { noticeDate: '2026-11-01', reason: '搬家', effectiveDate: '2026-11-20' }, '2026-11-22');
    },
    untouched: () => expect(table.get('RESIDENT#ref-1', 'CURRENT_CONTRACT')).toBeDefined(),
  },
  {
    name: 'survey response',
    write: () =>
      recordResponse(db, {
        contractId: 'contract-1',
        districtId: 'd',
        institutionId: 'inst-1',
        teamId: 'team-1',
        period: '2026Q4',
        residentRef: 'ref-1',
        instrumentVersion: 0,
        answers: { overall: 5 },
        increments: { n: 1, 'q.overall.sum': 5 },
        channel: 'app',
        submittedOn: '2026-11-22',
        nowEpochSeconds: 0,
      }),
    untouched: () => expect(table.where('RESIDENT#ref-1')).toEqual([]),
  },
  {
    name: 'survey instrument publication',
    write: () =>
      publishInstrument(db, 'd', [{ code: 'overall', type: 'scale5', required: true, label: { zh: '总体', en: 'Overall' } }], 'evaluator', NOW.toISOString()),
    untouched: () => expect(table.where('DISTRICT#d#SURVEY')).toEqual([]),
  },
  {
    name: 'settlement header',
    write: () => insertSettlement(db, settlement, audit(1, 'create')),
    untouched: () => expect(table.where('SETTLEMENT#')).toEqual([]),
  },
  {
    name: 'settlement approval',
    write: async () => {
      const outcome = await approveInTransaction(
        db,
        settlement,
        { by: 'finance-b', at: NOW.toISOString(), closePeriod: true, paidDays: { expectedVersion: 0, ranges: [] } },
        audit(2, 'approve'),
      );
      if (!outcome.ok) throw new Error('not approved');
    },
    untouched: () => expect(table.get('DISTRICT#d', 'SETTLEMENT#2026Q3#IN_FORCE')).toBeUndefined(),
  },
  {
    name: 'settlement recompute flip',
    write: async () => {
      if (!(await swapComputation(db, settlement, { computationId: 'calc-new' } as never, audit(2, 'recompute')))) throw new Error('not swapped');
    },
    untouched: () => expect(table.where('SETTLEMENT#stl-1')).toEqual([]),
  },
  {
    name: 'metrics version flip',
    write: () => writeMetricsVersion(db, upload(3)),
    untouched: () => expect(table.where('DISTRICT#d#METRICS#')).toEqual([]),
  },
];

const transient = [
  ['a transaction conflict', () => faults.conflict()],
  ['ProvisionedThroughputExceededException', faults.provisioned],
  ['ThrottlingException', faults.throttling],
  ['a TimeoutError', faults.timeout],
] as const;

describe.each(transient)('%s', (_label, fault) => {
  it.each(transactional)('$name: is retried and takes effect once', async ({ write }) => {
    table.inject('transact', fault(), fault());
    await write();
    const calls = docMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems);
    expect(calls).toHaveLength(3);
    expect(calls[1]).toEqual(calls[0]);
    expect(calls[2]).toEqual(calls[0]);
    expect(table.committed).toHaveLength(1);
  });

  it.each(transactional)('$name: answers 503 when retries run out, with nothing committed', async ({ write, untouched }) => {
    table.always('transact', fault());
    const error = await failure(write());
    const problem = toProblem(error);
    expect(problem.status).toBe(503);
    expect(JSON.stringify(problem.toBody())).not.toMatch(/Throttl|Provisioned|socket|Transaction/);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(5);
    expect(table.committed).toHaveLength(0);
    expect(docMock.commandCalls(UpdateCommand)).toHaveLength(0);
    untouched();
  });
});

describe('backoff', () => {
  it('waits longer between each attempt of a transaction (jittered exponential, capped)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const delays: number[] = [];
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      queueMicrotask(fn);
      return 0;
    }) as unknown as typeof setTimeout);
    table.always('transact', faults.conflict());
    await failure(signContract(db, contract));
    expect(delays).toEqual([50, 100, 200, 400]);

    delays.length = 0;
    table.always('batch', allUnprocessed);
    await failure(putTeamValues(db, 'eval-1', 0, [{ teamId: 't', institutionId: 'i', inputDigest: 'x', current: {} as never, baseline: null }]));
    expect(delays).toEqual([80, 160, 320, 640, 1280, 2000, 2000]);
  });
});

// ---------------------------------------------------------------------------------------------
// Batch writes of the evaluation

describe('evaluation batch writes', () => {
  const values = Array.from({ length: 60 }, (_, i) => ({
    teamId: `team-${String(i).padStart(2, '0')}`,
    institutionId: 'inst-1',
    inputDigest: 'x',
    current: {} as never,
    baseline: null,
  }));
  const scores: StoredScore[] = values.map((v, i) => ({
    evaluationId: 'eval-1',
    teamId: v.teamId,
    institutionId: 'inst-1',
    score: {
      teamId: v.teamId,
      status: 'scored',
      total: String(50 + (i % 40)),
      indicators: [],
      domains: [],
      gates: [],
      eligibility: 'eligible',
      capPercent: 100,
    } as never,
    rank: null,
    percentile: null,
  }));

  it.each([
    ['scorecards', () => putScores(db, scores), 'EVALUATION#eval-1#SCORES'],
    [
      'statistics',
      () => putStatistics(db, 'eval-1', { indicators: Object.fromEntries(values.map((v) => [v.teamId, { n: 1 } as never])) }),
      'EVALUATION#eval-1',
    ],
  ] as const)('%s: resends unprocessed items until every one is stored once', async (_label, write, partition) => {
    table.inject('batch', someUnprocessed(10), someUnprocessed(3), null, someUnprocessed(1));
    await write();
    expect(table.where(partition).filter((item) => item.pk === partition)).toHaveLength(60);
    // three chunks of 25, plus the three resends
    expect(docMock.commandCalls(BatchWriteCommand)).toHaveLength(6);
  });

  it.each([
    ['unprocessed items', allUnprocessed],
    ['throttling', faults.provisioned()],
    ['a timeout', faults.timeout()],
  ] as const)('ranking answers 503 on %s and never marks the run completed', async (_label, fault) => {
    await createRun(db, {
      evaluationId: 'eval-1',
      districtId: 'd',
      period: '2026Q3',
      baselinePeriod: null,
      criteriaVersion: 1,
      status: 'running',
      phase: 'ranking',
      progress: { done: 60, total: 60 },
      startedBy: 'e',
      createdAt: NOW.toISOString(),
    });
    await putScores(db, scores);
    await putScoreTotals(
      db,
      'eval-1',
      0,
      scores.map((s) => s.score),
    );
    docMock.resetHistory();
    table.always('batch', fault);
    const error = await failure(runRanking(db, 'eval-1', NOW.toISOString()));
    expect(toProblem(error).status).toBe(503);
    // the run is completed only after every team's rank is stored
    expect(docMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Criteria: single conditional updates (the SDK retries throttling; nothing to half-write)

const CRITERIA: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'hv',
      label: { zh: '上门', en: 'Visits' },
      weight: 100,
      source: { metric: 'home-visits-80plus' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
  ],
} as CriteriaSet;

describe('criteria save and publish', () => {
  const draft = {
    districtId: 'd',
    name: 'v',
    periodType: 'quarter' as const,
    document: CRITERIA,
    createdBy: 'e',
    createdAt: '',
    updatedBy: 'e',
    updatedAt: '',
  };

  it.each([
    ['save', () => saveCriteriaDraft(db, 'd', 1, { expectedRevision: 1, name: 'v', document: CRITERIA, updatedBy: 'e', updatedAt: '' })],
    ['create', () => createCriteriaDraft(db, draft)],
  ] as const)('%s: throttling and timeouts that outlast the SDK answer 503, sent once, without internals', async (_label, write) => {
    for (const fault of [faults.provisioned(), faults.throttling(), faults.timeout()]) {
      docMock.resetHistory();
      table.inject('update', fault);
      const problem = toProblem(await failure(write()));
      expect(problem.status).toBe(503);
      expect(problem.toBody().detail).toBe('The database is busy; retry shortly');
      expect(docMock.commandCalls(UpdateCommand)).toHaveLength(1);
    }
  });

  // Publishing became a transaction with its general audit log entry (issue 15): retried like every transaction, then 503.
  it('publish: throttling and timeouts that outlast the retries answer 503 without internals, and no audit entry is left', async () => {
    for (const fault of [faults.provisioned(), faults.throttling(), faults.timeout()]) {
      table.always('transact', fault);
      const problem = toProblem(await failure(publishCriteria(db, 'd', 1, 'e', '2026-11-22T08:00:00.000Z')));
      expect(problem.status).toBe(503);
      expect(problem.toBody().detail).toBe('The database is busy; retry shortly');
      expect(table.where('DISTRICT#d#AUDIT#')).toEqual([]);
    }
  });

  it('create: a draft whose put is throttled after the counter moved is not stored (503; the number is skipped, never reused)', async () => {
    table.inject('put', faults.provisioned());
    const problem = toProblem(await failure(createCriteriaDraft(db, draft)));
    expect(problem.status).toBe(503);
    expect(table.where('DISTRICT#d#CRITERIA').filter((item) => String(item.sk).startsWith('VERSION#'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Batch-then-pointer designs: settlement lines then header; metric chunks then pointer

async function seedDistrict(): Promise<void> {
  await createDistrict(db, { districtId: 'd', name: 'd', province: 'p', settings: DEFAULT_DISTRICT_SETTINGS, createdAt: '' });
  await createInstitution(db, {
    institutionId: 'inst-1',
    districtId: 'd',
    name: 'i',
    ownership: 'government',
    level: 'clinic',
    servicePackages: [],
    createdAt: '',
  });
  for (const t of ['team-1', 'team-2']) {
    await createTeam(db, {
      teamId: t,
      institutionId: 'inst-1',
      districtId: 'd',
      name: t,
      members: [
        { memberId: `${t}-gp`, name: 'gp', role: 'general-practitioner', joinedOn: '2025-01-01' },
        { memberId: `${t}-nurse`, name: 'nurse', role: 'community-nurse', joinedOn: '2025-01-01' },
      ],
      capacity: 100,
      activeContracts: 0,
      createdAt: '',
    });
  }
  await createRun(db, {
    evaluationId: 'eval-1',
    districtId: 'd',
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: 2, total: 2 },
    startedBy: 'e',
    createdAt: NOW.toISOString(),
    fingerprint: '0'.repeat(64),
  });
  await putFinalPeriodRecord(db, 'd', '2026Q3', 'eval-1');
  await putScores(
    db,
    ['team-1', 'team-2'].map((teamId, i) => ({
      evaluationId: 'eval-1',
      teamId,
      institutionId: 'inst-1',
      score: {
        teamId,
        status: 'scored',
        total: i ? '70.00' : '90.00',
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
  docMock.resetHistory();
  // team creation is a transaction too (the district cap check); only the writes under test count
  table.committed.length = 0;
}

const REQUEST = { evaluationId: 'eval-1', poolFen: 100_000, method: { kind: 'value-per-point' as const, fenPerPoint: 100 } };
const lineItems = () => table.where('SETTLEMENT_LINES#');
const headers = () => table.where('SETTLEMENT#').filter((item) => item.sk === 'SETTLEMENT');

describe('settlement creation: lines, then the header', () => {
  it('stores it once when the lines and the header transaction meet transient faults', async () => {
    await seedDistrict();
    table.inject('batch', someUnprocessed(2), someUnprocessed(1));
    table.inject('transact', faults.conflict(2), faults.provisioned());
    const created = await createSettlement(deps, { districtId: 'd', by: 'finance-a', request: REQUEST });
    expect(headers()).toHaveLength(1);
    expect(table.committed).toHaveLength(1);
    expect(lineItems().every((line) => line.pk === settlementKeys.linesOf(created.computationId).pk)).toBe(true);
    expect(lineItems()).toHaveLength(created.lineCounts.team + created.lineCounts.member + created.lineCounts.institution);
  });

  it('answers 503 when the lines cannot all be written: no header, and the written lines are removed', async () => {
    await seedDistrict();
    table.inject(
      'batch',
      someUnprocessed(1),
      someUnprocessed(1),
      someUnprocessed(1),
      someUnprocessed(1),
      someUnprocessed(1),
      someUnprocessed(1),
      someUnprocessed(1),
      someUnprocessed(1),
    );
    const error = await failure(createSettlement(deps, { districtId: 'd', by: 'finance-a', request: REQUEST }));
    expect(toProblem(error).status).toBe(503);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(headers()).toEqual([]);
    expect(lineItems()).toEqual([]);
  });

  it.each(transient)('answers 503 when the header transaction keeps failing (%s): no header, lines removed', async (_label, fault) => {
    await seedDistrict();
    table.always('transact', fault());
    const error = await failure(createSettlement(deps, { districtId: 'd', by: 'finance-a', request: REQUEST }));
    expect(toProblem(error).status).toBe(503);
    expect(headers()).toEqual([]);
    expect(lineItems()).toEqual([]);
  });

  it('keeps the lines of a header whose commit timed out and was found by the retry (never a header without lines)', async () => {
    await seedDistrict();
    table.inject('transact', { committedThen: faults.timeout() });
    const created = await createSettlement(deps, { districtId: 'd', by: 'finance-a', request: REQUEST });
    expect(headers()).toHaveLength(1);
    expect(headers()[0]?.computationId).toBe(created.computationId);
    expect(lineItems().length).toBe(created.lineCounts.team + created.lineCounts.member + created.lineCounts.institution);
  });
});

describe('settlement recompute and approval', () => {
  async function draft(): Promise<Settlement> {
    await seedDistrict();
    const created = await createSettlement(deps, { districtId: 'd', by: 'finance-a', request: REQUEST });
    docMock.resetHistory();
    table.committed.length = 0;
    return created;
  }

  it.each(transient)('recompute (%s until retries run out): 503, the header still names the old lines, which stay', async (_label, fault) => {
    const created = await draft();
    const before = lineItems().length;
    table.always('transact', fault());
    const error = await failure(recomputeSettlement(deps, { settlement: created, by: 'finance-b', request: { poolFen: 50_000 } }));
    expect(toProblem(error).status).toBe(503);
    expect(headers()[0]?.computationId).toBe(created.computationId);
    expect(lineItems()).toHaveLength(before);
    expect(lineItems().every((line) => line.computationId === created.computationId)).toBe(true);
  });

  it.each(transient)('approval (%s until retries run out): 503 and the period has no settlement in force', async (_label, fault) => {
    const created = await draft();
    table.always('transact', fault());
    const error = await failure(approveSettlement(deps, { settlement: created, by: 'finance-b', comment: 'checked' }));
    expect(toProblem(error).status).toBe(503);
    expect(table.get('DISTRICT#d', 'SETTLEMENT#2026Q3#IN_FORCE')).toBeUndefined();
    expect(table.committed).toHaveLength(0);
  });

  it('approval after transient conflicts approves once', async () => {
    const created = await draft();
    table.inject('transact', faults.conflict(4), faults.conflict(4));
    const approved = await approveSettlement(deps, { settlement: created, by: 'finance-b', comment: 'checked' });
    expect(approved.status).toBe('approved');
    expect(table.committed).toHaveLength(1);
    expect(table.where('DISTRICT#d').filter((item) => String(item.sk).endsWith('IN_FORCE'))).toHaveLength(1);
  });
});

describe('metrics upload: chunks, then the pointer', () => {
  it('never numbers one upload twice when the pointer commit timed out and the retry found it', async () => {
    table.inject('transact', { committedThen: faults.timeout() });
    const version = await writeMetricsVersion(db, upload(3));
    expect(version.version).toBe(1);
    expect(table.where('INSTITUTION#inst-1#METRICS#2026Q3')).toHaveLength(1);
    expect(table.get(metricKeys.pointer('d', '2026Q3', 'inst-1').pk, metricKeys.pointer('d', '2026Q3', 'inst-1').sk)?.uploadId).toBe(version.uploadId);
  });

  it.each(transient)('answers 503 when the flip keeps failing (%s): no pointer, no version header', async (_label, fault) => {
    table.always('transact', fault());
    const error = await failure(writeMetricsVersion(db, upload(3)));
    expect(toProblem(error).status).toBe(503);
    expect(table.where('DISTRICT#d#METRICS#')).toEqual([]);
    expect(table.where('INSTITUTION#inst-1#METRICS#')).toEqual([]);
  });

  it('answers 503 when the chunks meet throttling, without ever trying to make the upload current', async () => {
    table.always('batch', faults.throttling());
    const error = await failure(writeMetricsVersion(db, upload(3)));
    expect(toProblem(error).status).toBe(503);
    expect(docMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
