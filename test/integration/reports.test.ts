/**
 * Settlement reports against DynamoDB Local, read back the way a finance officer's tools read
 * them: the workbook with exceljs, the CSVs with csv-parse. Totals to the fen against the
 * settlement, the sheet set, frozen and filtered headers, CJK-aware widths, formula cells
 * neutralised (a team named =HYPERLINK(…), a member named +1), no identity numbers, the DRAFT
 * watermark and file names, English with ?lang=en, the background job path (202 → progress →
 * download), the automatic switch to a job above the size threshold, and scope (404 elsewhere).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { createReportJob } from '#shared/data/report-jobs.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import { getSettlement } from '#shared/data/settlements.ts';
import { createTeam, type Team } from '#shared/data/teams.ts';
import { access, createApiApp } from '#shared/http/api.ts';
import { localReportStorage, prepareReport, writeReport, writeSettlementCsv, writeSettlementXlsx, yuanOf } from '#shared/services/reports/index.ts';
import type { InstitutionLine, MemberLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { registerReportRoutes } from '../../functions/reports/routes.tsx';
import { createTestDistrict, testIdentityNumber } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { settlementCall } from '../support/settlement-jobs.ts';

const NOW = new Date('2026-11-22T08:00:00Z');
const D = 'rpt-d';
const POOL = 1_234_567; // 12,345.67 yuan: a pool whose yuan value is not a "round" double
const FORMULA_TEAM = '=HYPERLINK("http://x","y")';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The formulas the workbook writes itself: column sums (of its own or another sheet) and the reconciliation's IF */
const OWN_FORMULA = /^(SUM\(('[^']+'!)?[A-Z]+2:[A-Z]+\d+\)|IF\(ROUND\(B\d+\+C\d+-D\d+,2\)=0,"[^"]*","[^"]*"\))$/;
/** 18 characters shaped like a GB 11643 identity number, standing alone */
const IDENTITY_PATTERN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

let stack: TestStack;
let teams: Team[];
let settlementId: string;
let reportsDir: string;
const identityNumbers = Array.from({ length: 6 }, (_, i) => testIdentityNumber(`1958-0${(i % 9) + 1}-1${i}`, 100 + i));
const officer = (name: string, districtId = D) => stack.token('finance', { districtId, sub: name });

interface SettlementView {
  settlementId: string;
  status: string;
  computationId: string;
  fingerprint: string;
  lineCounts: { team: number; member: number; institution: number };
  totals: { poolFen: number; paidFen: number; unallocatedFen: number; membersFen: number; memberUnallocatedFen: number; subsidyFen: number };
}

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(status);
  return JSON.parse(text) as T;
}

async function lines<T>(id: string, kind: 'team' | 'member' | 'institution', token: string): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `kind=${kind}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await json(await stack.request('GET', `/settlements/${id}/lines?${query}`, { token }), 200);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function workbookOf(response: Response): Promise<ExcelJS.Workbook> {
  expect(response.status, response.status === 200 ? '' : await response.clone().text()).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

/** A sheet as rows of plain values (row 1 = header); a formula cell as its cached result. */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push(
      (row.values as unknown[]).slice(1).map((v) => (v !== null && typeof v === 'object' && 'formula' in v ? (v as unknown as { result: unknown }).result : v)),
    );
  });
  return rows;
}

/** A data sheet's header and lines, without its totals row (checked separately). */
function dataRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows = rowsOf(sheet);
  return ['合计', 'Total'].includes(String(rows.at(-1)?.[0])) ? rows.slice(0, -1) : rows;
}

/** A draft's CSV: its first line is the DRAFT mark, then the header and the lines. */
function draftCsv(bytes: Buffer, settlement: string, lang: 'zh' | 'en' = 'zh'): string[][] {
  const records = parse(bytes, { bom: true, relax_column_count: true }) as string[][];
  expect(records[0]).toEqual(
    lang === 'zh' ? ['草稿', '草稿：尚未批准，不得据此付款', settlement] : ['DRAFT', 'DRAFT: not approved; do not pay from it', settlement],
  );
  return parse(bytes, { bom: true, from_line: 2 }) as string[][];
}

function allText(workbook: ExcelJS.Workbook): string {
  return workbook.worksheets
    .map((sheet) =>
      rowsOf(sheet)
        .map((row) => row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))).join('\t'))
        .join('\n'),
    )
    .join('\n');
}

/** Yuan as read back (a number in the sheet, a formula's cached result, "12345.67" in a CSV) → fen, exactly. */
function fenOf(value: unknown): number {
  const text = value !== null && typeof value === 'object' && 'result' in value ? String((value as { result: unknown }).result) : String(value);
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`not a yuan amount: ${text}`);
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

const column = (rows: unknown[][], header: string) => {
  const index = rows[0]!.indexOf(header);
  expect(index, `column ${header} in ${rows[0]!.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((row) => row[index]);
};
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function decodeFileNameStar(disposition: string): string {
  const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  return match ? decodeURIComponent(match[1]!) : '';
}

beforeAll(async () => {
  reportsDir = await mkdtemp(join(tmpdir(), 'gk-reports-test-'));
  stack = await createTestStack({ now: () => NOW });
  const district = await createTestDistrict(stack.db, D, { institutions: 2, teamsPerInstitution: 2 });
  await createTestDistrict(stack.db, 'rpt-other');
  await createInstitution(stack.db, {
    institutionId: 'rpt-social',
    districtId: D,
    name: '康宁社区卫生服务站',
    ownership: 'social',
    level: 'community-health-centre',
    servicePackages: [
      { code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 },
      { code: 'chronic', name: '慢病管理包', kind: 'personalised', feeFen: 30_000 },
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const formulaTeam = await createTeam(stack.db, {
    teamId: 'rpt-social-team-1',
    institutionId: 'rpt-social',
    districtId: D,
    name: FORMULA_TEAM,
    members: [
      { memberId: 'rpt-plus', name: '+1', role: 'general-practitioner', joinedOn: '2025-01-01' },
      { memberId: 'rpt-at', name: '@SUM(1+1)', role: 'community-nurse', joinedOn: '2025-01-01' },
      { memberId: 'rpt-minus', name: '-2+3', role: 'pharmacist', joinedOn: '2026-08-01' },
    ],
    capacity: 2000,
    activeContracts: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  teams = [...district.teams, formulaTeam];

  // contracts signed through the API, with real (fictional) identity numbers the reports must never show
  const admin = await stack.token('admin');
  for (const [i, identityNumber] of identityNumbers.entries()) {
    const team = teams[i % teams.length]!;
    await json(
      await stack.request('POST', '/contracts', {
        token: admin,
        body: { teamId: team.teamId, identityNumber, insured: i !== 3, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } },
      }),
      201,
    );
  }

  await createRun(stack.db, {
    evaluationId: 'eval-rpt',
    districtId: D,
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 3,
    status: 'completed',
    phase: 'done',
    progress: { done: teams.length, total: teams.length },
    startedBy: 'evaluator',
    createdAt: '2026-10-05T00:00:00.000Z',
    fingerprint: 'f'.repeat(64),
  });
  await finalizePeriod(stack.db, D, '2026Q3', 'eval-rpt');
  const totals = ['91.50', '88.00', '88.00', '62.25', '79.10'];
  await putScores(
    stack.db,
    teams.map((team, i) => ({
      evaluationId: 'eval-rpt',
      teamId: team.teamId,
      institutionId: team.institutionId,
      score: {
        teamId: team.teamId,
        status: 'scored',
        total: totals[i]!,
        indicators: [],
        domains: [],
        gates:
          i === 3
            ? [
                {
                  kind: 'floor',
                  label: { en: 'Follow-up rate', zh: '随访率' },
                  status: 'triggered',
                  effect: { capPercent: 50 },
                  value: '40',
                  explanation: { en: 'Follow-up rate 40 % below floor 60 %', zh: '随访率 40%，低于底线 60%' },
                },
              ]
            : [],
        eligibility: i === 3 ? 'capped' : 'eligible',
        capPercent: i === 3 ? 50 : 100,
      } as TeamScore,
      rank: null,
      percentile: null,
    })),
  );
  const created = await json<SettlementView>(
    await settlementCall(stack, 'POST', `/districts/${D}/settlements`, {
      token: await officer('finance-a'),
      body: { evaluationId: 'eval-rpt', poolFen: POOL, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
    }),
    201,
  );
  settlementId = created.settlementId;
}, 120_000);

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

describe('the workbook', () => {
  it('has the five sheets in Chinese, a summary watermarked 草稿, and totals to the fen', async () => {
    const token = await officer('finance-a');
    const settlement = (await getSettlement(stack.db, settlementId))!;
    const response = await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token });
    expect(response.headers.get('content-type')).toBe(XLSX);
    const disposition = response.headers.get('content-disposition')!;
    expect(disposition).toContain(`filename="settlement-report-${settlementId}-DRAFT.xlsx"`);
    expect(decodeFileNameStar(disposition)).toBe(`家庭医生结算报表-${settlementId}-草稿.xlsx`);
    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '团队激励与补助', '成员分配', '机构补助结算', '收费说明']);

    const summary = rowsOf(workbook.getWorksheet('汇总')!);
    expect(summary[0]).toEqual(['家庭医生团队激励与签约补助结算报表', '草稿：尚未批准，不得据此付款']);
    const fact = (label: string) => summary.find((row) => row[0] === label)?.[1];
    expect(fact('结算编号')).toBe(settlementId);
    expect(fact('评价编号')).toBe('eval-rpt');
    expect(fact('评价标准版本')).toBe(3);
    expect(fact('周期')).toBe('2026Q3');
    expect(fact('指纹（sha256）')).toBe(settlement.fingerprint);
    expect(fact('区')).toBe(`${D} 区 (${D})`);
    expect(String(fact('状态'))).toContain('草稿');
    expect(fact('批准人')).toBe('—');
    // 1,234,567 fen is exactly the double 12345.67, formatted as yuan
    expect(fact('奖励池（元）')).toBe(12345.67);
    expect(Object.is(fact('奖励池（元）'), 1234567 / 100)).toBe(true);
    const poolRow = workbook.getWorksheet('汇总')!.getRow(summary.findIndex((row) => row[0] === '奖励池（元）') + 1);
    expect(poolRow.getCell(2).numFmt).toContain('"¥"#,##0.00');
    expect(fenOf(fact('已分配激励（元）'))).toBe(settlement.totals.paidFen);
    expect(fenOf(fact('签约补助合计（元）'))).toBe(settlement.totals.subsidyFen);
    // the reconciliation: lines add up to the pool and to the subsidy total
    const check = (label: string) => summary.find((row) => row[0] === label)!;
    const poolCheck = check('Σ 团队激励 + 未分配 = 奖励池');
    expect(fenOf(poolCheck[1]) + fenOf(poolCheck[2])).toBe(POOL);
    expect(fenOf(poolCheck[3])).toBe(POOL);
    expect(poolCheck[4]).toBe('相符 ✓');
    for (const label of ['Σ 团队补助 = 签约补助合计', 'Σ 机构补助 = 签约补助合计']) {
      expect(fenOf(check(label)[1])).toBe(settlement.totals.subsidyFen);
      expect(check(label)[4]).toBe('相符 ✓');
    }
    expect(allText(workbook)).not.toContain('不符');
  });

  it('lists every line with amounts equal to the stored lines, frozen, filtered and sized', async () => {
    const token = await officer('finance-a');
    const settlement = (await getSettlement(stack.db, settlementId))!;
    const workbook = await workbookOf(await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token }));
    const teamLines = await lines<TeamLine>(settlementId, 'team', token);
    const memberLines = await lines<MemberLine>(settlementId, 'member', token);
    const institutionLines = await lines<InstitutionLine>(settlementId, 'institution', token);

    const teamSheet = workbook.getWorksheet('团队激励与补助')!;
    const teamRows = dataRows(teamSheet);
    expect(teamRows[0]).toEqual([
      '机构',
      '机构编码',
      '团队',
      '团队编码',
      '得分',
      '排名',
      '资格',
      '门槛',
      '有效签约数',
      '补助签约数',
      '激励（元）',
      '补助（元）',
      '合计（元）',
      '说明',
    ]);
    expect(teamRows).toHaveLength(1 + settlement.lineCounts.team);
    expect(teamSheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(teamSheet.autoFilter).toBe(`A1:N${teamRows.length}`);
    // each amount is the exact double of its fen, in the lines' order
    expect(column(teamRows, '团队编码')).toEqual(teamLines.map((l) => l.teamId));
    expect(column(teamRows, '激励（元）').every((value, i) => Object.is(value, yuanOf(teamLines[i]!.amount)))).toBe(true);
    expect(sum(column(teamRows, '激励（元）').map(fenOf))).toBe(settlement.totals.paidFen);
    expect(sum(column(teamRows, '补助（元）').map(fenOf))).toBe(settlement.totals.subsidyFen);
    expect(sum(column(teamRows, '合计（元）').map(fenOf))).toBe(settlement.totals.paidFen + settlement.totals.subsidyFen);
    expect(teamSheet.getRow(2).getCell(11).numFmt).toContain('"¥"#,##0.00');
    // ranks as the evaluation ranks them ("1224"): 91.50 first, the two 88.00 share 2nd, 79.10 is 4th
    const rankOf = (teamId: string) => teamRows[1 + teamLines.findIndex((l) => l.teamId === teamId)]![5];
    expect([teams[0], teams[1], teams[2], teams[4], teams[3]].map((t) => rankOf(t!.teamId))).toEqual([1, 2, 2, 4, 5]);
    expect(teamRows.find((row) => row[3] === teams[3]!.teamId)![6]).toBe('限额 50%');
    expect(String(teamRows.find((row) => row[3] === teams[3]!.teamId)![7])).toContain('随访率');
    // widths fit: the CJK institution names count double; nothing is wider than its cap
    const widths = (teamSheet.columns ?? []).map((c) => c.width ?? 0);
    expect(widths[0]).toBeGreaterThanOrEqual(2 * '测试社区卫生服务中心'.length);
    expect(widths[3]).toBeGreaterThanOrEqual('rpt-d-inst-1-team-1'.length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(80);

    const memberRows = dataRows(workbook.getWorksheet('成员分配')!);
    expect(memberRows[0]).toEqual(['机构', '团队', '团队编码', '成员', '成员编码', '角色', '在岗天数', '分配比例', '金额（元）']);
    expect(memberRows).toHaveLength(1 + memberLines.length);
    expect(sum(column(memberRows, '金额（元）').map(fenOf))).toBe(settlement.totals.membersFen);
    expect(column(memberRows, '团队')[0]).toBe('测试团队 1-1');
    expect(column(memberRows, '角色')).toContain('全科医生');

    const institutionRows = dataRows(workbook.getWorksheet('机构补助结算')!);
    expect(institutionRows).toHaveLength(1 + institutionLines.length);
    expect(sum(column(institutionRows, '补助（元）').map(fenOf))).toBe(settlement.totals.subsidyFen);
    expect(sum(column(institutionRows, '激励（元）').map(fenOf))).toBe(settlement.totals.paidFen);
    expect(column(institutionRows, '举办性质')).toContain('社会办');

    // the fee statement: the social-run institution may collect its fee minus the yearly subsidy
    const feeRows = rowsOf(workbook.getWorksheet('收费说明')!);
    const chronic = feeRows.find((row) => row[4] === 'chronic')!;
    expect(chronic.slice(0, 5)).toEqual(['康宁社区卫生服务站', 'rpt-social', '社会办', '慢病管理包', 'chronic']);
    expect([fenOf(chronic[5]), fenOf(chronic[6]), fenOf(chronic[7])]).toEqual([30_000, 12_000, 18_000]);
    expect(feeRows.filter((row) => row[2] === '政府办').every((row) => row[7] === 0)).toBe(true);
  });

  it('neutralises text that a spreadsheet would run as a formula, and keeps numbers numbers', async () => {
    const workbook = await workbookOf(await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token: await officer('finance-a') }));
    const teamRows = dataRows(workbook.getWorksheet('团队激励与补助')!);
    expect(column(teamRows, '团队')).toContain(`'${FORMULA_TEAM}`);
    const memberNames = column(dataRows(workbook.getWorksheet('成员分配')!), '成员');
    expect(memberNames).toEqual(expect.arrayContaining(["'+1", "'@SUM(1+1)", "'-2+3"]));
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          // the only formulas are the workbook's own sums and checks: injected text never becomes one
          if (cell.type === ExcelJS.ValueType.Formula) expect(cell.formula, `${sheet.name}!${cell.address}`).toMatch(OWN_FORMULA);
          if (typeof cell.value === 'string') expect(cell.value, `${sheet.name}!${cell.address}`).not.toMatch(/^[=+\-@\t\r]/);
        }),
      );
    }
  });

  it('holds no identity number: residents appear only as counts', async () => {
    const workbook = await workbookOf(await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token: await officer('finance-a') }));
    const text = allText(workbook);
    expect(text).not.toMatch(IDENTITY_PATTERN);
    for (const number of identityNumbers) {
      expect(text).not.toContain(number);
      expect(text).not.toContain(number.slice(-4));
    }
    expect(sum(column(dataRows(workbook.getWorksheet('团队激励与补助')!), '有效签约数') as number[])).toBe(identityNumbers.length);
  });

  it('speaks English with ?lang=en: sheet names, headers and an ASCII file name', async () => {
    const response = await stack.request('GET', `/settlements/${settlementId}/report.xlsx?lang=en`, { token: await officer('finance-a') });
    expect(decodeFileNameStar(response.headers.get('content-disposition')!)).toBe(`settlement-report-${settlementId}-DRAFT.xlsx`);
    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Teams', 'Members', 'Institution subsidy', 'Fee statement']);
    expect(rowsOf(workbook.getWorksheet('Summary')!)[0]![1]).toBe('DRAFT: not approved; do not pay from it');
    expect(dataRows(workbook.getWorksheet('Teams')!)[0]!.slice(0, 6)).toEqual(['Institution', 'Institution ID', 'Team', 'Team ID', 'Score', 'Rank']);
    expect(dataRows(workbook.getWorksheet('Members')!)[0]).toContain('Days present');
  });
});

