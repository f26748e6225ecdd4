/**
 * A run's team results as an XLSX workbook, as filtered and sorted on the results page: Chinese
 * (or English) headers, team and institution by name, rank, total, grade (A–E, as published) and
 * incentive eligibility. Written like the settlement workbook (../reports/xlsx.ts): exceljs's
 * streaming writer, the header row frozen, filtered and repeated on every printed page, A4
 * landscape one page wide, the hidden `_xlnm._FilterDatabase` name beside the autofilter, text
 * cells neutralised against formula injection, totals as numbers with two decimals. Below the
 * table: the run's period, criteria, the filters applied and when the file was made (China time).
 */
import { PassThrough } from 'node:stream';
import { gradeOf } from '../../domain/result-grades.ts';
import { chinaTime, columnWidth, xlsxText } from '../reports/cells.ts';
import { columnLetter, type FilterDatabase, hookWorkbookPart, quotedSheet } from '../reports/xlsx.ts';
import type { ResultRow } from './results.ts';

export { contentDisposition } from '../reports/cells.ts';
export { XLSX_CONTENT_TYPE } from '../reports/content-types.ts';

export type ResultsWorkbookLang = 'zh' | 'en';

const TEXT = {
  zh: {
    sheet: '考核结果',
    headers: ['名次', '团队', '机构', '总分', '等级', '激励资格', '封顶比例（%）'],
    eligibility: { eligible: '合格', capped: '限额', void: '作废' },
    notScored: '未评分',
    period: '考核周期',
    criteria: '考核标准',
    filters: '筛选条件',
    rows: '团队数',
    generated: '生成时间',
  },
  en: {
    sheet: 'Results',
    headers: ['Rank', 'Team', 'Institution', 'Total', 'Grade', 'Incentive eligibility', 'Cap (%)'],
    eligibility: { eligible: 'eligible', capped: 'capped', void: 'void' },
    notScored: 'not scored',
    period: 'Period',
    criteria: 'Criteria',
    filters: 'Filters',
    rows: 'Teams',
    generated: 'Generated',
  },
};

export interface ResultsWorkbookInfo {
  /** as the page names them: "2026年第三季度", "2026 年第三季度考核标准（第 2 版）", "机构：…；等级：…" */
  period: string;
  criteria: string;
  filters: string;
}

type RowCells = [number | null, string, string, number | null, string, string, number | null];

function cellsOf(row: ResultRow, lang: ResultsWorkbookLang): RowCells {
  const t = TEXT[lang];
  const total = row.score.total;
  return [
    row.rank,
    xlsxText(row.teamName),
    xlsxText(row.institutionName),
    total === null || total === undefined ? null : Number(total),
    total === null || total === undefined ? t.notScored : (gradeOf(total) ?? ''),
    t.eligibility[row.score.eligibility],
    row.score.eligibility === 'capped' ? row.score.capPercent : null,
  ];
}

export async function resultsWorkbook(rows: readonly ResultRow[], info: ResultsWorkbookInfo, lang: ResultsWorkbookLang, now: Date): Promise<Buffer> {
  const { default: WorkbookWriter } = await import('exceljs/lib/stream/xlsx/workbook-writer.js');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Gatekeeper';
  workbook.created = now;
  workbook.modified = now;
  const filters: FilterDatabase[] = [];
  hookWorkbookPart(workbook, filters);
  const t = TEXT[lang];
  const sheet = workbook.addWorksheet(t.sheet, {
    views: [{ state: 'frozen', ySplit: 1 }],
    headerFooter: { oddFooter: '&R&P / &N' },
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  const body = rows.map((row) => cellsOf(row, lang));
  const formats = ['#,##0', undefined, undefined, '0.00', undefined, undefined, '0'];
  sheet.columns = t.headers.map((header, i) => ({
    width: columnWidth(
      header,
      body.map((cells) => (cells[i] === null ? '' : String(cells[i]))),
    ),
    ...(formats[i] ? { style: { numFmt: formats[i] } } : {}),
  }));
  const header = sheet.addRow(t.headers);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.commit();
  for (const cells of body) sheet.addRow(cells).commit();
  const lastRow = Math.max(1, body.length + 1);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastRow, column: t.headers.length } };
  filters.push({ sheetIndex: 0, ref: `${quotedSheet(t.sheet)}!$A$1:$${columnLetter(t.headers.length - 1)}$${lastRow}` });
  sheet.addRow([]).commit();
  for (const [label, value] of [
    [t.period, info.period],
    [t.criteria, info.criteria],
    [t.filters, info.filters],
    [t.rows, String(body.length)],
    [t.generated, chinaTime(now, lang)],
  ] as const) {
    const row = sheet.addRow([xlsxText(label), xlsxText(value)]);
    row.getCell(1).font = { bold: true };
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}
