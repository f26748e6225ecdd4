/**
 * Incentive and subsidy reports of a settlement, for finance officers: an XLSX workbook (summary,
 * teams, members, institution subsidy, fee statement) and each sheet as CSV, streamed page by
 * page from DynamoDB in constant memory. The HTTP routes are in functions/reports/routes.tsx.
 *
 * Direct entry points (benchmarks, scripts):
 *   writeSettlementXlsx(db, settlementId, lang, out)          → { rows, sheets }
 *   writeSettlementCsv(db, settlementId, sheet, lang, out)    → { rows, sheets }
 * Both end `out` when done; when they fail they reject and destroy `out` (without an error event).
 */
import type { Writable } from 'node:stream';
import type { Db } from '../../data/db.ts';
import type { CsvSheet, ReportLang } from '../../domain/reports.ts';
import type { ProgressOptions } from './flow.ts';
import { prepareReport, writeReport } from './report.ts';
import type { ReportResult } from './xlsx.ts';

export { contentDisposition, yuanOf } from './cells.ts';
export { ReportAbortedError } from './flow.ts';
export {
  inProcessReportRunner,
  type ReportJobView,
  reportJobEventOf,
  reportJobView,
  requestReportJob,
  runReportJob,
} from './jobs.ts';
export {
  chooseDelivery,
  contentTypeOf,
  prepareReport,
  type ReportOptions,
  type ReportSpec,
  reportFileNames,
  reportOptionsFromEnv,
  writeReport,
} from './report.ts';
export { selfInvokeReportRunner } from './runner-lambda.ts';
export { localReportStorage } from './storage.ts';
export { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './content-types.ts';
export type { ReportResult } from './xlsx.ts';

/** The workbook of a settlement, written to `out` (a file, a response, an upload). */
export async function writeSettlementXlsx(db: Db, settlementId: string, lang: ReportLang, out: Writable, options: ProgressOptions = {}): Promise<ReportResult> {
  const spec = { format: 'xlsx', lang } as const;
  let context: Awaited<ReturnType<typeof prepareReport>>;
  try {
    context = await prepareReport(db, settlementId, spec);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return writeReport(context, spec, out, options);
}

/** One sheet of a settlement as CSV (UTF-8 with BOM), written to `out`. */
export async function writeSettlementCsv(
  db: Db,
  settlementId: string,
  sheet: CsvSheet,
  lang: ReportLang,
  out: Writable,
  options: ProgressOptions = {},
): Promise<ReportResult> {
  const spec = { format: 'csv', sheet, lang } as const;
  let context: Awaited<ReturnType<typeof prepareReport>>;
  try {
    context = await prepareReport(db, settlementId, spec);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return writeReport(context, spec, out, options);
}
