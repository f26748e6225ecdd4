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
 */
import type { Writable } from 'node:stream';
import type { stream, Worksheet } from 'exceljs';
import { describeMethod } from '../../domain/settlements/compute.ts';
import { columnWidth, displayWidth, xlsxText, yuanDisplay, yuanOf } from './cells.ts';
import { type ProgressOptions, relieve } from './flow.ts';
import { type Cell, type Column, feesSheet, institutionsSheet, membersSheet, type SheetSource, teamsSheet } from './sheets.ts';
import { assertSameComputation, finishSheet, type ReportContext } from './source.ts';
import { memberRoleName } from '../../domain/role-names.ts';
import type { SheetId } from './texts.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Yuan with two decimals; negatives (differences of a correction) in red. */
export const MONEY_FORMAT = '"¥"#,##0.00;[Red]-"¥"#,##0.00';
const SCORE_FORMAT = '0.00';
const INT_FORMAT = '#,##0';
const SAMPLE_ROWS = 200;

export interface ReportResult {
  /** data rows written (headers and the summary not counted) */
  rows: number;
  sheets: Partial<Record<SheetId, number>>;
}

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
    case 'text':
      return xlsxText(String(value));
  }
}

const FORMAT_OF: Record<Column['kind'], string | undefined> = { money: MONEY_FORMAT, score: SCORE_FORMAT, int: INT_FORMAT, text: undefined };

function headerFooterOf(context: ReportContext) {
  if (context.settlement.status !== 'draft') return undefined;
  // printed pages carry the watermark too: "草稿" / "DRAFT" centred in the header, in bold red
  return { oddHeader: `&C&"-,Bold"&14&KFF0000${context.t.draft}`, oddFooter: `&C${context.t.draftNotice}` };
}

type SummaryCell = { text: string } | { fen: number } | { int: number } | null;

function writeSummary(workbook: stream.xlsx.WorkbookWriter, context: ReportContext): void {
  const { settlement: s, t, lang } = context;
  const l = t.summary;
  const totals = s.totals;
  const draft = s.status === 'draft';
  const who = (by: string | undefined, at: string | undefined): SummaryCell => (by ? { text: `${by} · ${(at ?? '').slice(0, 19).replace('T', ' ')}` } : { text: '—' });
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
    [l.generatedAt, { text: context.generatedAt.toISOString().slice(0, 19).replace('T', ' ') }],
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
  const verdict = (ok: boolean): SummaryCell => ({ text: ok ? l.ok : l.mismatch });
  const reconciliation: SummaryCell[][] = [
    [{ text: l.poolCheck }, { fen: teamSums.amountFen }, { fen: totals.unallocatedFen }, { fen: totals.poolFen }, verdict(teamSums.amountFen + totals.unallocatedFen === totals.poolFen)],
    [{ text: l.teamSubsidyCheck }, { fen: teamSums.subsidyFen }, null, { fen: totals.subsidyFen }, verdict(teamSums.subsidyFen === totals.subsidyFen)],
    [{ text: l.institutionSubsidyCheck }, { fen: context.institutionSums.subsidyFen }, null, { fen: totals.subsidyFen }, verdict(context.institutionSums.subsidyFen === totals.subsidyFen)],
    [{ text: l.memberCheck }, { fen: totals.membersFen }, { fen: totals.memberUnallocatedFen }, { fen: totals.paidFen }, verdict(totals.membersFen + totals.memberUnallocatedFen === totals.paidFen)],
  ];

  const sheet = workbook.addWorksheet(t.sheets.summary, { headerFooter: headerFooterOf(context), properties: draft ? { tabColor: { argb: 'FFFF0000' } } : {} });
  const allLabels = [...facts, ...totalRows].map(([label]) => label);
  sheet.columns = [
    { width: columnWidth('', [...allLabels, l.check], 48) },
    { width: columnWidth('', [s.fingerprint, t.title], 70) },
    { width: 18 },
    { width: 18 },
    { width: Math.max(12, displayWidth(l.mismatch) + 4) },
  ];
  const put = (cells: (SummaryCell | string)[], style: { bold?: boolean; red?: boolean; size?: number } = {}) => {
    const row = sheet.addRow(
      cells.map((cell) => {
        if (cell === null) return null;
        if (typeof cell === 'string') return xlsxText(cell);
        if ('text' in cell) return xlsxText(cell.text);
        if ('fen' in cell) return yuanOf(cell.fen);
        return cell.int;
      }),
    );
    cells.forEach((cell, i) => {
      if (cell !== null && typeof cell === 'object' && 'fen' in cell) row.getCell(i + 1).numFmt = MONEY_FORMAT;
      if (cell !== null && typeof cell === 'object' && 'int' in cell) row.getCell(i + 1).numFmt = INT_FORMAT;
    });
    if (style.bold || style.red || style.size) row.font = { bold: style.bold ?? false, ...(style.red ? { color: { argb: 'FFC00000' } } : {}), ...(style.size ? { size: style.size } : {}) };
    row.commit();
  };
  put([t.title, draft ? t.draftNotice : t.status[s.status]], { bold: true, size: 14, red: draft });
  put([]);
  put([t.item, t.value], { bold: true });
  for (const [label, value] of facts) put([label, value], label === l.status && draft ? { red: true, bold: true } : {});
  put([]);
  put([l.totals], { bold: true });
  for (const [label, value] of totalRows) put([label, value]);
  put([]);
  put([l.reconciliation], { bold: true });
  put([l.check, l.linesSum, l.plus, l.expected, l.result], { bold: true });
  for (const row of reconciliation) put(row);
  put([]);
  put([l.note]);
  sheet.commit();
}

async function writeDataSheet(
  workbook: stream.xlsx.WorkbookWriter,
  context: ReportContext,
  source: SheetSource,
  out: Writable,
  progress: { rows: number; every: number; report: (rows: number) => Promise<void> },
): Promise<number> {
  const sheet: Worksheet = workbook.addWorksheet(source.name, { views: [{ state: 'frozen', ySplit: 1 }], headerFooter: headerFooterOf(context) });
  const rows = source.rows();
  const sample: Cell[][] = [];
  let next = await rows.next();
  while (!next.done && sample.length < SAMPLE_ROWS) {
    sample.push(next.value);
    next = await rows.next();
  }
  sheet.columns = source.columns.map((column, i) => {
    const format = FORMAT_OF[column.kind];
    return {
      width: columnWidth(
        column.header,
        sample.map((row) => displayOf(column, row[i] ?? null)),
        column.maxWidth,
      ),
      ...(format ? { style: { numFmt: format } } : {}),
    };
  });
  const header = sheet.addRow(source.columns.map((column) => column.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: false };
  header.commit();

  let written = 0;
  const add = async (cells: Cell[]) => {
    sheet.addRow(source.columns.map((column, i) => xlsxValue(column, cells[i] ?? null))).commit();
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
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, written + 1), column: source.columns.length } };
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
  const progress = {
    rows: 0,
    every: options.every ?? 500,
    report: async (rows: number) => {
      await options.onProgress?.(rows);
    },
  };
  writeSummary(workbook, context);
  const sheets: Partial<Record<SheetId, number>> = { summary: 0 };
  for (const source of [teamsSheet(context), membersSheet(context), institutionsSheet(context), feesSheet(context)]) {
    sheets[source.id] = await writeDataSheet(workbook, context, source, out, progress);
  }
  await assertSameComputation(context);
  await workbook.commit();
  await progress.report(progress.rows);
  return { rows: progress.rows, sheets };
}
