/**
 * The general audit log (issue 15): each recorded change and its entry appear together, a
 * refused change (also when it lost a race) leaves no entry, entries carry no personal data, and
 * GET /districts/{districtId}/audit-log reads them newest first with filters and a cursor.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptAppeal, type Appeal, fileAppeal, getAppeal, rejectAppeal } from '#shared/data/appeals.ts';
import type { AuditLogEntry } from '#shared/data/audit-log.ts';
import { createRun } from '#shared/data/evaluations.ts';
import { auditLogKeys } from '#shared/data/keys.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { recordRunCompleted } from '#shared/services/periods.ts';
import { dataDeadlineAt } from '#shared/domain/period-lifecycle.ts';
import { type FinanceDistrict, IDENTITY_PATTERN, createFinanceDistrict, json } from '../support/finance-fixtures.ts';
import { testIdentityNumber } from '../support/fixtures.ts';
import { settlementCall } from '../support/settlement-jobs.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

const D = 'audit-d';
const NOW = new Date('2026-11-22T08:00:00Z');
const ACCOUNT = '6222020200001234567';
let stack: TestStack;
let district: FinanceDistrict;
let admin: string;

/** Every entry of the district, read straight from the table (the months the test writes in). */
async function entries(): Promise<AuditLogEntry[]> {
  const all: AuditLogEntry[] = [];
  for (const month of Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)) {
    const result = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditLogKeys.month(D, month).pk },
        ConsistentRead: true,
      }),
    );
    all.push(...((result.Items ?? []) as AuditLogEntry[]));
  }
  return all;
}

const ofAction = async (action: string, entityId?: string) =>
  (await entries()).filter((e) => e.action === action && (entityId === undefined || e.entityId === entityId));

beforeAll(async () => {
  stack = await createTestStack({ now: () => NOW });
  district = await createFinanceDistrict(stack, D, { contracts: [2, 1, 1, 1], periods: ['2026Q3'] });
  // tokens name their person (Cognito's `name` claim); the log records that name with the subject
  admin = await stack.token('admin', { sub: 'admin-wang', name: '王建国' });
}, 120_000);