describe('the CSVs', () => {
  it('are RFC 4180 UTF-8 with a BOM, the same columns as the workbook, totals to the fen', async () => {
    const token = await officer('finance-a');
    const settlement = (await getSettlement(stack.db, settlementId))!;
    const workbook = await workbookOf(await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token }));
    const expected = {
      teams: { sheet: '团队激励与补助', rows: settlement.lineCounts.team },
      members: { sheet: '成员分配', rows: settlement.lineCounts.member },
      institutions: { sheet: '机构补助结算', rows: settlement.lineCounts.institution },
      fees: { sheet: '收费说明', rows: rowsOf(workbook.getWorksheet('收费说明')!).length - 1 },
    };
    for (const [sheet, { sheet: sheetName, rows: count }] of Object.entries(expected)) {
      const response = await stack.request('GET', `/settlements/${settlementId}/report.csv?sheet=${sheet}`, { token });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(decodeFileNameStar(response.headers.get('content-disposition')!)).toBe(`家庭医生结算报表-${settlementId}-${sheetName}-草稿.csv`);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text.split('\r\n').length).toBeGreaterThan(count);
      expect(text.endsWith('\r\n')).toBe(true);
      const rows = draftCsv(bytes, settlementId);
      expect(rows[0], sheet).toEqual(rowsOf(workbook.getWorksheet(sheetName)!)[0]);
      expect(rows).toHaveLength(1 + count);
      expect(text).not.toMatch(IDENTITY_PATTERN);
    }

    const teams = draftCsv(
      Buffer.from(await (await stack.request('GET', `/settlements/${settlementId}/report.csv?sheet=teams`, { token })).arrayBuffer()),
      settlementId,
    );
    expect(sum(column(teams, '激励（元）').map(fenOf))).toBe(settlement.totals.paidFen);
    expect(sum(column(teams, '补助（元）').map(fenOf))).toBe(settlement.totals.subsidyFen);
    expect(column(teams, '激励（元）').every((v) => /^\d+\.\d{2}$/.test(String(v)))).toBe(true);
    expect(column(teams, '团队')).toContain(`'${FORMULA_TEAM}`);
    const members = draftCsv(
      Buffer.from(await (await stack.request('GET', `/settlements/${settlementId}/report.csv?sheet=members`, { token })).arrayBuffer()),
      settlementId,
    );
    expect(sum(column(members, '金额（元）').map(fenOf))).toBe(settlement.totals.membersFen);
    expect(column(members, '成员')).toEqual(expect.arrayContaining(["'+1", "'@SUM(1+1)", "'-2+3"]));
    const institutions = draftCsv(
      Buffer.from(await (await stack.request('GET', `/settlements/${settlementId}/report.csv?sheet=institutions`, { token })).arrayBuffer()),
      settlementId,
    );
    expect(sum(column(institutions, '补助（元）').map(fenOf))).toBe(settlement.totals.subsidyFen);
  });

  it('speaks English with ?lang=en', async () => {
    const response = await stack.request('GET', `/settlements/${settlementId}/report.csv?sheet=members&lang=en`, { token: await officer('finance-a') });
    expect(response.headers.get('content-disposition')).toContain(`filename="settlement-report-${settlementId}-members-DRAFT.csv"`);
    const rows = draftCsv(Buffer.from(await response.arrayBuffer()), settlementId, 'en');
    expect(rows[0]).toEqual(['Institution', 'Team', 'Team ID', 'Member', 'Member ID', 'Role', 'Days present', 'Share', 'Amount (yuan)']);
    expect(column(rows, 'Role')).toContain('General practitioner');
  });
});

