/**
 * A settlement report request (format, CSV sheet, language), its file name, its estimated size,
 * and the choice between streaming it in the response and producing it as a job.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Db } from '../../data/db.ts';
import type { CsvSheet, ReportFormat, ReportLang } from '../../domain/reports.ts';
import type { Settlement } from '../../data/settlements.ts';
import { asciiFileName } from './cells.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './content-types.ts';
import type { ProgressOptions } from './flow.ts';
import type { ReportJobRunner } from './job-event.ts';
import { selfInvokeReportRunner } from './runner-lambda.ts';
import { loadReportContext, type ReportContext } from './source.ts';
import type { ReportStorage } from './storage.ts';
import { localReportStorage } from './storage.ts';
import { s3ReportStorage } from './storage-s3.ts';
import { REPORT_TEXT } from './texts.ts';
import type { ReportResult } from './xlsx.ts';

export type ReportSpec = { format: 'xlsx'; lang: ReportLang } | { format: 'csv'; sheet: CsvSheet; lang: ReportLang };

export function contentTypeOf(format: ReportFormat): string {
  return format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE;
}

/**
 * "家庭医生结算报表-stl-…-团队激励与补助-草稿.csv" (zh) and its ASCII fallback
 * "settlement-report-stl-…-teams-DRAFT.csv", which is also the English name. A draft says so in the name.
 */
export function reportFileNames(settlement: Settlement, spec: ReportSpec): { fileName: string; asciiFileName: string } {
  const draft = settlement.status === 'draft';
  const ascii = asciiFileName(
    `settlement-report-${settlement.settlementId}${spec.format === 'csv' ? `-${spec.sheet}` : ''}${draft ? '-DRAFT' : ''}.${spec.format}`,
  );
  if (spec.lang === 'en') return { fileName: ascii, asciiFileName: ascii };
  const t = REPORT_TEXT.zh;
  const fileName =
    `${t.fileStem}-${settlement.settlementId}${spec.format === 'csv' ? `-${t.sheets[spec.sheet]}` : ''}` + `${draft ? `-${t.draft}` : ''}.${spec.format}`;
  return { fileName, asciiFileName: ascii };
}

/** The lines a report writes, from the header's counts. */
export function linesOf(settlement: Settlement, spec: ReportSpec): number {
  const counts = settlement.lineCounts;
  if (spec.format === 'xlsx') return counts.team + counts.member + counts.institution;
  return spec.sheet === 'teams' ? counts.team : spec.sheet === 'members' ? counts.member : counts.institution;
}

/**
 * Bytes per line, measured on the demo district's settlement (512 teams, 1,810 members, 51
 * institutions: workbook 190 KB, team CSV 124 KB, member CSV 209 KB) with some margin: a team
 * line carries its explanation text, an institution its fee statement; XLSX is deflated XML.
 */
const BYTES_PER_LINE = {
  xlsx: { team: 130, member: 60, institution: 1000 },
  csv: { teams: 300, members: 130, institutions: 900, fees: 1200 },
} as const;

export function estimateReportBytes(settlement: Settlement, spec: ReportSpec): number {
  const counts = settlement.lineCounts;
  if (spec.format === 'xlsx') {
    const b = BYTES_PER_LINE.xlsx;
    return 8_000 + counts.team * b.team + counts.member * b.member + counts.institution * b.institution;
  }
  return 1_000 + linesOf(settlement, spec) * BYTES_PER_LINE.csv[spec.sheet];
}

export interface ReportOptions {
  /** where job files go: S3 when deployed (REPORTS_BUCKET), a directory locally */
  storage: ReportStorage;
  /**
   * Whether a large report (above inlineMaxLines lines or inlineMaxBytes estimated) requested with
   * GET becomes a job instead of streaming in the response: on when the storage is S3, because a
   * deployed response cannot carry it. Locally every GET streams (POST …/reports makes a job anyway).
   */
  largeReportsAsJobs: boolean;
  inlineMaxLines: number;
  inlineMaxBytes: number;
  /** how long a presigned download link stays valid */
  linkTtlSeconds: number;
  /** where jobs run: a self-invocation of the reports function when deployed (REPORT_JOBS_FUNCTION); defaults to this process */
  runner?: ReportJobRunner;
}

