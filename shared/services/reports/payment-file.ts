/**
 * The payment file of an approved settlement: what the finance bureau pays from. One line per
 * institution that receives money, with its payee (unified social credit code, account name,
 * bank, the full account number, budget subject), the amount from each funding source, the
 * incentive, the subsidy and the total; then a control total (number of payments and their sum).
 * XLSX (a SUM formula under every amount column, printable on A4 landscape) or CSV (UTF-8 with
 * BOM, the control total as the last line).
 *
 * It is the only place a full account number leaves the database, so it is refused for a draft
 * (409 `payment-file-of-draft`); an institution to be paid without an approved payee refuses it
 * too (422 `payee-missing`, naming them). One line per institution keeps it small: built in memory.
 */
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { conflict, ruleBroken } from '../../domain/errors.ts';
import type { Db } from '../../data/db.ts';
import type { ReportLang } from '../../domain/reports.ts';
import { payeesOfDistrict } from '../../data/payees.ts';
import { allLines, type Settlement } from '../../data/settlements.ts';
import type { PayeeCipher } from '../../security/payee-cipher.ts';
import type { InstitutionLine } from '../../domain/settlements/compute.ts';
import { chinaTime, neutralise, xlsxText, yuanOf, yuanText } from './cells.ts';

const MONEY_FORMAT = '"¥"#,##0.00;[Red]-"¥"#,##0.00';

const TEXT = {
  zh: {
    sheet: '付款清单',
    title: '家庭医生签约服务资金付款清单',
    columns: {
      no: '序号',
      institution: '收款单位',
      institutionId: '机构编号',
      creditCode: '统一社会信用代码',
      accountName: '户名',
      bank: '开户银行',
      accountNumber: '账号',
      budgetSubject: '预算科目',
      incentive: '激励（元）',
      subsidy: '补助（元）',
      total: '合计（元）',
    },
    source: (name: string) => `${name}（元）`,
    controlTotal: '合计',
    payments: '笔数',
    settlement: '结算编号',
    period: '周期',
    approved: '批准',
    generated: '生成时间',
    fileName: (id: string) => `付款清单-${id}`,
  },
  en: {
    sheet: 'Payments',
    title: 'Family-doctor contract services: payment list',
    columns: {
      no: 'No.',
      institution: 'Payee institution',
      institutionId: 'Institution id',
      creditCode: 'Unified social credit code',
      accountName: 'Account name',
      bank: 'Bank',
      accountNumber: 'Account number',
      budgetSubject: 'Budget subject',
      incentive: 'Incentive (yuan)',
      subsidy: 'Subsidy (yuan)',
      total: 'Total (yuan)',
    },
    source: (name: string) => `${name} (yuan)`,
    controlTotal: 'Control total',
    payments: 'Payments',
    settlement: 'Settlement',
    period: 'Period',
    approved: 'Approved',
    generated: 'Generated',
    fileName: (id: string) => `payment-file-${id}`,
  },
} as const;

export interface PaymentLine {
  institutionId: string;
  institution: string;
  creditCode: string;
  accountName: string;
  bank: string;
  accountNumber: string;
  budgetSubject: string;
  /** per funding source, in the settlement's order (empty without funding sources) */
  bySource: number[];
  incentiveFen: number;
  subsidyFen: number;
  totalFen: number;
}

export interface PaymentFile {
  settlement: Settlement;
  sources: { code: string; name: string }[];
  lines: PaymentLine[];
  totalFen: number;
}

/** Reads what the payment file shows: refuses drafts and institutions without an approved payee. */
export async function preparePaymentFile(db: Db, cipher: PayeeCipher, settlement: Settlement): Promise<PaymentFile> {
  if (settlement.status === 'draft') {
    throw conflict('payment-file-of-draft', `Settlement ${settlement.settlementId} is a draft; a payment file is produced only once it is approved`, {
      settlementStatus: settlement.status,
    });
  }
  const sources = (settlement.parameters.fundingSources ?? []).map((s) => ({ code: s.code, name: s.name }));
  const institutionLines: InstitutionLine[] = [];
  for await (const line of allLines<InstitutionLine>(db, settlement.computationId, 'institution')) {
    if (line.incentiveFen + line.subsidyFen > 0) institutionLines.push(line);
  }
  const { payees } = await payeesOfDistrict(db, settlement.districtId);
  const payeeOf = new Map(payees.map((p) => [p.institutionId, p]));
  const missing = institutionLines.filter((l) => !payeeOf.has(l.institutionId)).map((l) => l.institutionId);
  if (missing.length > 0) {
    throw ruleBroken('payee-missing', `No approved payee for ${missing.length} institution(s) to be paid: ${missing.slice(0, 20).join(', ')}`, {
      institutions: missing.join(', '),
      count: missing.length,
    });
  }
  const lines = institutionLines.map((line): PaymentLine => {
    const payee = payeeOf.get(line.institutionId)!;
    const parts = new Map((line.funding ?? []).map((p) => [p.source, p.incentiveFen + p.subsidyFen]));
    return {
      institutionId: line.institutionId,
      institution: line.name ?? line.institutionId,
      creditCode: payee.creditCode,
      accountName: payee.accountName,
      bank: payee.bank,
      accountNumber: cipher.decrypt(payee.accountNumberCipher, payee.institutionId),
      budgetSubject: payee.budgetSubject,
      bySource: sources.map((s) => parts.get(s.code) ?? 0),
      incentiveFen: line.incentiveFen,
      subsidyFen: line.subsidyFen,
      totalFen: line.incentiveFen + line.subsidyFen,
    };
  });
  const totalFen = lines.reduce((sum, l) => sum + l.totalFen, 0);
  if (totalFen !== settlement.totals.paidFen + settlement.totals.subsidyFen) {
    throw new Error(
      `Payment file of ${settlement.settlementId}: Σ ${totalFen} ≠ incentives + subsidy ${settlement.totals.paidFen + settlement.totals.subsidyFen}`,
    );
  }
  return { settlement, sources, lines, totalFen };
}