describe('scope', () => {
  it("answers 404 for another district's officer and 403 for other roles", async () => {
    const away = await officer('finance-x', 'rpt-other');
    for (const path of [`/settlements/${settlementId}/report.xlsx`, `/settlements/${settlementId}/report.csv?sheet=members`]) {
      expect((await stack.request('GET', path, { token: away })).status).toBe(404);
      expect((await stack.request('GET', path, { token: await stack.token('evaluator', { districtId: D }) })).status).toBe(403);
      expect((await stack.request('GET', path, { token: await stack.token('admin') })).status).toBe(200);
    }
    const job = await json<{ jobId: string }>(
      await stack.request('POST', `/settlements/${settlementId}/reports`, { token: await officer('finance-a'), body: { format: 'csv', sheet: 'fees' } }),
      202,
    );
    expect((await stack.request('GET', `/report-jobs/${job.jobId}`, { token: away })).status).toBe(404);
    expect((await stack.request('GET', `/report-jobs/${job.jobId}/file`, { token: away })).status).toBe(404);
    expect((await stack.request('POST', `/settlements/${settlementId}/reports`, { token: away, body: { format: 'xlsx' } })).status).toBe(404);
    expect((await stack.request('POST', `/settlements/${settlementId}/reports`, { token: await stack.token('admin'), body: { format: 'xlsx' } })).status).toBe(
      202,
    );
    expect((await stack.request('GET', `/report-jobs/${job.jobId}`, { token: await stack.token('admin') })).status).toBe(200);
  });
});

