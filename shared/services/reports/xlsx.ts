/**
 * The settlement workbook, written with exceljs's streaming WorkbookWriter: a summary sheet, then
 * teams, members, institution subsidy and the fee statement. Each row is committed as soon as it
 * is added, so memory does not grow with the number of lines; the zip is produced as the rows go.
 *
 * In the streaming writer a sheet's column widths are written before its first row, so widths are
 * estimated from the header and the first SAMPLE_ROWS rows (held back until then). Sheets are
 * written one after the other (a later sheet's rows would be buffered until the earlier one is
 * committed), which is why the summary's sums come from the first pass (./source.ts) and not from
 * the sheets that follow it.
 *
 * What a finance officer expects of a workbook they print, check and forward:
 * - every data sheet ends in a totals row of SUM formulas (with their values cached, so a viewer
 *   that does not recalculate shows them too); the summary's reconciliation sums the sheets with
 *   formulas and says whether they agree with an IF formula; a sign-off block (prepared by,
 *   checked by, approved by, with dates) closes the summary;
 * - A4 landscape, fitted to one page wide (the summary to one page), the header row repeated on
 *   every printed page, long and multi-line text cells wrapped, page numbers in the footer;
 * - autofilters that survive other spreadsheet programs: besides the sheet's <autoFilter>, the
 *   hidden `_xlnm._FilterDatabase` name per sheet that Excel writes and LibreOffice needs;
 * - times in China Standard Time with the zone named; numbers (shares too) as numbers.
 * Text cells stay neutralised against formula injection (./cells.ts): only our own formulas are formulas.
 */
import type { Writable } from 'node:stream';
import type { stream, Worksheet } from 'exceljs';
import { describeMethod } from '../../domain/settlements/compute.ts';
import { chinaTime, columnWidth, displayWidth, xlsxText, yuanDisplay, yuanOf } from './cells.ts';
import { type ProgressOptions, relieve } from './flow.ts';
import { type Cell, type Column, feesSheet, institutionsSheet, membersSheet, type SheetSource, teamsSheet } from './sheets.ts';
import { assertSameComputation, finishSheet, type ReportContext } from './source.ts';
import { memberRoleName } from '../../domain/role-names.ts';
import type { SheetId } from './texts.ts';

/** Yuan with two decimals; negatives (differences of a correction) in red. */
export const MONEY_FORMAT = '"¥"#,##0.00;[Red]-"¥"#,##0.00';
const SCORE_FORMAT = '0.00';
const INT_FORMAT = '#,##0';
const SAMPLE_ROWS = 200;
/** A4 (paper size 9) landscape, one page wide; margins in inches */
const PRINT = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
} as const;

export interface ReportResult {
  /** data rows written (headers and the summary not counted) */
  rows: number;
  sheets: Partial<Record<SheetId, number>>;
}

const DECIMAL = /^\d+(\.\d+)?$/;

function displayOf(column: Column, value: Cell): string {
  if (value === null) return '';
  if (column.kind === 'money') return yuanDisplay(value as number);
  return String(value);
}

function xlsxValue(column: Column, value: Cell): string | number | null {
  if (value === null) return null;
  switch (column.kind) {
    case 'money':
      return yuanOf(value as number);
    case 'score':
      return Number(value);
    case 'int':
      return value as number;
    case 'decimal':
      return DECIMAL.test(String(value)) ? Number(value) : xlsxText(String(value));
    case 'text':
      return xlsxText(String(value));
  }
}

const FORMAT_OF: Record<Column['kind'], string | undefined> = {
  money: MONEY_FORMAT,
  score: SCORE_FORMAT,
  int: INT_FORMAT,
  decimal: undefined,
  text: undefined,
};

