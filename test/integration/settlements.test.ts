/**
 * Settlements against DynamoDB Local: exact sums, determinism, atomic recompute, the four-eyes
 * approval that closes the period, immutability once approved, corrections with per-team
 * differences, one approval out of ten concurrent ones, and cookie sign-in with its CSRF guard.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeyPopulation } from '#shared/domain/contracts.ts';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { batchPut } from '#shared/data/batch.ts';
import { type Contract, contractImportItems } from '#shared/data/contracts.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import { settlementKeys } from '#shared/data/keys.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { createTeam, type Team } from '#shared/data/teams.ts';
import type { InstitutionLine, MemberLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { createTestDistrict } from '../support/fixtures.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
const D = 'fin-d';
const POOL = 3_000_000; // 30,000.00 yuan
let stack: TestStack;
let teams: Team[];
const officer = (name: string, districtId = D) => stack.token('finance', { districtId, sub: name });

function score(teamId: string, total: string | null, eligibility: TeamScore['eligibility'] = 'eligible', capPercent = 100): TeamScore {
  return {
    teamId,
    status: total === null ? 'insufficient' : 'scored',
    total,
    indicators: [],
    domains: [],
    gates:
      eligibility === 'eligible'
        ? []
        : [
            {
              kind: 'floor',
              label: { en: 'Follow-up rate', zh: '随访率' },
              status: 'triggered',
              effect: eligibility === 'void' ? 'void' : { capPercent },
              value: '40',
              explanation: { en: 'Follow-up rate 40 % below floor 60 %', zh: '随访率 40%，低于底线 60%' },
            },
          ],
    eligibility,
    capPercent: eligibility === 'void' ? 0 : capPercent,
  } as TeamScore;
}

async function completedRun(evaluationId: string, period: string, totals: (string | null)[]): Promise<void> {
  await createRun(stack.db, {
    evaluationId,
    districtId: D,
    period,
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: teams.length, total: teams.length },
    startedBy: 'evaluator-1',
    createdAt: '2026-10-05T00:00:00.000Z',
    completedAt: '2026-10-05T00:10:00.000Z',
    fingerprint: `${evaluationId}-fingerprint`.padEnd(64, '0'),
  });
  await finalizePeriod(stack.db, D, period, evaluationId);
  await putScores(
    stack.db,
    teams.slice(0, totals.length).map((team, i) => ({
      evaluationId,
      teamId: team.teamId,
      institutionId: team.institutionId,
      // team 1 is voided by a gate, team 2 capped at 50 %
      score: score(team.teamId, totals[i]!, i === 1 ? 'void' : i === 2 ? 'capped' : 'eligible', i === 2 ? 50 : 100),
      rank: i + 1,
      percentile: null,
    })),
  );
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  const district = await createTestDistrict(stack.db, D, { institutions: 3, teamsPerInstitution: 3 });
  await createTestDistrict(stack.db, 'other-d');
  await createInstitution(stack.db, {
    institutionId: 'fin-social',
    districtId: D,
    name: '康安社区卫生服务中心',
    ownership: 'social',
    level: 'community-health-centre',
    servicePackages: [
      { code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 },
      { code: 'chronic', name: '慢病管理包', kind: 'personalised', feeFen: 30_000 },
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const social = await createTeam(stack.db, {
    teamId: 'fin-social-team-1',
    institutionId: 'fin-social',
    districtId: D,
    name: '康安团队 1',
    members: [
      { memberId: 'soc-gp', name: '赵医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
      { memberId: 'soc-nurse', name: '钱护士', role: 'community-nurse', joinedOn: '2025-01-01', leftOn: '2026-08-15' },
      { memberId: 'soc-nurse-2', name: '孙护士', role: 'community-nurse', joinedOn: '2026-08-16' },
      { memberId: 'soc-pharm', name: '周药师', role: 'pharmacist', joinedOn: '2026-09-01' },
    ],
    capacity: 2000,
    activeContracts: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  teams = [...district.teams, social];

  const tags: KeyPopulation[][] = [[], ['hypertension'], [], ['elderly-65', 'diabetes'], []];
  const contracts: Contract[] = [];
  teams.forEach((team, t) => {
    for (let i = 0; i < 4 + t; i++) {
      const start = i % 3 === 0 ? '2026-08-10' : '2026-01-15';
      contracts.push({
        contractId: `c-${t}-${i}`,
        teamId: team.teamId,
        institutionId: team.institutionId,
        districtId: D,
        residentRef: `ref-${t}-${i}`,
        identityMasked: '990108********001X',
        insured: i % 5 !== 4,
        keyPopulations: tags[i % tags.length]!,
        servicePackage: { kind: 'basic', code: 'basic', priceFen: 0 },
        startDate: start,
        endDate: i === 2 ? '2026-09-10' : '2027-01-14',
        status: i === 2 ? 'cancelled' : 'active',
        renewals: 0,
        signedAt: `${start}T00:00:00.000Z`,
      });
    }
  });
  await batchPut(stack.db, contracts.flatMap(contractImportItems));
  // ten teams: 9 government in 3 institutions + 1 social; team 6 insufficient, team 7 not in the run at all
  await completedRun('eval-q3', '2026Q3', ['91.50', '88.00', '75.25', '62.00', '80.00', '95.00', null]);
  await completedRun('eval-q2', '2026Q2', ['70.00', '71.00', '72.00']);
});

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(status);
  return JSON.parse(text) as T;
}

interface SettlementView {
  settlementId: string;
  status: string;
  fingerprint: string;
  computationId: string;
  revision: number;
  createdBy: string;
  approvedBy?: string;
  lineCounts: { team: number; member: number; institution: number };
  totals: {
    poolFen: number;
    paidFen: number;
    unallocatedFen: number;
    membersFen: number;
    memberUnallocatedFen: number;
    subsidyFen: number;
    paidDifference?: number;
    previous?: { settlementId: string };
  };
}

const METHOD = { kind: 'score-weighted', sizeMeasure: 'active-contracts', scoreFloor: '60', teamCapFen: 1_000_000 };

async function create(token: string, body: Record<string, unknown> = {}): Promise<SettlementView> {
  return json<SettlementView>(
    await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token, body: { evaluationId: 'eval-q3', poolFen: POOL, method: METHOD, ...body } }),
    201,
  );
}

async function lines<T>(id: string, kind: 'team' | 'member' | 'institution', token: string, limit = 7): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `kind=${kind}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await json(await stack.request('GET', `/settlements/${id}/lines?${query}`, { token }), 200);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('creating a settlement', () => {
  it('stores lines that add up exactly to the pool and the subsidy totals', async () => {
    const a = await officer('finance-a');
    const s = await create(a);
    expect(s.status).toBe('draft');
    expect(s.createdBy).toBe('finance-a');
    const teamLines = await lines<TeamLine>(s.settlementId, 'team', a);
    const memberLines = await lines<MemberLine>(s.settlementId, 'member', a);
    const institutionLines = await lines<InstitutionLine>(s.settlementId, 'institution', a);
    expect(teamLines).toHaveLength(teams.length);
    expect(s.lineCounts).toEqual({ team: teamLines.length, member: memberLines.length, institution: institutionLines.length });

    expect(sum(teamLines.map((l) => l.amount))).toBe(s.totals.paidFen);
    expect(s.totals.paidFen + s.totals.unallocatedFen).toBe(POOL);
    expect(s.totals.paidFen).toBe(POOL); // score-weighted: the whole pool goes out unless every team is capped
    expect(sum(memberLines.map((l) => l.amount)) + s.totals.memberUnallocatedFen).toBe(s.totals.paidFen);
    for (const team of teamLines) {
      expect(sum(memberLines.filter((m) => m.teamId === team.teamId).map((m) => m.amount)) + team.memberUnallocatedFen).toBe(team.amount);
    }
    expect(sum(institutionLines.map((l) => l.subsidyFen))).toBe(s.totals.subsidyFen);
    expect(sum(teamLines.map((l) => l.subsidyFen))).toBe(s.totals.subsidyFen);
    expect(sum(institutionLines.map((l) => l.incentiveFen))).toBe(s.totals.paidFen);
    expect(s.totals.subsidyFen).toBeGreaterThan(0);

    // team lines in institution, then team order; gates and unscored teams explained
    expect(teamLines.map((l) => `${l.institutionId}/${l.teamId}`)).toEqual([...teamLines.map((l) => `${l.institutionId}/${l.teamId}`)].sort());
    const voided = teamLines.find((l) => l.teamId === teams[1]!.teamId)!;
    expect(voided.amount).toBe(0);
    expect(voided.gates[0]?.explanation.zh).toContain('随访率');
    const capped = teamLines.find((l) => l.teamId === teams[2]!.teamId)!;
    expect(capped.explanation?.gate.effect).toBe('capped');
    expect(teamLines.find((l) => l.teamId === teams[6]!.teamId)!.text.en).toContain('not scored');
    expect(teamLines.find((l) => l.teamId === teams[7]!.teamId)!.text.zh).toContain('未纳入评价');

    // the social-run institution's fee statement: fee − subsidy; government-run: nothing
    const social = institutionLines.find((l) => l.institutionId === 'fin-social')!;
    expect(social.feeStatement?.find((f) => f.packageCode === 'chronic')?.maxCollectFromSubsidisedResidentFen).toBe(30_000 - 12_000);
    const government = institutionLines.find((l) => l.ownership === 'government')!;
    expect(government.feeStatement?.every((f) => f.maxCollectFromSubsidisedResidentFen === 0)).toBe(true);
    // a nurse who left mid-period and one who joined are pro-rated by days
    const nurses = memberLines.filter((m) => m.teamId === 'fin-social-team-1' && m.memberId.startsWith('soc-nurse'));
    expect(nurses.map((n) => n.daysPresent).sort()).toEqual([46, 46]);
  });

  it('refuses an evaluation that is not completed or not the district’s (422), and a foreign district (403)', async () => {
    const a = await officer('finance-a');
    await createRun(stack.db, {
      evaluationId: 'eval-running',
      districtId: D,
      period: '2026Q4',
      baselinePeriod: null,
      criteriaVersion: 1,
      status: 'running',
      phase: 'scores',
      progress: { done: 0, total: 1 },
      startedBy: 'e',
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const running = await json<{ code: string }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token: a, body: { evaluationId: 'eval-running', poolFen: POOL, method: METHOD } }),
      422,
    );
    expect(running.code).toBe('evaluation-not-completed');
    const unknown = await json<{ errors: { field: string }[] }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token: a, body: { evaluationId: 'eval-nope', poolFen: POOL, method: METHOD } }),
      422,
    );
    expect(unknown.errors[0]?.field).toBe('body.evaluationId');
    const foreign = await officer('finance-x', 'other-d');
    expect(
      (await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token: foreign, body: { evaluationId: 'eval-q3', poolFen: POOL, method: METHOD } }))
        .status,
    ).toBe(403);
  });

  it('previews without storing', async () => {
    const a = await officer('finance-a');
    const before = await json<{ items: unknown[] }>(await stack.request('GET', `/districts/${D}/settlements`, { token: a }), 200);
    const preview = await json<{ totals: { paidFen: number }; topTeams: TeamLine[] }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements/preview`, {
        token: a,
        body: {
          evaluationId: 'eval-q3',
          poolFen: POOL,
          method: {
            kind: 'grade-tiers',
            tiers: [
              { minScore: 90, amountFen: 500_000 },
              { minScore: '60', amountFen: 100_000 },
            ],
          },
        },
      }),
      200,
    );
    expect(preview.topTeams[0]?.amount).toBe(500_000);
    const after = await json<{ items: unknown[] }>(await stack.request('GET', `/districts/${D}/settlements`, { token: a }), 200);
    expect(after.items).toHaveLength(before.items.length);
  });
});

describe('recomputing a draft', () => {
  it('with the same parameters gives byte-identical lines and the same fingerprint', async () => {
    const a = await officer('finance-a');
    const s = await create(a);
    const kinds = ['team', 'member', 'institution'] as const;
    const before = await Promise.all(kinds.map((k) => lines<unknown>(s.settlementId, k, a)));
    const again = await json<SettlementView>(await settlementCall(stack, 'POST', `/settlements/${s.settlementId}/recompute`, { token: a, body: {} }), 200);
    expect(again.computationId).not.toBe(s.computationId);
    expect(again.fingerprint).toBe(s.fingerprint);
    const after = await Promise.all(kinds.map((k) => lines<unknown>(s.settlementId, k, a)));
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    // and a different pool changes the fingerprint
    const changed = await json<SettlementView>(
      await settlementCall(stack, 'POST', `/settlements/${s.settlementId}/recompute`, { token: a, body: { poolFen: POOL + 1 } }),
      200,
    );
    expect(changed.fingerprint).not.toBe(s.fingerprint);
  });

  it('replaces the lines at once: readers see the old lines or the new, never a mix, and the old ones go', async () => {
    const a = await officer('finance-a');
    const s = await create(a);
    const oldPaid = s.totals.paidFen;
    const newPool = 5_000_000;
    const sums = new Set<number>();
    let done = false;
    const reader = (async () => {
      while (!done) {
        const page = await json<{ items: TeamLine[] }>(
          await stack.request('GET', `/settlements/${s.settlementId}/lines?kind=team&limit=100`, { token: a }),
          200,
        );
        sums.add(sum(page.items.map((l) => l.amount)));
      }
    })();
    const recomputed = await json<SettlementView>(
      await settlementCall(stack, 'POST', `/settlements/${s.settlementId}/recompute`, {
        token: a,
        body: { poolFen: newPool, method: { kind: 'score-weighted', sizeMeasure: 'weighted-residents' } },
      }),
      200,
    );
    done = true;
    await reader;
    expect(recomputed.totals.paidFen).toBe(newPool);
    for (const seen of sums) expect([oldPaid, newPool]).toContain(seen);
    expect(sum((await lines<TeamLine>(s.settlementId, 'team', a)).map((l) => l.amount))).toBe(newPool);
    const old = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': settlementKeys.linesOf(s.computationId).pk },
      }),
    );
    expect(old.Items ?? []).toHaveLength(0);
  });

  it('refuses to continue a lines cursor across a recompute (409)', async () => {
    const a = await officer('finance-a');
    const s = await create(a);
    const first = await json<{ nextCursor: string }>(await stack.request('GET', `/settlements/${s.settlementId}/lines?kind=member&limit=3`, { token: a }), 200);
    await json(await settlementCall(stack, 'POST', `/settlements/${s.settlementId}/recompute`, { token: a, body: { poolFen: POOL + 7 } }), 200);
    const next = await stack.request('GET', `/settlements/${s.settlementId}/lines?kind=member&limit=3&cursor=${first.nextCursor}`, { token: a });
    expect(next.status).toBe(409);
  });
});

describe('approval', () => {
  let approvedId: string;
  let approvedLines: string;

  it('needs a second officer of the district: not the creator (403), not another district (404)', async () => {
    const a = await officer('finance-a');
    const b = await officer('finance-b');
    const s = await create(a);
    const own = await json<{ code: string }>(
      await stack.request('POST', `/settlements/${s.settlementId}/approve`, { token: a, body: { comment: 'checked against the evaluation' } }),
      403,
    );
    expect(own.code).toBe('approver-took-part');
    expect(
      (await stack.request('POST', `/settlements/${s.settlementId}/approve`, { token: await officer('finance-x', 'other-d'), body: { comment: 'x' } })).status,
    ).toBe(404);
    expect((await stack.request('GET', `/settlements/${s.settlementId}`, { token: await officer('finance-x', 'other-d') })).status).toBe(404);
    expect(
      (
        await stack.request('POST', `/settlements/${s.settlementId}/approve`, {
          token: await stack.token('admin'),
          body: { comment: 'checked against the evaluation' },
        })
      ).status,
    ).toBe(403);
    // an officer who recomputed the draft is no longer a second pair of eyes either
    await json(await settlementCall(stack, 'POST', `/settlements/${s.settlementId}/recompute`, { token: b, body: {} }), 200);
    expect(
      (await stack.request('POST', `/settlements/${s.settlementId}/approve`, { token: b, body: { comment: 'checked against the evaluation' } })).status,
    ).toBe(403);
    // approving a computation other than the one reviewed is refused
    expect(
      (
        await stack.request('POST', `/settlements/${s.settlementId}/approve`, {
          token: await officer('finance-c'),
          body: { computationId: s.computationId, comment: 'checked' },
        })
      ).status,
    ).toBe(409);

    // settling needs a final period (issue 14); approval moves it to settled
    expect((await getPeriodStatus(stack.db, D, '2026Q3')).state).toBe('final');
    const approved = await json<SettlementView>(
      await stack.request('POST', `/settlements/${s.settlementId}/approve`, {
        token: await officer('finance-c'),
        body: { comment: 'checked against the evaluation' },
      }),
      200,
    );
    expect(approved.status).toBe('approved');
    expect(approved.approvedBy).toBe('finance-c');
    approvedId = s.settlementId;
    approvedLines = JSON.stringify(await Promise.all((['team', 'member', 'institution'] as const).map((k) => lines(approvedId, k, a))));

    const audit = await json<{ items: { action: string; by: string; at: string }[] }>(
      await stack.request('GET', `/settlements/${approvedId}/audit`, { token: a }),
      200,
    );
    expect(audit.items.map((e) => [e.action, e.by])).toEqual([
      ['create', 'finance-a'],
      ['recompute', 'finance-b'],
      ['approve', 'finance-c'],
    ]);
    expect(audit.items.every((e) => e.at === NOW.toISOString())).toBe(true);
  });

  it("closes the period's metric uploads", async () => {
    const status = await getPeriodStatus(stack.db, D, '2026Q3');
    expect(status.status).toBe('closed');
    expect(status.state).toBe('settled');
    expect(status.history.at(-1)).toMatchObject({ action: 'settle', from: 'final', to: 'settled', by: 'finance-c' });
    const clerk = await stack.token('clerk', { districtId: D, institutionId: teams[0]!.institutionId });
    const upload = await stack.request('PUT', `/institutions/${teams[0]!.institutionId}/metrics/2026Q3`, {
      token: clerk,
      body: { rows: [{ teamId: teams[0]!.teamId, values: { 'htn-followup-due': 10, 'htn-followup-done': 8 } }] },
    });
    expect(upload.status).toBe(409);
  });

  it('makes the settlement immutable: recompute and approve again are refused (409), lines unchanged', async () => {
    const a = await officer('finance-a');
    const d = await officer('finance-d');
    const recompute = await json<{ code: string }>(
      await settlementCall(stack, 'POST', `/settlements/${approvedId}/recompute`, { token: a, body: { poolFen: 1 } }),
      409,
    );
    expect(recompute.code).toBe('not-draft');
    expect((await stack.request('POST', `/settlements/${approvedId}/approve`, { token: d, body: { comment: 'checked against the evaluation' } })).status).toBe(
      409,
    );
    const after = JSON.stringify(await Promise.all((['team', 'member', 'institution'] as const).map((k) => lines(approvedId, k, a))));
    expect(after).toBe(approvedLines);
    // a second, unrelated settlement for the same period cannot be approved: correct the one in force
    const other = await create(a);
    const settled = await json<{ code: string; inForce: string }>(
      await stack.request('POST', `/settlements/${other.settlementId}/approve`, { token: d, body: { comment: 'checked against the evaluation' } }),
      409,
    );
    expect(settled).toMatchObject({ code: 'period-settled', inForce: approvedId });
  });

  it('corrects an approved settlement with a new one that shows the difference per team', async () => {
    const a = await officer('finance-a');
    const draft = await create(a);
    const ofDraft = await json<{ code: string }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements`, {
        token: a,
        body: { evaluationId: 'eval-q3', poolFen: POOL, method: METHOD, correctionOf: draft.settlementId },
      }),
      422,
    );
    expect(ofDraft.code).toBe('correction-of-draft');

    const before = await lines<TeamLine>(approvedId, 'team', a);
    const correction = await create(a, { poolFen: POOL + 500_000, correctionOf: approvedId });
    expect(correction.totals.previous?.settlementId).toBe(approvedId);
    expect(correction.totals.paidDifference).toBe(500_000);
    const corrected = await lines<TeamLine>(correction.settlementId, 'team', a);
    for (const line of corrected) {
      const old = before.find((l) => l.teamId === line.teamId)!;
      expect(line.previousAmount).toBe(old.amount);
      expect(line.difference).toBe(line.amount - old.amount);
    }
    expect(sum(corrected.map((l) => l.difference!))).toBe(500_000);
    expect(corrected.some((l) => (l.difference ?? 0) > 0)).toBe(true);

    const approved = await json<SettlementView>(
      await stack.request('POST', `/settlements/${correction.settlementId}/approve`, {
        token: await officer('finance-b'),
        body: { comment: 'checked against the evaluation' },
      }),
      200,
    );
    expect(approved.status).toBe('approved');
    // the original stays exactly as approved
    const original = await json<SettlementView>(await stack.request('GET', `/settlements/${approvedId}`, { token: a }), 200);
    expect(original.status).toBe('approved');
  });

  it('approves a draft once when ten officers approve it at the same moment', async () => {
    const a = await officer('finance-a');
    const s = await json<SettlementView>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements`, {
        token: a,
        body: { evaluationId: 'eval-q2', poolFen: 1_000_000, method: { kind: 'value-per-point', fenPerPoint: 1_000 } },
      }),
      201,
    );
    const approvers = await Promise.all(Array.from({ length: 10 }, (_, i) => officer(`finance-approver-${i}`)));
    const responses = await Promise.all(
      approvers.map((token) => stack.request('POST', `/settlements/${s.settlementId}/approve`, { token, body: { comment: 'checked against the evaluation' } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(9);
    const audit = await json<{ items: { action: string }[] }>(await stack.request('GET', `/settlements/${s.settlementId}/audit`, { token: a }), 200);
    expect(audit.items.filter((e) => e.action === 'approve')).toHaveLength(1);
    expect((await getPeriodStatus(stack.db, D, '2026Q2')).status).toBe('closed');
  });

  it('closes an approved settlement, and only that', async () => {
    const a = await officer('finance-a');
    const draft = await create(a);
    expect((await stack.request('POST', `/settlements/${draft.settlementId}/close`, { token: a })).status).toBe(409);
    const closed = await json<SettlementView>(await stack.request('POST', `/settlements/${approvedId}/close`, { token: a }), 200);
    expect(closed.status).toBe('closed');
    expect((await stack.request('POST', `/settlements/${approvedId}/close`, { token: a })).status).toBe(409);
    const audit = await json<{ items: { action: string }[] }>(await stack.request('GET', `/settlements/${approvedId}/audit`, { token: a }), 200);
    expect(audit.items.map((e) => e.action)).toEqual(['create', 'recompute', 'approve', 'close']);
  });
});

describe('finance settings and cookie sign-in', () => {
  it('uses the district role shares stored by finance', async () => {
    const a = await officer('finance-a');
    const settings = await json<{ stored: boolean; roleShares: Record<string, string> }>(
      await stack.request('GET', `/districts/${D}/finance-settings`, { token: a }),
      200,
    );
    expect(settings).toMatchObject({ stored: false, roleShares: { 'general-practitioner': '40', 'community-nurse': '30', other: '10' } });
    await json(
      await stack.request('PUT', `/districts/${D}/finance-settings`, { token: a, body: { roleShares: { 'general-practitioner': 1, 'community-nurse': 1 } } }),
      200,
    );
    const s = await create(a);
    const members = await lines<MemberLine>(s.settlementId, 'member', a);
    const team0 = members.filter((m) => m.teamId === teams[0]!.teamId);
    expect(team0).toHaveLength(2);
    expect(Math.abs(team0[0]!.amount - team0[1]!.amount)).toBeLessThanOrEqual(1);
  });

  it('accepts the gk_token cookie, and refuses a cookie-authenticated POST from another origin', async () => {
    const a = await officer('finance-a');
    const s = await create(a);
    const cookie = { cookie: `gk_token=${await officer('finance-e')}` };
    expect((await stack.request('GET', `/settlements/${s.settlementId}`, { headers: cookie })).status).toBe(200);
    const crossSite = await stack.request('POST', `/settlements/${s.settlementId}/approve`, {
      headers: { ...cookie, origin: 'https://evil.example' },
      body: { comment: 'x' },
    });
    expect(crossSite.status).toBe(403);
    expect((await stack.request('GET', `/settlements/${s.settlementId}`, { token: a })).status).toBe(200);
    const sameSite = await stack.request('POST', `/settlements/${s.settlementId}/approve`, {
      headers: { ...cookie, origin: 'http://localhost' },
      body: { comment: 'checked' },
    });
    // the period is already settled by an approved settlement: past the CSRF guard and the four-eyes rule, 409
    expect(sameSite.status).toBe(409);
  });
});
