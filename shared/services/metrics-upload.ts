/**
 * A service-metric upload, checked as a whole and stored as the next version: the use case the
 * API (PUT /institutions/{id}/metrics/{period}) and the clerk's upload page both call. The
 * caller reads the body (JSON rows, CSV text, or a workbook turned into CSV by ./metrics-workbook.ts)
 * and checks the institution is in the principal's scope.
 */
import { todayIso } from '../domain/dates.ts';
import { ruleBroken } from '../domain/errors.ts';
import { MAX_REPORTED_PROBLEMS, sortProblems, type UploadInput, type UploadProblem, validateUpload } from '../domain/metrics/validate-upload.ts';
import type { Period } from '../domain/periods.ts';
import type { Institution } from '../data/institutions.ts';
import { ensureCatalogue } from '../data/metric-catalogue.ts';
import { type MetricsFormat, type MetricsVersion, teamIdsOfInstitution, writeMetricsVersion } from '../data/metrics.ts';
import { assertUploadsOpen } from './periods.ts';
import type { Deps } from '../deps.ts';

export type UploadOutcome =
  | { ok: true; version: MetricsVersion }
  /** the first MAX_REPORTED_PROBLEMS problems in row order, the total, and how many rows the upload had */
  | { ok: false; problems: UploadProblem[]; total: number; rowCount: number };

export interface ParsedUpload {
  input: UploadInput;
  /** problems the parser found in the file's structure (at most MAX_REPORTED_PROBLEMS) */
  structural: UploadProblem[];
  /** how many the parser found in all */
  structuralCount?: number;
  /** set when the file cannot be read as a header and rows at all: its problems are the whole report */
  unreadable?: boolean;
  /** set when reading stopped at the first row beyond the row limit: the upload has at least this many rows */
  rowsAtLeast?: number;
}

/** A CSV body as upload rows (the header is row 1); reading stops at the first row beyond `maxRows`. */
export async function csvUpload(text: string, maxRows?: number): Promise<ParsedUpload> {
  // csv-parse (~30 KB) loads with the first CSV upload, not at cold start
  const { parseMetricsCsv } = await import('../domain/metrics/parse-csv.ts');
  const parsed = await parseMetricsCsv(text, maxRows === undefined ? {} : { maxRows });
  return {
    input: { columns: parsed.columns, rows: parsed.rows, rejectedRows: parsed.rejectedRows },
    structural: parsed.problems,
    structuralCount: parsed.problemCount,
    ...(parsed.unreadable ? { unreadable: true } : {}),
    ...(parsed.rowsAtLeast === undefined ? {} : { rowsAtLeast: parsed.rowsAtLeast }),
  };
}

/** Refuses a period that has not begun or is closed, checks every row, and stores the upload as the next version when nothing is wrong. */
export async function checkAndStoreMetrics(
  deps: Deps,
  upload: { institution: Institution; period: Period; uploadedBy: string; format: MetricsFormat; bodySha256: string; parsed: ParsedUpload },
): Promise<UploadOutcome> {
  const { db } = deps;
  const { institution, period, parsed } = upload;
  const now = deps.now();
  if (period.start > todayIso(now)) {
    throw ruleBroken('period-not-started', `Period ${period.id} starts on ${period.start}; metrics are reported once it has begun`, { field: 'path.period' });
  }
  await assertUploadsOpen(deps, institution.districtId, period.id);
  const structuralCount = parsed.structuralCount ?? parsed.structural.length;
  if (parsed.unreadable) return { ok: false, problems: parsed.structural, total: structuralCount, rowCount: 0 };
  const catalogue = await ensureCatalogue(db, institution.districtId, now.toISOString());
  const teamIds = await teamIdsOfInstitution(db, institution);
  const validation = validateUpload(parsed.input, catalogue, teamIds);
  if (structuralCount > 0 || !validation.ok) {
    const found = sortProblems([...parsed.structural, ...(validation.ok ? [] : validation.problems)]);
    const total = structuralCount + (validation.ok ? 0 : validation.total);
    return { ok: false, problems: found.slice(0, MAX_REPORTED_PROBLEMS), total, rowCount: parsed.input.rows.length };
  }
  const version = await writeMetricsVersion(db, {
    districtId: institution.districtId,
    institutionId: institution.institutionId,
    period: period.id,
    uploadedBy: upload.uploadedBy,
    uploadedAt: now.toISOString(),
    codes: validation.codes,
    format: upload.format,
    catalogueVersion: catalogue.version,
    bodySha256: upload.bodySha256,
    rows: validation.rows,
  });
  return { ok: true, version };
}
