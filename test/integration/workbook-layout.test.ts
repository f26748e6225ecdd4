/**
 * The settlement workbook as a finance officer prints, checks and forwards it, read back with
 * exceljs (and its raw workbook part): SUM formulas in a totals row of every summed sheet with
 * cached results equal to the fen, the summary's reconciliation as formulas over the sheets, a
 * funding-source table, a sign-off block with China-time dates, A4 landscape fitted to one page
 * wide with the header row repeated, wrapped multi-line cells, the hidden _xlnm._FilterDatabase
 * names beside the autofilters, shares as numbers, and a DRAFT line inside draft CSVs.
 *
 * Where LibreOffice is installed (Debian's libreoffice-calc-nogui; `soffice`), the workbook is
 * converted to PDF headless: the summary fits one page and no sheet is more than one page wide
 * (each sheet of this small settlement prints on exactly one page; a sheet cut into bands would
 * add pages). Without soffice that test is skipped and says why.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinanceDistrict, type FinanceDistrict, fenOf, json, type SettlementView, settle } from '../support/finance-fixtures.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { zipEntry } from '../support/zip-entry.ts';

const run = promisify(execFile);
const D = 'wb-d';
const SOURCES = [
  { code: 'insurance-fund', name: '医保基金', incentiveShare: '0', subsidyShare: '3' },
  { code: 'public-health', name: '基本公共卫生经费', incentiveShare: '1', subsidyShare: '1' },
];
let stack: TestStack;
let district: FinanceDistrict;
let approved: SettlementView;
let draft: SettlementView;
let workbookBytes: Buffer;
let workbook: ExcelJS.Workbook;
let dir: string;

async function soffice(): Promise<string | null> {
  for (const candidate of ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/usr/local/bin/soffice']) if (existsSync(candidate)) return candidate;
  try {
    return (await run('sh', ['-c', 'command -v soffice'])).stdout.trim() || null;
  } catch {
    return null;
  }
}
const sofficePath = await soffice();
if (!sofficePath) console.warn('workbook-layout: LibreOffice (soffice) is not installed; the PDF test is skipped. Install libreoffice-calc-nogui to run it.');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gk-workbook-'));
  stack = await createTestStack({ now: () => new Date('2026-11-22T23:36:00Z') });
  district = await createFinanceDistrict(stack, D, { contracts: [3, 1, 2, 2], periods: ['2026Q3'], scores: ['91.50', '88.00', '62.25', '79.10'] });
  approved = await settle(stack, D, {
    evaluationId: district.runs['2026Q3'],
    poolFen: 1_234_567,
    method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
    fundingSources: SOURCES,
  });
  draft = await settle(
    stack,
    D,
    { evaluationId: district.runs['2026Q3'], poolFen: 7_654_321, method: { kind: 'value-per-point', fenPerPoint: 1000 } },
    'finance-a',
    null,
  );
  const response = await stack.request('GET', `/settlements/${approved.settlementId}/report.xlsx`, {
    token: await stack.token('finance', { districtId: D, sub: 'finance-a' }),
  });
  expect(response.status).toBe(200);
  workbookBytes = Buffer.from(await response.arrayBuffer());
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(workbookBytes as unknown as ArrayBuffer);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function lastRow(sheet: ExcelJS.Worksheet): ExcelJS.Row {
  return sheet.getRow(sheet.rowCount);
}

function headerIndex(sheet: ExcelJS.Worksheet, header: string): number {
  const index = (sheet.getRow(1).values as unknown[]).indexOf(header);
  expect(index, header).toBeGreaterThan(0);
  return index;
}

describe('formulas, totals and sign-off', () => {
  it('ends every summed sheet in a totals row of SUM formulas whose values equal the settlement to the fen', () => {
    const checks: [string, string, number][] = [
      ['团队激励与补助', '激励（元）', approved.totals.paidFen],
      ['团队激励与补助', '补助（元）', approved.totals.subsidyFen],
      ['团队激励与补助', '合计（元）', approved.totals.paidFen + approved.totals.subsidyFen],
      ['机构补助结算', '激励（元）', approved.totals.paidFen],
      ['机构补助结算', '补助（元）', approved.totals.subsidyFen],
    ];
    for (const [name, header, fen] of checks) {
      const sheet = workbook.getWorksheet(name)!;
      const totals = lastRow(sheet);
      expect(totals.getCell(1).value).toBe('合计');
      const col = headerIndex(sheet, header);
      const cell = totals.getCell(col);
      const letter = cell.address.replace(/\d+$/, '');
      expect(cell.formula, `${name} ${header}`).toBe(`SUM(${letter}2:${letter}${sheet.rowCount - 1})`);
      expect(fenOf(cell.result)).toBe(fen);
      // the cached result is the sum of the cells above it
      let sum = 0;
      for (let r = 2; r < sheet.rowCount; r++) sum += fenOf(sheet.getRow(r).getCell(col).value);
      expect(sum).toBe(fen);
    }
    const members = workbook.getWorksheet('成员分配')!;
    const memberTotal = lastRow(members).getCell(headerIndex(members, '金额（元）'));
    expect(memberTotal.formula).toMatch(/^SUM\(I2:I\d+\)$/);
    // the fee statement sums nothing: no totals row
    expect(lastRow(workbook.getWorksheet('收费说明')!).getCell(1).value).not.toBe('合计');
  });

  it('reconciles the summary with formulas over the sheets, lists the funding sources and closes with a sign-off block in China time', () => {
    const summary = workbook.getWorksheet('汇总')!;
    const rows: ExcelJS.Row[] = [];
    summary.eachRow((row) => {
      rows.push(row);
    });
    const rowOf = (label: string) => rows.find((r) => r.getCell(1).value === label)!;
    const poolCheck = rowOf('Σ 团队激励 + 未分配 = 奖励池');
    expect(poolCheck.getCell(2).formula).toBe(`SUM('团队激励与补助'!K2:K${1 + 4})`);
    expect(fenOf(poolCheck.getCell(2).result)).toBe(approved.totals.paidFen);
    expect(poolCheck.getCell(5).formula).toBe(`IF(ROUND(B${poolCheck.number}+C${poolCheck.number}-D${poolCheck.number},2)=0,"相符 ✓","不符 ✗")`);
    expect(poolCheck.getCell(5).result).toBe('相符 ✓');
    expect(rowOf('Σ 成员分配 + 团队内无成员可分 = 已分配激励（生成时逐行核对）').getCell(2).formula).toMatch(/^SUM\('成员分配'!I2:I\d+\)$/);
    // funding sources: 医保基金 pays 3/4 of the subsidy, public health the incentives and 1/4
    const insurance = rowOf('医保基金');
    const publicHealth = rowOf('基本公共卫生经费');
    expect(fenOf(insurance.getCell(2).value)).toBe(0);
    expect(fenOf(insurance.getCell(3).value) + fenOf(publicHealth.getCell(3).value)).toBe(approved.totals.subsidyFen);
    expect(fenOf(publicHealth.getCell(2).value)).toBe(approved.totals.paidFen);
    expect(approved.totals.funding!.map((f) => f.totalFen)).toEqual([fenOf(insurance.getCell(4).value), fenOf(publicHealth.getCell(4).value)]);
    // sign-off: prepared by the creator, approved by the second officer, at 07:36 Beijing time (23:36 UTC the day before)
    const signOff = rows.findIndex((r) => r.getCell(1).value === '签字确认');
    expect(signOff).toBeGreaterThan(0);
    expect((rows[signOff + 1]!.values as unknown[]).slice(1)).toEqual(['职责', '姓名', '日期', '签字']);
    expect((rows[signOff + 2]!.values as unknown[]).slice(1, 4)).toEqual(['编制人', 'finance-a', '2026-11-23 07:36:00 北京时间 (UTC+8)']);
    expect((rows[signOff + 3]!.values as unknown[])[1]).toBe('复核人');
    expect((rows[signOff + 4]!.values as unknown[]).slice(1, 4)).toEqual(['批准人', 'finance-b', '2026-11-23 07:36:00 北京时间 (UTC+8)']);
    expect(String(rowOf('报表生成时间').getCell(2).value)).toBe('2026-11-23 07:36:00 北京时间 (UTC+8)');
  });
});

describe('print and travel', () => {
  it('prints A4 landscape, one page wide, header rows repeated, the summary on one page', () => {
    for (const sheet of workbook.worksheets) {
      expect(sheet.pageSetup, sheet.name).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1 });
      if (sheet.name === '汇总') expect(sheet.pageSetup.fitToHeight).toBe(1);
      else {
        expect(sheet.pageSetup.fitToHeight, sheet.name).toBe(0);
        expect(sheet.pageSetup.printTitlesRow, sheet.name).toBe('1:1');
      }
    }
  });

  it('wraps long and multi-line cells, keeps shares numbers, and names each autofilter range for other programs', () => {
    const institutions = workbook.getWorksheet('机构补助结算')!;
    const fee = institutions.getRow(2).getCell(headerIndex(institutions, '收费说明'));
    expect(fee.alignment?.wrapText).toBe(true);
    const members = workbook.getWorksheet('成员分配')!;
    const shareColumn = headerIndex(members, '分配比例');
    for (let r = 2; r < members.rowCount; r++) expect(typeof members.getRow(r).getCell(shareColumn).value, `row ${r}`).toBe('number');
    const part = zipEntry(workbookBytes, 'xl/workbook.xml')!;
    for (const [index, name] of ['团队激励与补助', '成员分配', '机构补助结算', '收费说明'].entries()) {
      const sheet = workbook.getWorksheet(name)!;
      expect(part).toContain(
        `<definedName name="_xlnm._FilterDatabase" localSheetId="${index + 1}" hidden="1">'${name}'!$A$1:$${String(sheet.autoFilter)
          .split(':')[1]!
          .replace(/(\d+)$/, '$$$1')}</definedName>`,
      );
    }
    expect(part).toContain('_xlnm.Print_Titles');
  });

  it('marks a draft CSV as DRAFT inside, on its first line', async () => {
    const token = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const records = parse(
      Buffer.from(await (await stack.request('GET', `/settlements/${draft.settlementId}/report.csv?sheet=institutions&lang=en`, { token })).arrayBuffer()),
      {
        bom: true,
        relax_column_count: true,
      },
    ) as string[][];
    expect(records[0]).toEqual(['DRAFT', 'DRAFT: not approved; do not pay from it', draft.settlementId]);
    const approvedCsv = parse(
      Buffer.from(await (await stack.request('GET', `/settlements/${approved.settlementId}/report.csv?sheet=institutions`, { token })).arrayBuffer()),
      { bom: true },
    ) as string[][];
    expect(approvedCsv[0]![0]).toBe('机构');
    await json(await stack.request('GET', `/settlements/${draft.settlementId}`, { token }), 200);
  });

  it.skipIf(!sofficePath)(
    'converts to PDF in LibreOffice: the summary on one page, no sheet more than one page wide',
    async () => {
      const input = join(dir, 'settlement.xlsx');
      await writeFile(input, workbookBytes);
      // a profile of its own, so it never meets another LibreOffice running on the machine
      const profile = `file://${join(dir, 'lo-profile')}`;
      await run(sofficePath!, [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input], {
        timeout: 120_000,
      });
      const pdf = (await readFile(join(dir, 'settlement.pdf'))).toString('latin1');
      const pages = pdf.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
      // five sheets of a few rows each: one page per sheet when each is one page wide and the summary fits one page
      expect(pages).toBe(workbook.worksheets.length);
      // A4 landscape: 297 × 210 mm is 841.9 × 595.3 points
      const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) expect(box).toEqual([842, 595]);
    },
    180_000,
  );
});