interface JobView {
  jobId: string;
  status: string;
  progress: { rows: number; total: number; percent: number };
  fileName: string;
  downloadUrl: string | null;
  bytes: number | null;
}

async function pollDone(token: string, jobId: string): Promise<JobView> {
  for (let i = 0; i < 100; i++) {
    const job = await json<JobView>(await stack.request('GET', `/report-jobs/${jobId}`, { token }), 200);
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('background report jobs', () => {
  it('202 → progress → download, for the workbook and a CSV', async () => {
    const token = await officer('finance-a');
    const settlement = (await getSettlement(stack.db, settlementId))!;
    const response = await stack.request('POST', `/settlements/${settlementId}/reports`, { token, body: { format: 'xlsx', lang: 'zh' } });
    const accepted = await json<JobView>(response, 202);
    expect(response.headers.get('location')).toBe(`/report-jobs/${accepted.jobId}`);
    expect(accepted.status).toBe('queued');
    expect(accepted.progress).toEqual({
      rows: 0,
      total: settlement.lineCounts.team + settlement.lineCounts.member + settlement.lineCounts.institution,
      percent: 0,
    });
    expect(accepted.fileName).toBe(`家庭医生结算报表-${settlementId}-草稿.xlsx`);

    const done = await pollDone(token, accepted.jobId);
    expect(done.status).toBe('done');
    expect(done.progress.rows).toBe(done.progress.total);
    expect(done.progress.percent).toBe(100);
    expect(done.downloadUrl).toBe(`/report-jobs/${accepted.jobId}/file`);
    const file = await stack.request('GET', done.downloadUrl!, { token });
    expect(file.headers.get('content-length')).toBe(String(done.bytes));
    expect(decodeFileNameStar(file.headers.get('content-disposition')!)).toBe(accepted.fileName);
    const workbook = await workbookOf(file);
    expect(workbook.worksheets).toHaveLength(5);
    expect(sum(column(dataRows(workbook.getWorksheet('团队激励与补助')!), '激励（元）').map(fenOf))).toBe(settlement.totals.paidFen);

    const csvJob = await json<JobView>(
      await stack.request('POST', `/settlements/${settlementId}/reports`, { token, body: { format: 'csv', sheet: 'members', lang: 'en' } }),
      202,
    );
    const csvDone = await pollDone(token, csvJob.jobId);
    expect(csvDone.fileName).toBe(`settlement-report-${settlementId}-members-DRAFT.csv`);
    const bytes = Buffer.from(await (await stack.request('GET', csvDone.downloadUrl!, { token })).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(draftCsv(bytes, settlementId, 'en').length).toBe(1 + settlement.lineCounts.member);
  });

  it('shows the progress of a running job, refuses its file (409), and validates the request', async () => {
    const token = await officer('finance-a');
    await createReportJob(stack.db, {
      jobId: 'rpt-running',
      settlementId,
      districtId: D,
      format: 'xlsx',
      sheet: null,
      lang: 'zh',
      status: 'running',
      progress: { rows: 12, total: 100 },
      fileName: 'x.xlsx',
      asciiFileName: 'x.xlsx',
      contentType: 'application/octet-stream',
      storageKey: 'reports/x/rpt-running.xlsx',
      bytes: null,
      error: null,
      createdBy: 'finance-a',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
    });
    const running = await json<JobView>(await stack.request('GET', '/report-jobs/rpt-running', { token }), 200);
    expect(running).toMatchObject({ status: 'running', progress: { rows: 12, total: 100, percent: 12 }, downloadUrl: null });
    const notReady = await stack.request('GET', '/report-jobs/rpt-running/file', { token });
    expect(notReady.status).toBe(409);
    expect(((await notReady.json()) as { code: string }).code).toBe('report-not-ready');
    const bad = await stack.request('POST', `/settlements/${settlementId}/reports`, { token, body: { format: 'pdf' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('body.format');
    expect((await stack.request('GET', `/settlements/${settlementId}/report.csv?sheet=audit`, { token })).status).toBe(400);
  });

  it('are what a large report becomes where responses are limited, started only by a POST: a GET starts no work', async () => {
    const storage = localReportStorage(reportsDir);
    const app = createApiApp();
    registerReportRoutes(app, stack.deps, (deps, roles) => access(deps, roles), {
      storage,
      largeReportsAsJobs: true,
      inlineMaxLines: 10,
      inlineMaxBytes: 4 * 1024 * 1024,
      linkTtlSeconds: 300,
    });
    const token = await officer('finance-a');
    const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
    const jobsBefore = await countReportJobs();
    // the workbook has more than 10 lines: the API names the POST that prepares it, and nothing starts
    const large = await get(`/settlements/${settlementId}/report.xlsx`);
    expect(large.status).toBe(409);
    expect(await large.json()).toMatchObject({
      code: 'report-too-large',
      format: 'xlsx',
      detail: expect.stringContaining(`POST /settlements/${settlementId}/reports`),
    });
    // the page offers the form that prepares it
    const page = await get(`/finance/settlements/${settlementId}/report.xlsx?lang=en`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="/finance/settlements/${settlementId}/reports?lang=en"`);
    expect(html).toContain('name="report" value="xlsx"');
    expect(await countReportJobs()).toBe(jobsBefore);
    // the institution sheet (3 lines) still streams
    expect((await get(`/settlements/${settlementId}/report.csv?sheet=institutions`)).status).toBe(200);

    const started = await app.request(`/settlements/${settlementId}/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'xlsx' }),
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as JobView;
    let view: JobView;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      view = (await (await get(`/report-jobs/${job.jobId}`)).json()) as JobView;
    } while (view.status !== 'done' && view.status !== 'failed');
    expect(view.status).toBe('done');
    const file = await get(`/report-jobs/${job.jobId}/file`);
    expect((await workbookOf(file)).worksheets).toHaveLength(5);
  });
});

/** Report-job items in the table (a test-only Scan). */
async function countReportJobs(): Promise<number> {
  const result = await stack.db.doc.send(
    new ScanCommand({
      TableName: stack.db.tableName,
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': 'REPORT_JOB#' },
      Select: 'COUNT',
    }),
  );
  return result.Count ?? 0;
}

describe('direct writers and consistency', () => {
  it('writeSettlementXlsx / writeSettlementCsv return the rows they wrote', async () => {
    const settlement = (await getSettlement(stack.db, settlementId))!;
    const sink = () => {
      const out = new PassThrough();
      out.resume();
      return out;
    };
    const xlsx = await writeSettlementXlsx(stack.db, settlementId, 'zh', sink());
    expect(xlsx.sheets).toMatchObject({
      teams: settlement.lineCounts.team,
      members: settlement.lineCounts.member,
      institutions: settlement.lineCounts.institution,
    });
    expect(xlsx.rows).toBe(settlement.lineCounts.team + settlement.lineCounts.member + settlement.lineCounts.institution + (xlsx.sheets.fees ?? 0));
    expect((await writeSettlementCsv(stack.db, settlementId, 'members', 'en', sink())).rows).toBe(settlement.lineCounts.member);
    await expect(writeSettlementXlsx(stack.db, 'stl-missing', 'zh', sink())).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('fails a report whose draft was recomputed while it was written (409), rather than mixing lines', async () => {
    const context = await prepareReport(stack.db, settlementId, { format: 'xlsx', lang: 'zh' });
    await json(
      await settlementCall(stack, 'POST', `/settlements/${settlementId}/recompute`, { token: await officer('finance-b'), body: { poolFen: POOL + 1 } }),
      200,
    );
    const out = new PassThrough();
    out.resume();
    await expect(writeReport(context, { format: 'xlsx', lang: 'zh' }, out)).rejects.toMatchObject({ kind: 'conflict', code: 'recomputed' });
    expect(out.destroyed).toBe(true);
  });

  it('drops the DRAFT watermark once approved, and names the approver', async () => {
    await json(
      await stack.request('POST', `/settlements/${settlementId}/approve`, {
        token: await officer('finance-c'),
        body: { comment: 'checked against the evaluation' },
      }),
      200,
    );
    const response = await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token: await officer('finance-a') });
    expect(response.headers.get('content-disposition')).toContain(`filename="settlement-report-${settlementId}.xlsx"`);
    expect(decodeFileNameStar(response.headers.get('content-disposition')!)).toBe(`家庭医生结算报表-${settlementId}.xlsx`);
    const workbook = await workbookOf(response);
    const summary = rowsOf(workbook.getWorksheet('汇总')!);
    expect(summary[0]![1]).toBe('已批准');
    expect(String(summary.find((row) => row[0] === '批准人')![1])).toMatch(/^finance-c · 2026-11-22 16:00:00 北京时间 \(UTC\+8\)$/);
    expect(allText(workbook)).not.toContain('草稿');
    expect(fenOf(summary.find((row) => row[0] === '奖励池（元）')![1])).toBe(POOL + 1);
  });
});

describe('the download log', () => {
  it('records who downloaded which report, for page (cookie) and API downloads alike', async () => {
    const logged: Record<string, unknown>[] = [];
    // the functions log through Powertools Logger, which writes JSON lines to stdout
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
      if (typeof chunk === 'string' && chunk.includes('report download')) {
        logged.push(JSON.parse(chunk) as Record<string, unknown>);
        return true;
      }
      return write(chunk as string, ...rest);
    }) as typeof process.stdout.write);
    try {
      const token = await officer('finance-download-log');
      const page = await stack.request('GET', `/finance/settlements/${settlementId}/report.csv?sheet=institutions`, {
        headers: { cookie: `gk_token=${token}` },
      });
      expect(page.status).toBe(200);
      await page.arrayBuffer();
      const api = await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token });
      expect(api.status).toBe(200);
      await api.arrayBuffer();
      // refused downloads are not downloads
      expect((await stack.request('GET', `/settlements/${settlementId}/report.xlsx`, { token: await officer('finance-elsewhere', 'rpt-other') })).status).toBe(
        404,
      );
    } finally {
      spy.mockRestore();
    }
    expect(logged).toEqual([
      expect.objectContaining({
        subject: 'finance-download-log',
        role: 'finance',
        settlementId,
        format: 'csv',
        sheet: 'institutions',
        path: `/finance/settlements/${settlementId}/report.csv`,
        via: 'stream',
      }),
      expect.objectContaining({
        subject: 'finance-download-log',
        role: 'finance',
        settlementId,
        format: 'xlsx',
        path: `/settlements/${settlementId}/report.xlsx`,
        via: 'stream',
      }),
    ]);
  });
});