/** "A", …, "Z", "AA", … for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A sheet name in a formula or defined name: always quoted, quotes doubled. */
export function quotedSheet(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

function headerFooterOf(context: ReportContext) {
  const pages = '&R&P / &N';
  if (context.settlement.status !== 'draft') return { oddFooter: pages };
  // printed pages carry the watermark too: "草稿" / "DRAFT" centred in the header, in bold red
  return { oddHeader: `&C&"-,Bold"&14&KFF0000${context.t.draft}`, oddFooter: `&C${context.t.draftNotice}${pages}` };
}

type SummaryCell = { text: string } | { fen: number } | { int: number } | { formula: string; fen: number } | { formula: string; text: string } | null;

/** Where a summed column of a data sheet is: for the summary's formulas. */
interface SheetColumnRef {
  sheet: string;
  column: string;
  rows: number;
}

function columnRef(source: SheetSource, header: string, rows: number): SheetColumnRef | null {
  const index = source.columns.findIndex((c) => c.header === header);
  return index < 0 ? null : { sheet: source.name, column: columnLetter(index), rows };
}

function sumFormula(ref: SheetColumnRef | null): string | null {
  if (!ref || ref.rows === 0) return null;
  return `SUM(${quotedSheet(ref.sheet)}!${ref.column}2:${ref.column}${ref.rows + 1})`;
}

function writeSummary(
  workbook: stream.xlsx.WorkbookWriter,
  context: ReportContext,
  refs: {
    teamIncentive: SheetColumnRef | null;
    teamSubsidy: SheetColumnRef | null;
    institutionSubsidy: SheetColumnRef | null;
    memberAmount: SheetColumnRef | null;
  },
): void {
  const { settlement: s, t, lang } = context;
  const l = t.summary;
  const totals = s.totals;
  const draft = s.status === 'draft';
  const when = (at: string | undefined) => (at ? chinaTime(at, lang) : '—');
  const who = (by: string | undefined, at: string | undefined): SummaryCell => (by ? { text: `${by} · ${when(at)}` } : { text: '—' });
  const roleShares = Object.entries(s.parameters.roleShares)
    .map(([role, share]) => `${memberRoleName(role, lang)} ${share}`)
    .join(lang === 'zh' ? '，' : ', ');

  const facts: [string, SummaryCell][] = [
    [l.district, { text: context.districtName ? `${context.districtName} (${s.districtId})` : s.districtId }],
    [l.period, { text: s.period }],
    [l.criteriaVersion, context.criteriaVersion === null ? { text: '—' } : { int: context.criteriaVersion }],
    [l.evaluationId, { text: s.evaluationId }],
    [l.settlementId, { text: s.settlementId }],
    [l.computationId, { text: s.computationId }],
    [l.fingerprint, { text: s.fingerprint }],
    [l.status, { text: draft ? `${t.status.draft} (${t.draftNotice})` : t.status[s.status] }],
    ...(s.correctionOf ? ([[l.correctionOf, { text: s.correctionOf }]] as [string, SummaryCell][]) : []),
    [l.createdBy, who(s.createdBy, s.createdAt)],
    [l.computedBy, who(s.computedBy, s.computedAt)],
    [l.approvedBy, who(s.approvedBy, s.approvedAt)],
    ...(s.closedBy ? ([[l.closedBy, who(s.closedBy, s.closedAt)]] as [string, SummaryCell][]) : []),
    [l.method, { text: describeMethod(s.parameters.method)[lang] }],
    [l.roleShares, { text: roleShares }],
    [l.subsidyRate, { fen: s.parameters.subsidyPerResidentYearFen }],
    [l.generatedAt, { text: chinaTime(context.generatedAt, lang) }],
  ];
  const totalRows: [string, SummaryCell][] = [
    [l.pool, { fen: totals.poolFen }],
    [l.paid, { fen: totals.paidFen }],
    [l.unallocated, { fen: totals.unallocatedFen }],
    [l.membersFen, { fen: totals.membersFen }],
    [l.memberUnallocated, { fen: totals.memberUnallocatedFen }],
    [l.subsidy, { fen: totals.subsidyFen }],
    [l.subsidisedContracts, { int: totals.subsidisedContracts }],
    [l.uninsuredContracts, { int: totals.uninsuredContracts }],
    [l.contractDays, { int: totals.contractDays }],
    [l.yearDays, { int: totals.yearDays }],
    [l.teams, { int: totals.teams }],
    [l.scoredTeams, { int: totals.scoredTeams }],
    [l.paidTeams, { int: totals.paidTeams }],
    [l.memberLines, { int: s.lineCounts.member }],
    [l.institutions, { int: totals.institutions }],
    ...(totals.previous
      ? ([
          [l.previousPaid, { fen: totals.previous.paidFen }],
          [l.paidDifference, { fen: totals.paidDifference ?? 0 }],
          [l.previousSubsidy, { fen: totals.previous.subsidyFen }],
          [l.subsidyDifference, { fen: totals.subsidyDifference ?? 0 }],
        ] as [string, SummaryCell][])
      : []),
  ];
  const teamSums = context.teamSums ?? { count: s.lineCounts.team, amountFen: totals.paidFen, subsidyFen: totals.subsidyFen };
  const summed = (ref: SheetColumnRef | null, fen: number): SummaryCell => {
    const formula = sumFormula(ref);
    return formula ? { formula, fen } : { fen };
  };
  const reconciliation: { cells: SummaryCell[]; ok: boolean }[] = [
    {
      cells: [{ text: l.poolCheck }, summed(refs.teamIncentive, teamSums.amountFen), { fen: totals.unallocatedFen }, { fen: totals.poolFen }],
      ok: teamSums.amountFen + totals.unallocatedFen === totals.poolFen,
    },
    {
      cells: [{ text: l.teamSubsidyCheck }, summed(refs.teamSubsidy, teamSums.subsidyFen), null, { fen: totals.subsidyFen }],
      ok: teamSums.subsidyFen === totals.subsidyFen,
    },
    {
      cells: [{ text: l.institutionSubsidyCheck }, summed(refs.institutionSubsidy, context.institutionSums.subsidyFen), null, { fen: totals.subsidyFen }],
      ok: context.institutionSums.subsidyFen === totals.subsidyFen,
    },
    {
      cells: [{ text: l.memberCheck }, summed(refs.memberAmount, totals.membersFen), { fen: totals.memberUnallocatedFen }, { fen: totals.paidFen }],
      ok: totals.membersFen + totals.memberUnallocatedFen === totals.paidFen,
    },
  ];

  const sheet = workbook.addWorksheet(t.sheets.summary, {
    headerFooter: headerFooterOf(context),
    properties: draft ? { tabColor: { argb: 'FFFF0000' } } : {},
    // the summary on one page: labels and values together
    pageSetup: { ...PRINT, fitToHeight: 1 },
  });
  const allLabels = [...facts, ...totalRows].map(([label]) => label);
  sheet.columns = [
    { width: columnWidth('', [...allLabels, l.check], 48), style: { alignment: { wrapText: true, vertical: 'top' } } },
    { width: columnWidth('', [s.fingerprint, t.title], 70), style: { alignment: { wrapText: true, vertical: 'top' } } },
    { width: 18 },
    { width: 18 },
    { width: Math.max(12, displayWidth(l.mismatch) + 4) },
  ];
  const put = (cells: (SummaryCell | string)[], style: { bold?: boolean; red?: boolean; size?: number } = {}, verdict?: { ok: boolean }) => {
    const row = sheet.addRow(
      cells.map((cell) => {
        if (cell === null) return null;
        if (typeof cell === 'string') return xlsxText(cell);
        if ('formula' in cell) return 'fen' in cell ? { formula: cell.formula, result: yuanOf(cell.fen) } : { formula: cell.formula, result: cell.text };
        if ('text' in cell) return xlsxText(cell.text);
        if ('fen' in cell) return yuanOf(cell.fen);
        return cell.int;
      }),
    );
    cells.forEach((cell, i) => {
      if (cell !== null && typeof cell === 'object' && 'fen' in cell) row.getCell(i + 1).numFmt = MONEY_FORMAT;
      if (cell !== null && typeof cell === 'object' && 'int' in cell) row.getCell(i + 1).numFmt = INT_FORMAT;
    });
    if (verdict) {
      // B + C = D, recalculated if a line is edited; the cached value is what the lines said when written
      const r = row.number;
      row.getCell(5).value = { formula: `IF(ROUND(B${r}+C${r}-D${r},2)=0,"${l.ok}","${l.mismatch}")`, result: verdict.ok ? l.ok : l.mismatch };
    }
    if (style.bold || style.red || style.size)
      row.font = { bold: style.bold ?? false, ...(style.red ? { color: { argb: 'FFC00000' } } : {}), ...(style.size ? { size: style.size } : {}) };
    row.commit();
  };
  put([t.title, draft ? t.draftNotice : t.status[s.status]], { bold: true, size: 14, red: draft });
  put([]);
  put([t.item, t.value], { bold: true });
  for (const [label, value] of facts) put([label, value], label === l.status && draft ? { red: true, bold: true } : {});
  put([]);
  put([l.totals], { bold: true });
  for (const [label, value] of totalRows) put([label, value]);
  if (totals.funding && totals.funding.length > 0) {
    put([]);
    put([l.funding], { bold: true });
    put([l.fundingSource, t.columns.incentive, t.columns.subsidy, t.columns.total], { bold: true });
    for (const f of totals.funding) put([{ text: f.name }, { fen: f.incentiveFen }, { fen: f.subsidyFen }, { fen: f.totalFen }]);
  }
  put([]);
  put([l.reconciliation], { bold: true });
  put([l.check, l.linesSum, l.plus, l.expected, l.result], { bold: true });
  for (const row of reconciliation) put([...row.cells, null], {}, { ok: row.ok });
  put([]);
  put([l.note]);
  put([]);
  put([l.signOff], { bold: true });
  put([l.role, l.name, l.date, l.signature], { bold: true });
  const checker = s.computedBy !== s.createdBy ? s.computedBy : undefined;
  put([{ text: l.preparedBy }, { text: s.createdBy }, { text: when(s.createdAt) }, null]);
  put([{ text: l.checkedBy }, { text: checker ?? '' }, { text: checker ? when(s.computedAt) : '' }, null]);
  put([{ text: l.signApprovedBy }, { text: s.approvedBy ?? '' }, { text: s.approvedAt ? when(s.approvedAt) : '' }, null]);
  sheet.commit();
}

/** The hidden filter-range names, added to the workbook part as the writer emits it (see the header). */
export interface FilterDatabase {
  sheetIndex: number;
  ref: string;
}

function withFilterDatabases(xml: string, filters: readonly FilterDatabase[]): string {
  if (filters.length === 0) return xml;
  const names = filters.map((f) => `<definedName name="_xlnm._FilterDatabase" localSheetId="${f.sheetIndex}" hidden="1">${f.ref}</definedName>`).join('');
  if (xml.includes('</definedNames>')) return xml.replace('</definedNames>', `${names}</definedNames>`);
  if (xml.includes('<definedNames/>')) return xml.replace('<definedNames/>', `<definedNames>${names}</definedNames>`);
  return xml.replace('</sheets>', `</sheets><definedNames>${names}</definedNames>`);
}

export function hookWorkbookPart(workbook: stream.xlsx.WorkbookWriter, filters: readonly FilterDatabase[]): void {
  const zip = (workbook as unknown as { zip: { append: (data: unknown, options: { name: string }) => unknown } }).zip;
  const append = zip.append.bind(zip);
  zip.append = (data, options) => append(options.name === '/xl/workbook.xml' && typeof data === 'string' ? withFilterDatabases(data, filters) : data, options);
}

async function writeDataSheet(
  workbook: stream.xlsx.WorkbookWriter,
  context: ReportContext,
  source: SheetSource,
  out: Writable,
  progress: { rows: number; every: number; report: (rows: number) => Promise<void> },
  filters: FilterDatabase[],
  sheetIndex: number,
): Promise<number> {
  const sheet: Worksheet = workbook.addWorksheet(source.name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    headerFooter: headerFooterOf(context),
    pageSetup: { ...PRINT, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  const rows = source.rows();
  const sample: Cell[][] = [];
  let next = await rows.next();
  while (!next.done && sample.length < SAMPLE_ROWS) {
    sample.push(next.value);
    next = await rows.next();
  }
  sheet.columns = source.columns.map((column, i) => {
    const format = FORMAT_OF[column.kind];
    // long texts (a column with a maximum width) wrap, and their rows grow in the viewer and on paper
    const wrap = column.maxWidth !== undefined;
    return {
      width: columnWidth(
        column.header,
        sample.map((row) => displayOf(column, row[i] ?? null)),
        column.maxWidth,
      ),
      ...(format || wrap
        ? { style: { ...(format ? { numFmt: format } : {}), ...(wrap ? { alignment: { wrapText: true, vertical: 'top' as const } } : {}) } }
        : {}),
    };
  });
  const header = sheet.addRow(source.columns.map((column) => column.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.commit();

  const sums = source.columns.map(() => 0);
  let written = 0;
  const add = async (cells: Cell[]) => {
    sheet.addRow(source.columns.map((column, i) => xlsxValue(column, cells[i] ?? null))).commit();
    source.columns.forEach((column, i) => {
      if (column.sum && typeof cells[i] === 'number') sums[i]! += cells[i] as number;
    });
    written += 1;
    progress.rows += 1;
    if (progress.rows % progress.every === 0) {
      await relieve(out);
      await progress.report(progress.rows);
    }
  };
  for (const row of sample) await add(row);
  while (!next.done) {
    await add(next.value);
    next = await rows.next();
  }
  if (source.columns.some((c) => c.sum)) {
    const totals = sheet.addRow([context.t.totalRow]);
    source.columns.forEach((column, i) => {
      if (!column.sum) return;
      const result = column.kind === 'money' ? yuanOf(sums[i]!) : sums[i]!;
      const letter = columnLetter(i);
      totals.getCell(i + 1).value = written > 0 ? { formula: `SUM(${letter}2:${letter}${written + 1})`, result } : result;
    });
    totals.font = { bold: true };
    totals.eachCell((cell) => {
      cell.border = { top: { style: 'thin' } };
    });
    totals.commit();
  }
  const lastColumn = columnLetter(source.columns.length - 1);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, written + 1), column: source.columns.length } };
  filters.push({ sheetIndex, ref: `${quotedSheet(source.name)}!$A$1:$${lastColumn}$${Math.max(1, written + 1)}` });
  sheet.commit();
  await finishSheet(context, source);
  return written;
}

/**
 * Writes the workbook to `out` and ends it. The context (./source.ts) was read first; the header
 * is read again at the end, and a settlement recomputed meanwhile fails the report (409).
 */
export async function writeReportXlsx(context: ReportContext, out: Writable, options: ProgressOptions = {}): Promise<ReportResult> {
  // the writer alone (./exceljs-writer.d.ts), loaded on first use: other finance routes do not pay for it
  const { default: WorkbookWriter } = await import('exceljs/lib/stream/xlsx/workbook-writer.js');
  const workbook = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Gatekeeper';
  workbook.created = context.generatedAt;
  workbook.modified = context.generatedAt;
  const filters: FilterDatabase[] = [];
  hookWorkbookPart(workbook, filters);
  const progress = {
    rows: 0,
    every: options.every ?? 500,
    report: async (rows: number) => {
      await options.onProgress?.(rows);
    },
  };
  const { settlement: s, t } = context;
  const sources = [teamsSheet(context), membersSheet(context), institutionsSheet(context), feesSheet(context)] as const;
  const [teams, members, institutions] = sources;
  writeSummary(workbook, context, {
    teamIncentive: columnRef(teams, t.columns.incentive, s.lineCounts.team),
    teamSubsidy: columnRef(teams, t.columns.subsidy, s.lineCounts.team),
    institutionSubsidy: columnRef(institutions, t.columns.subsidy, s.lineCounts.institution),
    memberAmount: columnRef(members, t.columns.amount, s.lineCounts.member),
  });
  const sheets: Partial<Record<SheetId, number>> = { summary: 0 };
  for (const [i, source] of sources.entries()) {
    sheets[source.id] = await writeDataSheet(workbook, context, source, out, progress, filters, i + 1);
  }
  await assertSameComputation(context);
  await workbook.commit();
  await progress.report(progress.rows);
  return { rows: progress.rows, sheets };
}
