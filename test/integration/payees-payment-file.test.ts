/**
 * Payees under the four-eyes rule and payment files of approved settlements, against DynamoDB
 * Local: credit codes checked, account numbers encrypted in the table and masked in every view,
 * concurrent approvals of one change (exactly one wins), the payment file refused for a draft and
 * without payees, and read back with exceljs and csv-parse: one line per institution with the
 * amount per funding source, SUM formulas, a control total equal to the settlement to the fen,
 * full account numbers only there, no identity number anywhere.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstitutionLine } from '#shared/domain/settlements/compute.ts';
import { payeeKeys } from '#shared/data/keys.ts';
import {
  createFinanceDistrict,
  type FinanceDistrict,
  fenOf,
  IDENTITY_PATTERN,
  json,
  linesOf,
  type SettlementView,
  settle,
} from '../support/finance-fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const D = 'pay-d';
const ACCOUNTS = ['6222020200001234567', '6217000010009876543'];
const CODES = ['91350100M000100Y43', '121101084000000020'];
const SOURCES = [
  { code: 'insurance-fund', name: '医保基金', incentiveShare: '0', subsidyShare: '70' },
  { code: 'public-health', name: '基本公共卫生经费', incentiveShare: '100', subsidyShare: '20' },
  { code: 'residents', name: '居民个人', incentiveShare: '0', subsidyShare: '10' },
];

let stack: TestStack;
let district: FinanceDistrict;
let approved: SettlementView;
let draft: SettlementView;
const officer = (sub: string, districtId = D) => stack.token('finance', { districtId, sub });

interface PayeeView {
  current: { accountNumberMasked: string; revision: number; creditCode: string; approvedBy: string } | null;
  pending: { proposalId: string; accountNumberMasked: string; proposedBy: string } | null;
}

function payeeBody(i: number) {
  return {
    creditCode: CODES[i]!,
    accountName: `测试社区卫生服务中心 ${i + 1}`,
    bank: '中国工商银行北京海淀支行',
    accountNumber: ACCOUNTS[i]!.replace(/(\d{4})/g, '$1 '),
    budgetSubject: '2100408 基本公共卫生服务',
  };
}

async function propose(i: number, by = 'finance-a'): Promise<PayeeView> {
  return json<PayeeView>(
    await stack.request('PUT', `/institutions/${district.institutionIds[i]}/payee`, { token: await officer(by), body: payeeBody(i) }),
    202,
  );
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T23:36:00Z') });
  district = await createFinanceDistrict(stack, D, { contracts: [3, 2, 2, 1], periods: ['2026Q3'], scores: ['91.50', '88.00', '62.25', '79.10'] });
  approved = await settle(stack, D, {
    evaluationId: district.runs['2026Q3'],
    poolFen: 1_234_567,
    method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
    fundingSources: SOURCES,
  });
  draft = await settle(
    stack,
    D,
    { evaluationId: district.runs['2026Q3'], poolFen: 500_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
    'finance-a',
    null,
  );
}, 120_000);

describe('payees', () => {
  it('refuses a credit code whose GB 32100 check character is wrong, naming the field and the expected character', async () => {
    const response = await stack.request('PUT', `/institutions/${district.institutionIds[0]}/payee`, {
      token: await officer('finance-a'),
      body: { ...payeeBody(0), creditCode: '91350100M000100Y44' },
    });
    const problem = await json<{ code: string; errors?: { field: string }[] }>(response, 400);
    expect(problem.code).toBe('credit-code-check');
    expect(JSON.stringify(problem)).toContain('body.creditCode');
  });

  it('keeps a proposal pending until a second officer approves it; the proposer cannot (four-eyes)', async () => {
    const proposed = await propose(0);
    expect(proposed.current).toBeNull();
    expect(proposed.pending?.accountNumberMasked).toBe('**** **** 4567');
    const own = await stack.request('POST', `/institutions/${district.institutionIds[0]}/payee/approve`, {
      token: await officer('finance-a'),
      body: { proposalId: proposed.pending!.proposalId },
    });
    expect((await json<{ code: string }>(own, 403)).code).toBe('four-eyes');
    const done = await json<PayeeView>(
      await stack.request('POST', `/institutions/${district.institutionIds[0]}/payee/approve`, {
        token: await officer('finance-b'),
        body: { proposalId: proposed.pending!.proposalId },
      }),
      200,
    );
    expect(done.current).toMatchObject({ revision: 1, creditCode: CODES[0], approvedBy: 'finance-b', accountNumberMasked: '**** **** 4567' });
    expect(done.pending).toBeNull();
  });

  it('stores the account number only encrypted: the table holds neither it nor the formatted form', async () => {
    const item = (await stack.db.doc.send(new GetCommand({ TableName: stack.db.tableName, Key: payeeKeys.current(district.institutionIds[0]!) }))).Item!;
    const partition = await stack.db.doc.send(
      new QueryCommand({
        TableName: stack.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `INSTITUTION#${district.institutionIds[0]}` },
      }),
    );
    const stored = JSON.stringify(partition.Items);
    expect(stored).not.toContain(ACCOUNTS[0]);
    expect(stored).not.toContain('6222 0202');
    expect(String(item.accountNumberCipher)).toMatch(/^k1:/);
    const audit = await json<{ items: { action: string; by: string; accountLast4: string }[] }>(
      await stack.request('GET', `/institutions/${district.institutionIds[0]}/payee/audit`, { token: await officer('finance-a') }),
      200,
    );
    expect(audit.items.map((e) => [e.action, e.by, e.accountLast4])).toEqual([
      ['propose', 'finance-a', '4567'],
      ['approve', 'finance-b', '4567'],
    ]);
  });

  it('lets exactly one of two concurrent approvals of the same change win', async () => {
    const proposed = await propose(1, 'finance-a');
    const responses = await Promise.all(
      ['finance-b', 'finance-c'].map(async (sub) =>
        stack.request('POST', `/institutions/${district.institutionIds[1]}/payee/approve`, {
          token: await officer(sub),
          body: { proposalId: proposed.pending!.proposalId },
        }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const now = await json<PayeeView>(
      await stack.request('GET', `/institutions/${district.institutionIds[1]}/payee`, { token: await officer('finance-a') }),
      200,
    );
    expect(now.current?.revision).toBe(1);
    expect(now.pending).toBeNull();
    const audit = await json<{ items: { action: string }[] }>(
      await stack.request('GET', `/institutions/${district.institutionIds[1]}/payee/audit`, { token: await officer('finance-a') }),
      200,
    );
    expect(audit.items.filter((e) => e.action === 'approve')).toHaveLength(1);
  });

  it('hides another district’s institution (404) and lists the district’s payees masked', async () => {
    const away = await stack.request('GET', `/institutions/${district.institutionIds[0]}/payee`, { token: await officer('finance-a', 'other-d') });
    expect(away.status).toBe(404);
    const list = await json<{ items: { institutionId: string; current: { accountNumberMasked: string } | null }[] }>(
      await stack.request('GET', `/districts/${D}/payees`, { token: await stack.token('admin') }),
      200,
    );
    expect(list.items.map((i) => i.current?.accountNumberMasked)).toEqual(['**** **** 4567', '**** **** 6543']);
    expect(JSON.stringify(list)).not.toContain(ACCOUNTS[0]);
  });
});

describe('funding sources', () => {
  it('split every institution line to the fen, and the totals reconcile per source', async () => {
    const lines = await linesOf<InstitutionLine>(stack, approved.settlementId, 'institution', await officer('finance-a'));
    const funding = approved.totals.funding!;
    expect(funding.map((f) => f.source)).toEqual(SOURCES.map((s) => s.code));
    for (const line of lines) {
      const parts = line.funding!;
      expect(parts.reduce((s, p) => s + p.incentiveFen, 0)).toBe(line.incentiveFen);
      expect(parts.reduce((s, p) => s + p.subsidyFen, 0)).toBe(line.subsidyFen);
      // incentives come from public health only; the subsidy 70/20/10, each part within a fen of its exact quota
      expect(parts[1]!.incentiveFen).toBe(line.incentiveFen);
      for (const [i, share] of [70, 20, 10].entries()) expect(Math.abs(parts[i]!.subsidyFen * 100 - line.subsidyFen * share)).toBeLessThan(100);
    }
    for (const [i, source] of funding.entries()) {
      expect(source.incentiveFen).toBe(lines.reduce((s, l) => s + l.funding![i]!.incentiveFen, 0));
      expect(source.subsidyFen).toBe(lines.reduce((s, l) => s + l.funding![i]!.subsidyFen, 0));
    }
    expect(funding.reduce((s, f) => s + f.totalFen, 0)).toBe(approved.totals.paidFen + approved.totals.subsidyFen);
    expect(approved.totals.paidFen).toBe(1_234_567);
  });

  it('are part of the fingerprint: other shares, another fingerprint', async () => {
    const body = { evaluationId: district.runs['2026Q3'], poolFen: 1_234_567, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } };
    const token = await officer('finance-a');
    const a = await json<{ fingerprint: string }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements/preview`, { token, body: { ...body, fundingSources: SOURCES } }),
      200,
    );
    const b = await json<{ fingerprint: string }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements/preview`, {
        token,
        body: { ...body, fundingSources: SOURCES.map((s, i) => (i === 0 ? { ...s, subsidyShare: '60' } : s)) },
      }),
      200,
    );
    // (not compared with the approved settlement: its subsidy days are paid now, which a new computation takes into account)
    const again = await json<{ fingerprint: string }>(
      await settlementCall(stack, 'POST', `/districts/${D}/settlements/preview`, { token, body: { ...body, fundingSources: SOURCES } }),
      200,
    );
    expect(again.fingerprint).toBe(a.fingerprint);
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('the payment file', () => {
  it('is refused for a draft with a clear code', async () => {
    for (const format of ['xlsx', 'csv']) {
      const response = await stack.request('GET', `/settlements/${draft.settlementId}/payment-file.${format}`, { token: await officer('finance-a') });
      expect((await json<{ code: string }>(response, 409)).code).toBe('payment-file-of-draft');
    }
  });

  it('is for finance officers only: administrators (no need for account numbers) are refused', async () => {
    const response = await stack.request('GET', `/settlements/${approved.settlementId}/payment-file.csv`, { token: await stack.token('admin') });
    expect(response.status).toBe(403);
  });

  it('as XLSX: one line per institution with its payee and amounts per source, SUM formulas, a control total to the fen', async () => {
    const response = await stack.request('GET', `/settlements/${approved.settlementId}/payment-file.xlsx`, { token: await officer('finance-a') });
    expect(response.status, await response.clone().text()).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('付款清单')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      '序号',
      '收款单位',
      '机构编号',
      '统一社会信用代码',
      '户名',
      '开户银行',
      '账号',
      '预算科目',
      '医保基金（元）',
      '基本公共卫生经费（元）',
      '居民个人（元）',
      '激励（元）',
      '补助（元）',
      '合计（元）',
    ]);
    const lines = await linesOf<InstitutionLine>(stack, approved.settlementId, 'institution', await officer('finance-a'));
    const paid = lines.filter((l) => l.incentiveFen + l.subsidyFen > 0);
    expect(paid).toHaveLength(2);
    paid.forEach((line, i) => {
      const row = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      expect(row.slice(0, 8)).toEqual([
        i + 1,
        line.name,
        line.institutionId,
        CODES[i],
        `测试社区卫生服务中心 ${i + 1}`,
        '中国工商银行北京海淀支行',
        ACCOUNTS[i],
        '2100408 基本公共卫生服务',
      ]);
      expect(row.slice(8, 11).map(fenOf)).toEqual(line.funding!.map((p) => p.incentiveFen + p.subsidyFen));
      expect(row.slice(11).map(fenOf)).toEqual([line.incentiveFen, line.subsidyFen, line.incentiveFen + line.subsidyFen]);
    });
    const totals = sheet.getRow(paid.length + 2);
    expect(totals.getCell(1).value).toBe('合计');
    expect(totals.getCell(2).value).toBe(2);
    const totalCell = totals.getCell(14).value as { formula: string; result: number };
    expect(totalCell.formula).toBe(`SUM(N2:N${paid.length + 1})`);
    expect(fenOf(totalCell.result)).toBe(approved.totals.paidFen + approved.totals.subsidyFen);
    for (const [i, source] of approved.totals.funding!.entries()) {
      const cell = totals.getCell(9 + i).value as { formula: string; result: number };
      expect(cell.formula).toMatch(/^SUM\(/);
      expect(fenOf(cell.result)).toBe(source.totalFen);
    }
    expect(sheet.pageSetup.orientation).toBe('landscape');
    expect(sheet.pageSetup.paperSize).toBe(9);
    const text = JSON.stringify(workbook.worksheets.map((s) => s.getSheetValues()));
    // a public institution's credit code can be all digits, like an identity number: take the codes out first
    expect(CODES.reduce((t, code) => t.replaceAll(code, ''), text)).not.toMatch(IDENTITY_PATTERN);
    for (const id of district.identityNumbers) expect(text).not.toContain(id);
    // approved at 23:36 UTC: 07:36 the next morning in Beijing, and the zone is named
    expect(text).toContain('2026-11-23 07:36:00 北京时间 (UTC+8)');
  });

  it('as CSV: the same lines, and the control total as the last line', async () => {
    const response = await stack.request('GET', `/settlements/${approved.settlementId}/payment-file.csv?lang=en`, { token: await officer('finance-a') });
    expect(response.status).toBe(200);
    const records = parse(Buffer.from(await response.arrayBuffer()), { bom: true }) as string[][];
    expect(records[0]![6]).toBe('Account number');
    const body = records.slice(1, -1);
    expect(body.map((r) => r[6])).toEqual(ACCOUNTS);
    const control = records.at(-1)!;
    expect(control[0]).toBe('Control total');
    expect(control[1]).toBe('Payments 2');
    expect(fenOf(control.at(-1))).toBe(approved.totals.paidFen + approved.totals.subsidyFen);
    expect(body.reduce((s, r) => s + fenOf(r.at(-1)), 0)).toBe(approved.totals.paidFen + approved.totals.subsidyFen);
    for (let col = 8; col < 11; col++) expect(fenOf(control[col])).toBe(approved.totals.funding![col - 8]!.totalFen);
    const text = records.flat().join('\n');
    for (const id of district.identityNumbers) expect(text).not.toContain(id);
  });

  it('needs an approved payee for every institution to be paid (422 naming them)', async () => {
    const other = await createFinanceDistrict(stack, 'pay-e', { institutions: 1, teamsPerInstitution: 1, contracts: [2], periods: ['2026Q3'] });
    const settled = await settle(stack, 'pay-e', {
      evaluationId: other.runs['2026Q3'],
      poolFen: 10_000,
      method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
    });
    const response = await stack.request('GET', `/settlements/${settled.settlementId}/payment-file.csv`, { token: await officer('finance-a', 'pay-e') });
    const problem = await json<{ code: string; detail: string }>(response, 422);
    expect(problem.code).toBe('payee-missing');
    expect(problem.detail).toContain(other.institutionIds[0]);
  });

  it('is the only file with full account numbers: the settlement workbook and its CSVs show none', async () => {
    const token = await officer('finance-a');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await stack.request('GET', `/settlements/${approved.settlementId}/report.xlsx`, { token })).arrayBuffer());
    const texts = [JSON.stringify(workbook.worksheets.map((s) => s.getSheetValues()))];
    for (const sheet of ['teams', 'members', 'institutions', 'fees'])
      texts.push(await (await stack.request('GET', `/settlements/${approved.settlementId}/report.csv?sheet=${sheet}`, { token })).text());
    for (const text of texts) for (const account of ACCOUNTS) expect(text).not.toContain(account);
  });
});