describe('entries written with their changes', () => {
  it('records an administrator’s historical contract with its reason, its team and term, and never the resident', async () => {
    const corrections = await ofAction('contract.correct');
    expect(corrections).toHaveLength(5);
    expect(corrections[0]).toMatchObject({ entityType: 'contract', byRole: 'admin', districtId: D, reason: 'history entered for the test' });
    expect(corrections[0]!.summary).toMatchObject({ startDate: '2026-01-01' });
    expect(JSON.stringify(corrections)).not.toMatch(/residentRef|identity/i);
  });

  it('records settings and subsidy rate changes with what changed; a refused and a raced change leave no entry', async () => {
    const patch = (body: Record<string, unknown>) => stack.request('PATCH', `/districts/${D}/settings`, { token: admin, body });
    const before = await json<{ settings: { teamCapacity: number } }>(await stack.request('GET', `/districts/${D}`, { token: admin }), 200);
    await json(await patch({ teamCapacity: before.settings.teamCapacity + 100, reviewWindowDays: 9 }), 200);
    const [settings] = await ofAction('district.settings');
    expect(settings).toMatchObject({ by: 'admin-wang', byName: '王建国', byRole: 'admin', entityId: D });
    expect(settings!.summary).toEqual({ teamCapacity: `${before.settings.teamCapacity} → ${before.settings.teamCapacity + 100}`, reviewWindowDays: '– → 9' });

    // below the largest team's capacity: refused, nothing recorded
    expect((await patch({ teamCapacity: 1 })).status).toBe(422);
    // ten concurrent edits from the same read: the ones that lose the condition leave no entry
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => patch({ surveyMinResponses: 20 + i })));
    const won = answers.filter((r) => r.status === 200).length;
    expect(won).toBeGreaterThanOrEqual(1);
    expect(answers.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(await ofAction('district.settings')).toHaveLength(1 + won);

    await json(await stack.request('POST', `/districts/${D}/subsidy-rates`, { token: admin, body: { from: '2027-01-01', perYearFen: 15_000 } }), 200);
    const [rate] = await ofAction('district.subsidy-rate');
    expect(rate!.summary?.subsidyPerResidentYearFen).toBe('12000 → 15000');
  });

  it('records institutions and teams created, with the creator’s role', async () => {
    const institution = await json<{ institutionId: string }>(
      await stack.request('POST', `/districts/${D}/institutions`, {
        token: admin,
        body: { name: '审计社区卫生服务中心', ownership: 'government', level: 'community-health-centre' },
      }),
      201,
    );
    const clerk = await stack.token('clerk', { districtId: D, institutionId: institution.institutionId, sub: 'clerk-li' });
    const members = [
      { name: '王医生', role: 'general-practitioner', joinedOn: '2026-01-01' },
      { name: '李护士', role: 'community-nurse', joinedOn: '2026-01-01' },
    ];
    const team = await json<{ teamId: string }>(
      await stack.request('POST', `/institutions/${institution.institutionId}/teams`, { token: clerk, body: { name: '审计团队', members } }),
      201,
    );
    expect((await ofAction('institution.create', institution.institutionId))[0]).toMatchObject({
      byRole: 'admin',
      institutionId: institution.institutionId,
      summary: { name: '审计社区卫生服务中心', ownership: 'government' },
    });
    expect((await ofAction('team.create', team.teamId))[0]).toMatchObject({ by: 'clerk-li', byRole: 'clerk', institutionId: institution.institutionId });
    // a member joins, then leaves; two concurrent leaves of one member record one
    const joined = await json<{ members: { memberId: string; name: string }[] }>(
      await stack.request('POST', `/teams/${team.teamId}/members`, { token: clerk, body: { name: '赵药师', role: 'pharmacist', joinedOn: '2026-02-01' } }),
      201,
    );
    const pharmacist = joined.members.find((m) => m.name === '赵药师')!;
    const leaves = await Promise.all(
      [1, 2].map(() => stack.request('POST', `/teams/${team.teamId}/members/${pharmacist.memberId}/leave`, { token: clerk, body: { leftOn: '2026-10-31' } })),
    );
    expect(leaves.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await ofAction('team.member-join', team.teamId)).toMatchObject([
      { byRole: 'clerk', summary: { member: '赵药师', memberRole: 'pharmacist', joinedOn: '2026-02-01' } },
    ]);
    expect(await ofAction('team.member-leave', team.teamId)).toMatchObject([{ by: 'clerk-li', summary: { member: '赵药师', leftOn: '2026-10-31' } }]);
    // a team above the cap is refused: no entry
    const tooBig = await stack.request('POST', `/institutions/${institution.institutionId}/teams`, {
      token: clerk,
      body: { name: '太大', members, capacity: 5000 },
    });
    expect(tooBig.status).toBe(422);
    expect((await ofAction('team.create')).filter((e) => e.institutionId === institution.institutionId)).toHaveLength(1);
  });

  it('records period close and reopen by the administrator with the reason; a refused reopen leaves none', async () => {
    await json(await stack.request('POST', `/districts/${D}/periods/2026Q4/close`, { token: admin, body: {} }), 200);
    expect((await stack.request('POST', `/districts/${D}/periods/2026Q4/reopen`, { token: admin, body: { reason: ' ' } })).status).toBe(400);
    await json(await stack.request('POST', `/districts/${D}/periods/2026Q4/reopen`, { token: admin, body: { reason: '补报数据' } }), 200);
    expect(await ofAction('period.close', '2026Q4')).toMatchObject([{ byRole: 'admin', summary: { from: 'open', to: 'deadline-passed' } }]);
    expect(await ofAction('period.reopen', '2026Q4')).toMatchObject([{ byRole: 'admin', reason: '补报数据' }]);
    // the period's own history names the administrator as the token did
    const history = (
      await json<{ history: { action: string; byName?: string }[] }>(await stack.request('GET', `/districts/${D}/periods/2026Q4/status`, { token: admin }), 200)
    ).history;
    expect(history.filter((h) => h.action === 'close' || h.action === 'reopen')).toMatchObject([{ byName: '王建国' }, { byName: '王建国' }]);
  });

  it('records the walk of 2026Q3 to final (evaluate, publish, finalize by the review window)', async () => {
    expect(await ofAction('period.evaluate', '2026Q3')).toHaveLength(1);
    expect(await ofAction('period.publish', '2026Q3')).toHaveLength(1);
    expect(await ofAction('period.finalize', '2026Q3')).toMatchObject([{ by: 'review-window', byRole: 'system' }]);
  });

  it('two concurrent publishes: one wins, one entry', async () => {
    const base = { districtId: D, period: '2026Q1', by: 'eval-zhao', at: '2026-05-01T00:00:00.000Z', deadlineAt: dataDeadlineAt('2026Q1') };
    const run = {
      evaluationId: 'eval-q1',
      districtId: D,
      period: '2026Q1',
      baselinePeriod: null,
      criteriaVersion: 1,
      status: 'completed' as const,
      phase: 'done' as const,
      progress: { done: 1, total: 1 },
      startedBy: 'eval-zhao',
      startedByName: '赵敏',
      createdAt: base.at,
    };
    await createRun(stack.db, run);
    // the run completes outside any request: the transition names its starter by the name recorded with the run
    expect(await recordRunCompleted(stack.db, run, base.at)).toBe(true);
    const evaluated = await getPeriodStatus(stack.db, D, '2026Q1');
    expect(evaluated.history.at(-1)).toMatchObject({ action: 'evaluate', by: 'eval-zhao', byName: '赵敏' });
    expect(evaluated.officialRuns).toMatchObject([{ evaluationId: 'eval-q1', startedBy: 'eval-zhao', startedByName: '赵敏' }]);
    expect(await ofAction('period.evaluate', '2026Q1')).toMatchObject([{ by: 'eval-zhao', byName: '赵敏' }]);
    const evaluator = await stack.token('evaluator', { districtId: D, sub: 'eval-zhao' });
    const answers = await Promise.all([1, 2].map(() => stack.request('POST', `/districts/${D}/periods/2026Q1/publish`, { token: evaluator, body: {} })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await ofAction('period.publish', '2026Q1')).toMatchObject([{ by: 'eval-zhao', byRole: 'evaluator' }]);
  });

  it('records appeals filed and decided; of two concurrent decisions only the one that happened is recorded', async () => {
    const state = await getPeriodStatus(stack.db, D, '2026Q1');
    expect(state.state).toBe('published');
    const appeal = (id: string): Appeal => ({
      appealId: id,
      districtId: D,
      period: '2026Q1',
      institutionId: district.institutionIds[0]!,
      teamId: district.teams[0]!.teamId,
      evaluationId: 'eval-q1',
      indicator: 'hv',
      metric: 'home-visits-80plus',
      claimedValue: 3,
      reason: '上报有误',
      status: 'open',
      filedBy: 'clerk-li',
      filedAt: '2026-11-22T07:00:00.000Z',
    });
    await fileAppeal(stack.db, appeal('appeal-a'));
    await fileAppeal(stack.db, appeal('appeal-b'));
    expect(await ofAction('appeal.file', 'appeal-a')).toMatchObject([{ byRole: 'clerk', reason: '上报有误', summary: { indicator: 'hv' } }]);
    const open = (await getAppeal(stack.db, 'appeal-a'))!;
    const decision = { by: 'eval-zhao', at: '2026-11-22T07:30:00.000Z', reason: '数据已核实' };
    const outcomes = await Promise.allSettled([rejectAppeal(stack.db, open, decision), acceptAppeal(stack.db, open, { ...decision, acceptedValue: 3 })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const decided = (await getAppeal(stack.db, 'appeal-a'))!;
    const recorded = await ofAction('appeal.decide', 'appeal-a');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ byRole: 'evaluator', summary: { decision: decided.status } });
    // a window already closed refuses the filing: no entry
    await expect(fileAppeal(stack.db, { ...appeal('appeal-late'), filedAt: '2027-06-01T00:00:00.000Z' })).rejects.toMatchObject({
      code: 'appeal-window-closed',
    });
    expect((await entries()).some((e) => e.entityId === 'appeal-late')).toBe(false);
  });

  it('records criteria publication', async () => {
    const evaluator = await stack.token('evaluator', { districtId: D, sub: 'eval-zhao' });
    const document = {
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
    };
    const draft = await json<{ version: number }>(
      await stack.request('POST', `/districts/${D}/criteria`, { token: evaluator, body: { name: '审计', periodType: 'quarter', document } }),
      201,
    );
    const publish = () => stack.request('POST', `/districts/${D}/criteria/${draft.version}/publish`, { token: evaluator, body: {} });
    const answers = await Promise.all([publish(), publish()]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await ofAction('criteria.publish', String(draft.version))).toMatchObject([{ by: 'eval-zhao', byRole: 'evaluator' }]);
  });

  it('records settlement create, recompute, approve (and the period settled), close', async () => {
    const body = { evaluationId: district.runs['2026Q3'], poolFen: 100_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } };
    const financeA = await stack.token('finance', { districtId: D, sub: 'finance-a', name: '李娜' });
    const financeB = await stack.token('finance', { districtId: D, sub: 'finance-b', name: '陈刚' });
    // create and recompute run as jobs (a worker thread here): their entries still name the officer who asked
    const draft = await json<{ settlementId: string }>(await settlementCall(stack, 'POST', `/districts/${D}/settlements`, { token: financeA, body }), 201);
    await json(await settlementCall(stack, 'POST', `/settlements/${draft.settlementId}/recompute`, { token: financeA, body: { poolFen: 200_000 } }), 200);
    // the creator approving is refused (four eyes): nothing recorded for it
    const own = await stack.request('POST', `/settlements/${draft.settlementId}/approve`, { token: financeA, body: { comment: 'mine' } });
    expect(own.status).toBe(403);
    await json(await stack.request('POST', `/settlements/${draft.settlementId}/approve`, { token: financeB, body: { comment: '已核对' } }), 200);
    await json(await stack.request('POST', `/settlements/${draft.settlementId}/close`, { token: financeB, body: {} }), 200);
    const actions = (await entries()).filter((e) => e.entityId === draft.settlementId).map((e) => `${e.action}:${e.by}:${e.byName}`);
    expect(actions.sort()).toEqual([
      'settlement.approve:finance-b:陈刚',
      'settlement.close:finance-b:陈刚',
      'settlement.create:finance-a:李娜',
      'settlement.recompute:finance-a:李娜',
    ]);
    expect(await ofAction('settlement.approve', draft.settlementId)).toMatchObject([{ reason: '已核对', summary: { period: '2026Q3', status: 'approved' } }]);
    expect((await ofAction('settlement.recompute', draft.settlementId))[0]!.summary?.paidFen).toBeGreaterThan(0);
    expect(await ofAction('period.settle', '2026Q3')).toMatchObject([{ by: 'finance-b', byName: '陈刚', byRole: 'finance' }]);
    // the settlement's own log records the names too, and its page names the officers by them, not by account
    const settlementLog = await json<{ items: { by: string; byName: string }[] }>(
      await stack.request('GET', `/settlements/${draft.settlementId}/audit`, { token: financeB }),
      200,
    );
    expect(settlementLog.items.map((e) => `${e.by}:${e.byName}`)).toEqual(['finance-a:李娜', 'finance-a:李娜', 'finance-b:陈刚', 'finance-b:陈刚']);
    const page = await (await stack.app.request(`/finance/settlements/${draft.settlementId}`, { headers: { authorization: `Bearer ${financeB}` } })).text();
    expect(page).toContain('操作人 李娜');
    expect(page).toContain('陈刚 · ');
    expect(page).not.toMatch(/finance-[ab]/);
    const list = await (await stack.app.request(`/finance/districts/${D}/settlements`, { headers: { authorization: `Bearer ${financeB}` } })).text();
    expect(list).toContain('<td>李娜</td>');
  });

  it('records payee proposal and approval without the account', async () => {
    const institutionId = district.institutionIds[0]!;
    const proposed = await json<{ pending: { proposalId: string; proposedByName: string } }>(
      await stack.request('PUT', `/institutions/${institutionId}/payee`, {
        token: await stack.token('finance', { districtId: D, sub: 'finance-a', name: '李娜' }),
        body: { creditCode: '91350100M000100Y43', accountName: '测试社区卫生服务中心', bank: '中国工商银行', accountNumber: ACCOUNT, budgetSubject: '2100408' },
      }),
      202,
    );
    expect(proposed.pending.proposedByName).toBe('李娜');
    const approver = await stack.token('finance', { districtId: D, sub: 'finance-b', name: '陈刚' });
    const approved = await json<{ current: { proposedBy: string; proposedByName: string; approvedBy: string; approvedByName: string } }>(
      await stack.request('POST', `/institutions/${institutionId}/payee/approve`, { token: approver, body: { proposalId: proposed.pending.proposalId } }),
      200,
    );
    // the payee keeps who proposed and approved it by name too, and the payees page shows the names
    expect(approved.current).toMatchObject({ proposedBy: 'finance-a', proposedByName: '李娜', approvedBy: 'finance-b', approvedByName: '陈刚' });
    const payeesPage = await (await stack.app.request(`/finance/districts/${D}/payees`, { headers: { authorization: `Bearer ${approver}` } })).text();
    expect(payeesPage).toContain('已批准（陈刚，');
    const payee = (await entries()).filter((e) => e.entityType === 'payee');
    expect(payee.map((e) => `${e.action}:${e.byName}`).sort()).toEqual(['payee.approve:陈刚', 'payee.propose:李娜']);
    expect(JSON.stringify(payee)).not.toContain(ACCOUNT.slice(-4));
  });

  it('records an invitation with the role and name, never the e-mail address', async () => {
    const form = new URLSearchParams({ email: 'zhang.min@example.cn', name: '张敏', role: 'finance', districtId: D, lang: 'en' });
    const response = await stack.app.request('/admin/users', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: form.toString(),
    });
    expect(response.status).toBe(200);
    const [invite] = await ofAction('user.invite');
    expect(invite).toMatchObject({ byRole: 'admin', summary: { name: '张敏', role: 'finance' } });
    expect(JSON.stringify(invite)).not.toContain('@example');
  });

  it('holds no personal data in any entry (sweep)', async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThan(20);
    const text = JSON.stringify(all);
    expect(text).not.toMatch(IDENTITY_PATTERN);
    for (const number of district.identityNumbers) expect(text).not.toContain(number.slice(6, 14));
    expect(text).not.toContain(testIdentityNumber().slice(0, 10));
    expect(text).not.toMatch(/residentRef|identityMasked|accountNumber|accountLast4|phone|@example/);
    expect(text).not.toMatch(/\b1[3-9]\d{9}\b/); // a mobile number
  });
});

