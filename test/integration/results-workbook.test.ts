/**
 * The evaluator's results export: the XLSX of a completed run as filtered and sorted on the run
 * page, read back with exceljs and its raw workbook part. Chinese headers, team and institution
 * names (never ids), ranks and totals as numbers, grades A–E, eligibility in words, the filter
 * and order of the page applied to all pages (not just the one shown), the header frozen and
 * repeated on printed pages, the autofilter with its hidden _xlnm._FilterDatabase name, the notes
 * below the table; English when the page is; refused for a run still going and out of district.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { createTestDistrict, type TestDistrict } from '../support/fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { zipEntry } from '../support/zip-entry.ts';

const D = 'results-xlsx';
const RUN = 'eval-results-xlsx';
// 3 institutions × 20 teams: more than one page (50) of results
const TOTALS = Array.from({ length: 60 }, (_, i) => (i === 7 ? null : (95 - i * 0.75).toFixed(2)));
let stack: TestStack;
let district: TestDistrict;
let evaluator: string;

beforeAll(async () => {
  stack = await createTestStack({ now: () => new Date('2026-11-22T08:00:00Z') });
  district = await createTestDistrict(stack.db, D, { institutions: 3, teamsPerInstitution: 20 });
  const base = { districtId: D, period: '2026Q3', baselinePeriod: null, criteriaVersion: 1, startedBy: 'evaluator', fingerprint: 'd'.repeat(64) };
  await createRun(stack.db, {
    ...base,
    evaluationId: RUN,
    status: 'completed',
    phase: 'done',
    progress: { done: 60, total: 60 },
    createdAt: '2026-10-05T00:00:00.000Z',
    completedAt: '2026-10-05T00:30:00.000Z',
  });
  await createRun(stack.db, {
    ...base,
    evaluationId: 'eval-running',
    status: 'running',
    phase: 'scores',
    progress: { done: 1, total: 60 },
    createdAt: '2026-10-06T00:00:00.000Z',
  });
  const ranked = TOTALS.map((total, i) => ({ total, i }))
    .filter((x) => x.total !== null)
    .sort((a, b) => Number(b.total) - Number(a.total));
  await putScores(
    stack.db,
    district.teams.map((team, i) => {
      const total = TOTALS[i]!;
      const eligibility = total === null ? 'void' : i % 10 === 3 ? 'capped' : 'eligible';
      return {
        evaluationId: RUN,
        teamId: team.teamId,
        institutionId: team.institutionId,
        score: {
          teamId: team.teamId,
          status: total === null ? 'void' : 'scored',
          total,
          indicators: [],
          domains: [],
          gates: [],
          eligibility,
          capPercent: eligibility === 'capped' ? 80 : 100,
        } as TeamScore,
        rank: total === null ? null : ranked.findIndex((x) => x.i === i) + 1,
        percentile: null,
      };
    }),
  );
  evaluator = await stack.token('evaluator', { districtId: D });
}, 60_000);

async function download(query: string, token = evaluator) {
  const response = await stack.request('GET', `/evaluator/evaluations/${RUN}/results.xlsx${query}`, { token });
  return response;
}

async function workbookOf(response: Response): Promise<{ bytes: Buffer; workbook: ExcelJS.Workbook; sheet: ExcelJS.Worksheet }> {
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return { bytes, workbook, sheet: workbook.worksheets[0]! };
}

const rowValues = (sheet: ExcelJS.Worksheet, r: number) => (sheet.getRow(r).values as unknown[]).slice(1);

describe('results XLSX export', () => {
  it('writes every result of the filtered, sorted query with Chinese headers, names, ranks and grades', async () => {
    const second = district.institutionIds[1]!;
    const response = await download(`?lang=zh&institution=${second}&sort=total`);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('考核结果-2026年第三季度.xlsx')}`);
    const { sheet, bytes } = await workbookOf(response);
    expect(sheet.name).toBe('考核结果');
    expect(rowValues(sheet, 1)).toEqual(['名次', '团队', '机构', '总分', '等级', '激励资格', '封顶比例（%）']);
    // institution 2 holds teams 21–40 (totals 80.00 down to 65.75), all 20 of them, best first
    const rows = Array.from({ length: 20 }, (_, k) => rowValues(sheet, k + 2));
    expect(rows.map((r) => r[1])).toEqual(Array.from({ length: 20 }, (_, k) => `测试团队 2-${k + 1}`));
    expect(rows.every((r) => r[2] === '测试社区卫生服务中心 2')).toBe(true);
    expect(rows[0]).toEqual([20, '测试团队 2-1', '测试社区卫生服务中心 2', 80, 'B', '合格']);
    expect(rows[3]).toEqual([23, '测试团队 2-4', '测试社区卫生服务中心 2', 77.75, 'C', '限额', 80]);
    expect(rows[19]).toEqual([39, '测试团队 2-20', '测试社区卫生服务中心 2', 65.75, 'D', '合格']);
    expect(sheet.getRow(2).getCell(4).numFmt).toBe('0.00');
    expect(rowValues(sheet, 22)).toEqual([]);
    const notes = Object.fromEntries([23, 24, 25, 26, 27].map((r) => rowValues(sheet, r) as [string, string]));
    expect(notes).toEqual({
      考核周期: '2026年第三季度',
      考核标准: '（第 1 版）',
      筛选条件: '机构：测试社区卫生服务中心 2；排序：总分',
      团队数: '20',
      生成时间: '2026-11-22 16:00:00 北京时间 (UTC+8)',
    });
    const text = JSON.stringify(Array.from({ length: sheet.rowCount }, (_, r) => rowValues(sheet, r + 1)));
    for (const id of [...district.institutionIds, ...district.teams.map((t) => t.teamId), RUN]) expect(text).not.toContain(id);

    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
    expect(String(sheet.autoFilter)).toBe('A1:G21');
    const part = zipEntry(bytes, 'xl/workbook.xml')!;
    expect(part).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'考核结果'!$A$1:$G$21</definedName>`);
    expect(part).toContain('_xlnm.Print_Titles');
  });

  it('keeps the page order across all pages, the unscored team last with no grade, and the void filter', async () => {
    const { sheet } = await workbookOf(await download('?lang=zh'));
    expect(sheet.getRow(2).getCell(1).value).toBe(1);
    expect(sheet.getRow(60).getCell(1).value).toBe(59);
    expect(rowValues(sheet, 61).slice(1, 6)).toEqual(['测试团队 1-8', '测试社区卫生服务中心 1', undefined, '未评分', '作废']);
    expect(sheet.getRow(61).getCell(1).value).toBeNull();
    const voids = await workbookOf(await download('?lang=zh&eligibility=void&q=1-8'));
    expect(rowValues(voids.sheet, 2).slice(1, 6)).toEqual(['测试团队 1-8', '测试社区卫生服务中心 1', undefined, '未评分', '作废']);
    expect(rowValues(voids.sheet, 3)).toEqual([]);
  });

  it('speaks English when the page does', async () => {
    const { sheet } = await workbookOf(await download('?lang=en&sort=team&desc=1'));
    expect(sheet.name).toBe('Results');
    expect(rowValues(sheet, 1)).toEqual(['Rank', 'Team', 'Institution', 'Total', 'Grade', 'Incentive eligibility', 'Cap (%)']);
    expect(rowValues(sheet, 2)[1]).toBe('测试团队 3-9');
  });

  it('refuses a run still going and a run of another district', async () => {
    const running = await stack.request('GET', '/evaluator/evaluations/eval-running/results.xlsx', { token: evaluator });
    expect(running.status).toBe(409);
    expect(await running.text()).toContain('该评价尚未完成，还没有结果可以导出');
    const stranger = await stack.token('evaluator', { districtId: 'elsewhere' });
    expect((await download('', stranger)).status).toBe(404);
    const clerk = await stack.token('clerk', { districtId: D, institutionId: district.institutionIds[0]! });
    expect((await download('', clerk)).status).toBe(403);
  });
});