export const DEFAULT_INLINE_MAX_LINES = 20_000;
/** Lambda buffers the response and base64-encodes a binary body (×4/3): 4 MB stays under its 6 MB limit. */
export const DEFAULT_INLINE_MAX_BYTES = 4 * 1024 * 1024;

export type Delivery = 'inline' | 'job';

export function chooseDelivery(
  settlement: Settlement,
  spec: ReportSpec,
  options: Pick<ReportOptions, 'largeReportsAsJobs' | 'inlineMaxLines' | 'inlineMaxBytes'>,
): Delivery {
  if (!options.largeReportsAsJobs) return 'inline';
  return linesOf(settlement, spec) > options.inlineMaxLines || estimateReportBytes(settlement, spec) > options.inlineMaxBytes ? 'job' : 'inline';
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/**
 * From the environment: REPORTS_BUCKET (set by the stack for functions granted the reports
 * bucket) → S3 and large reports as jobs; otherwise files in REPORTS_DIR or a temporary directory.
 * REPORT_JOBS_FUNCTION (a function name, or `self`: the running function's own, which Lambda
 * puts in AWS_LAMBDA_FUNCTION_NAME; the stack sets `self`) → jobs run in an asynchronous
 * invocation of that function; otherwise in this process (npm start, tests).
 * REPORT_INLINE_MAX_LINES / REPORT_INLINE_MAX_BYTES tune the threshold. Nothing connects here.
 */
export function reportOptionsFromEnv(env: Record<string, string | undefined> = process.env): ReportOptions {
  const bucket = env.REPORTS_BUCKET;
  const jobsFunction = env.REPORT_JOBS_FUNCTION === 'self' ? env.AWS_LAMBDA_FUNCTION_NAME : env.REPORT_JOBS_FUNCTION;
  return {
    ...(jobsFunction ? { runner: selfInvokeReportRunner({ functionName: jobsFunction }) } : {}),
    storage: bucket ? s3ReportStorage({ bucket }) : localReportStorage(env.REPORTS_DIR ?? join(tmpdir(), 'gatekeeper-reports')),
    largeReportsAsJobs: Boolean(bucket),
    inlineMaxLines: positive(env.REPORT_INLINE_MAX_LINES, DEFAULT_INLINE_MAX_LINES),
    inlineMaxBytes: positive(env.REPORT_INLINE_MAX_BYTES, DEFAULT_INLINE_MAX_BYTES),
    linkTtlSeconds: 300,
  };
}

/** Reads what the report needs before its first byte (404 for an unknown settlement, 409/500 when lines do not add up). */
export function prepareReport(db: Db, settlement: Settlement | string, spec: ReportSpec, now: Date = new Date()): Promise<ReportContext> {
  return loadReportContext(db, settlement, spec.lang, { teams: spec.format === 'xlsx' || spec.sheet === 'teams' }, now);
}

/**
 * Writes the report to `out` and ends it. On failure the promise rejects and `out` is destroyed
 * without an error event (nobody may be listening): a response is cut short, a storage writer
 * abandons the file.
 */
export async function writeReport(context: ReportContext, spec: ReportSpec, out: Writable, options: ProgressOptions = {}): Promise<ReportResult> {
  try {
    // the writers (and csv-stringify) load with the first report written, not at cold start
    if (spec.format === 'xlsx') return await (await import('./xlsx.ts')).writeReportXlsx(context, out, options);
    return await (await import('./csv.ts')).writeReportCsv(context, spec.sheet, out, options);
  } catch (error) {
    if (!out.destroyed) out.destroy();
    throw error;
  }
}