function headers(file: PaymentFile, lang: ReportLang): string[] {
  const c = TEXT[lang].columns;
  return [
    c.no,
    c.institution,
    c.institutionId,
    c.creditCode,
    c.accountName,
    c.bank,
    c.accountNumber,
    c.budgetSubject,
    ...file.sources.map((s) => TEXT[lang].source(s.name)),
    c.incentive,
    c.subsidy,
    c.total,
  ];
}

export function paymentFileName(settlement: Settlement, lang: ReportLang, format: 'xlsx' | 'csv'): { fileName: string; asciiFileName: string } {
  return { fileName: `${TEXT[lang].fileName(settlement.settlementId)}.${format}`, asciiFileName: `payment-file-${settlement.settlementId}.${format}` };
}

/** CSV: the header, one line per payment, the control total (number of payments, amounts) last. */
export function paymentFileCsv(file: PaymentFile, lang: ReportLang): Buffer {
  const t = TEXT[lang];
  const records: string[][] = [headers(file, lang)];
  file.lines.forEach((line, i) => {
    records.push([
      String(i + 1),
      neutralise(line.institution),
      neutralise(line.institutionId),
      line.creditCode,
      neutralise(line.accountName),
      neutralise(line.bank),
      line.accountNumber,
      neutralise(line.budgetSubject),
      ...line.bySource.map(yuanText),
      yuanText(line.incentiveFen),
      yuanText(line.subsidyFen),
      yuanText(line.totalFen),
    ]);
  });
  const sum = (pick: (l: PaymentLine) => number) => yuanText(file.lines.reduce((s, l) => s + pick(l), 0));
  records.push([
    t.controlTotal,
    `${t.payments} ${file.lines.length}`,
    '',
    '',
    '',
    '',
    '',
    '',
    ...file.sources.map((_, i) => sum((l) => l.bySource[i]!)),
    sum((l) => l.incentiveFen),
    sum((l) => l.subsidyFen),
    sum((l) => l.totalFen),
  ]);
  return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows' }), 'utf8');
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** XLSX: header row (repeated on every printed page), payments, a totals row of SUM formulas, then the control block. */
export async function paymentFileXlsx(file: PaymentFile, lang: ReportLang, now: Date): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const t = TEXT[lang];
  const workbook: ExcelJS.Workbook = new Excel.Workbook();
  workbook.creator = 'Gatekeeper';
  workbook.created = now;
  const sheet = workbook.addWorksheet(t.sheet, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1', horizontalCentered: true },
  });
  const head = headers(file, lang);
  const firstMoney = 8;
  sheet.columns = head.map((_header, i) => ({
    width: i === 0 ? 6 : i === 6 || i === 3 ? 24 : i < firstMoney ? 20 : 16,
    ...(i >= firstMoney ? { style: { numFmt: MONEY_FORMAT } } : {}),
  }));
  const header = sheet.addRow(head);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  file.lines.forEach((line, i) => {
    const row = sheet.addRow([
      i + 1,
      xlsxText(line.institution),
      xlsxText(line.institutionId),
      line.creditCode,
      xlsxText(line.accountName),
      xlsxText(line.bank),
      line.accountNumber,
      xlsxText(line.budgetSubject),
      ...line.bySource.map(yuanOf),
      yuanOf(line.incentiveFen),
      yuanOf(line.subsidyFen),
      yuanOf(line.totalFen),
    ]);
    // the account number is an identifier, not a number: stored as text so no digit is lost
    row.getCell(7).numFmt = '@';
  });
  const last = file.lines.length + 1;
  const sums = [
    ...file.sources.map((_, i) => file.lines.reduce((s, l) => s + l.bySource[i]!, 0)),
    file.lines.reduce((s, l) => s + l.incentiveFen, 0),
    file.lines.reduce((s, l) => s + l.subsidyFen, 0),
    file.totalFen,
  ];
  const totals = sheet.addRow([t.controlTotal, file.lines.length]);
  totals.font = { bold: true };
  sums.forEach((fen, i) => {
    const col = columnLetter(firstMoney + i);
    totals.getCell(firstMoney + i + 1).value = { formula: file.lines.length > 0 ? `SUM(${col}2:${col}${last})` : '0', result: yuanOf(fen) };
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, last), column: head.length } };
  sheet.addRow([]);
  const s = file.settlement;
  for (const [label, value] of [
    [t.settlement, s.settlementId],
    [t.period, s.period],
    [t.approved, `${s.approvedBy ?? '—'} · ${s.approvedAt ? chinaTime(s.approvedAt, lang) : '—'}`],
    [t.generated, chinaTime(now, lang)],
  ] as const) {
    sheet.addRow([xlsxText(label), xlsxText(value)]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