describe('GET /districts/{districtId}/audit-log', () => {
  const get = (query: string, token = admin) => stack.request('GET', `/districts/${D}/audit-log${query}`, { token });

  it('reads newest first across months, pages with a cursor, and filters', async () => {
    const all: AuditLogEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AuditLogEntry[]; nextCursor: string | null } = await json(
        await get(`?from=2026-01-01&to=2026-11-30&limit=7${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(7);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const stored = await entries();
    expect(all.map((e) => e.entryId).sort()).toEqual(stored.map((e) => e.entryId).sort());
    const times = all.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());

    const approvals = await json<{ items: (AuditLogEntry & { actorId: string })[] }>(await get('?from=2026-01-01&action=settlement.approve'), 200);
    // who: the display name recorded with the entry, and the subject as `actorId` (what the actor filter matches)
    expect(approvals.items).toMatchObject([{ action: 'settlement.approve', actorId: 'finance-b', byName: '陈刚' }]);
    const byFinanceB = await json<{ items: AuditLogEntry[] }>(await get(`?from=2026-01-01&actor=${approvals.items[0]!.actorId}&entityType=settlement`), 200);
    expect(byFinanceB.items.map((e) => e.action).sort()).toEqual(['settlement.approve', 'settlement.close']);
    const byClerk = await json<{ items: AuditLogEntry[] }>(await get('?from=2026-01-01&actor=clerk-li&entityType=team'), 200);
    expect(byClerk.items.map((e) => e.action).sort()).toEqual(['team.create', 'team.member-join', 'team.member-leave']);
    const ofInstitution = await json<{ items: AuditLogEntry[] }>(await get(`?from=2026-01-01&institutionId=${district.institutionIds[0]}&limit=100`), 200);
    expect(ofInstitution.items.length).toBeGreaterThan(0);
    expect(ofInstitution.items.every((e) => e.institutionId === district.institutionIds[0])).toBe(true);
    // the default range is the last 30 days: the walk of May is outside it
    const recent = await json<{ items: AuditLogEntry[] }>(await get('?limit=100&entityType=period'), 200);
    expect(recent.items.some((e) => e.at < '2026-10-23')).toBe(false);
  });

  it('refuses a reversed or too long range and a foreign cursor (400), and other roles (403)', async () => {
    expect((await json<{ code: string }>(await get('?from=2026-11-02&to=2026-11-01'), 400)).code).toBe('audit-range-reversed');
    expect((await json<{ code: string }>(await get('?from=2020-01-01&to=2026-11-01'), 400)).code).toBe('audit-range-too-long');
    const page = await json<{ nextCursor: string }>(await get('?from=2026-01-01&limit=1'), 200);
    expect((await json<{ code: string }>(await get(`?from=2026-11-01&to=2026-11-02&cursor=${page.nextCursor}`), 400)).code).toBe('bad-cursor');
    expect((await get('', await stack.token('finance', { districtId: D }))).status).toBe(403);
    expect((await get('', await stack.token('evaluator', { districtId: D }))).status).toBe(403);
  });

  it('answers in Chinese by default and in English when asked', async () => {
    const zh = await stack.request('GET', `/districts/${D}/audit-log?from=2026-11-02&to=2026-11-01`, { token: admin });
    expect(((await zh.json()) as { detail: string }).detail).toContain('开始日期');
    const en = await stack.request('GET', `/districts/${D}/audit-log?from=2026-11-02&to=2026-11-01`, { token: admin, headers: { 'accept-language': 'en' } });
    expect(((await en.json()) as { detail: string }).detail).toContain('starts');
  });
});

describe('the administrator page /admin/districts/{districtId}/audit-log', () => {
  const page = (query: string, token = admin) =>
    stack.app.request(`/admin/districts/${D}/audit-log${query}`, { headers: { authorization: `Bearer ${token}` } });

  it('shows the filtered entries in Chinese by default, in China time, with names instead of ids', async () => {
    const response = await page(`?from=2026-01-01&institutionId=${district.institutionIds[0]}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('审计日志');
    expect(html).toContain('北京时间');
    expect(html).toContain('审批收款账户');
    expect(html).not.toContain('>payee.approve<');
    // the institution column names it
    expect(html).not.toMatch(new RegExp(`<td>${district.institutionIds[0]}</td>`));
    const approvals = await (await page('?from=2026-01-01&action=settlement.approve')).text();
    // who by name, linked to that person's changes alone (the filter takes the account)
    expect(approvals).toContain('>陈刚</a>');
    expect(approvals).toContain(`href="/admin/districts/${D}/audit-log?from=2026-01-01&amp;action=settlement.approve&amp;actor=finance-b&amp;lang=zh"`);
    expect(approvals).not.toContain('创建结算</td>');
  });

  it('speaks English when asked, and shows refused filters next to their field (400)', async () => {
    const en = await (await page('?lang=en&from=2026-01-01&entityType=period')).text();
    expect(en).toContain('Audit log');
    expect(en).toContain('China time (UTC+8)');
    expect(en).toContain('Period reopened');
    expect(en).not.toContain('Settlement approved</td>');
    const bad = await page('?lang=en&from=2026-02-31');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('aria-invalid="true"');
    const reversed = await page('?from=2026-11-02&to=2026-11-01');
    expect(reversed.status).toBe(400);
    expect(await reversed.text()).toContain('开始日期（2026-11-02）晚于结束日期');
  });

  it('is for administrators only', async () => {
    expect((await page('', await stack.token('finance', { districtId: D }))).status).toBe(403);
  });
});

describe('invitations with an external OIDC issuer (IDENTITY_PROVIDER=oidc)', () => {
  let external: TestStack;

  beforeAll(async () => {
    process.env.IDENTITY_PROVIDER = 'oidc';
    try {
      external = await createTestStack({ now: () => NOW });
    } finally {
      delete process.env.IDENTITY_PROVIDER;
    }
  });

  it('the page says accounts are managed in the identity provider instead of offering the form, and refuses an invitation (422)', async () => {
    const token = await external.token('admin');
    const zh = await (await external.app.request('/admin/users', { headers: { authorization: `Bearer ${token}` } })).text();
    expect(zh).toContain('账号请在该身份平台中创建和管理');
    expect(zh).not.toContain('data-testid="invite-form"');
    const en = await (await external.app.request('/admin/users?lang=en', { headers: { authorization: `Bearer ${token}` } })).text();
    expect(en).toContain('accounts are created and managed there');
    const posted = await external.app.request('/admin/users', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ email: 'a@example.cn', name: '张敏', role: 'admin', lang: 'en' }).toString(),
    });
    expect(posted.status).toBe(422);
    expect(await posted.text()).toContain('managed there');
  });
});
