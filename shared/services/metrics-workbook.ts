/**
 * The clerk's metrics files: the template (CSV or XLSX) with Chinese headers and one row per
 * team, and an uploaded CSV or XLSX read back into upload rows. A header cell may be the metric's
 * code (what the API documents) or its Chinese or English name (what the template writes); the
 * team column is "teamId" or "团队编号"; the "团队名称" / "Team name" column is for the reader and is ignored.
 */
import { stringify } from 'csv-stringify/sync';
import type { Workbook } from 'exceljs';
import type { MetricCatalogue } from '../domain/metrics/catalogue.ts';
import { MAX_UPLOAD_COLUMNS, TEAM_COLUMN } from '../domain/metrics/validate-upload.ts';
import { inspectXlsx, type XlsxRefusal } from '../domain/metrics/xlsx-guard.ts';
import { MAX_UPLOAD_ROWS } from '../schemas/metrics.ts';
import { getCatalogue } from '../data/metric-catalogue.ts';
import type { Team } from '../data/teams.ts';
import type { Deps } from '../deps.ts';
import { csvUpload, type ParsedUpload } from './metrics-upload.ts';

const TEAM_HEADERS = ['团队编号', 'Team ID'];
const NAME_HEADERS = new Set(['团队名称', 'Team name']);

export const metricCatalogueOf = (deps: Deps, districtId: string) => getCatalogue(deps.db, districtId);

function headerRow(catalogue: MetricCatalogue): string[] {
  return [TEAM_HEADERS[0] as string, '团队名称', ...catalogue.definitions.map((d) => d.name.zh)];
}

function templateRows(catalogue: MetricCatalogue, teams: readonly Team[]): string[][] {
  return [headerRow(catalogue), ...teams.map((t) => [t.teamId, t.name, ...catalogue.definitions.map(() => '')])];
}

/** UTF-8 with a byte-order mark, so Excel opens the Chinese headers correctly. */
export function templateCsv(catalogue: MetricCatalogue, teams: readonly Team[]): string {
  return `\uFEFF${stringify(templateRows(catalogue, teams))}`;
}

export async function templateXlsx(catalogue: MetricCatalogue, teams: readonly Team[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('服务数据');
  for (const row of templateRows(catalogue, teams)) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column, i) => {
    column.width = i === 1 ? 24 : 16;
  });
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The problem code an upload refused by the zip guard is answered with: too big once inflated (413), or not a workbook we read (415). */
export type XlsxUploadRefusal = 'upload-xlsx-too-large' | 'upload-file-type';

const REFUSAL_CODES: Record<XlsxRefusal, XlsxUploadRefusal> = {
  'too-large': 'upload-xlsx-too-large',
  ratio: 'upload-xlsx-too-large',
  'too-many-entries': 'upload-xlsx-too-large',
  zip64: 'upload-xlsx-too-large',
  'size-mismatch': 'upload-file-type',
  malformed: 'upload-file-type',
};

/**
 * The first sheet of an uploaded workbook as CSV text (cells as displayed; formulas by their result),
 * or the code it is refused with. The zip guard (xlsx-guard.ts) reads the archive's directory and
 * checks each entry's size before exceljs loads anything: a zip bomb never reaches it.
 */
export async function readXlsxUpload(bytes: Uint8Array): Promise<{ ok: true; csv: string } | { ok: false; code: XlsxUploadRefusal }> {
  const verdict = inspectXlsx(bytes);
  if (!verdict.ok) return { ok: false, code: REFUSAL_CODES[verdict.reason] };
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { ok: false, code: 'upload-file-type' };
  }
  return { ok: true, csv: firstSheetCsv(workbook) };
}

/** readXlsxUpload's CSV, or null when the file is refused for whatever reason. */
export async function xlsxToCsv(bytes: Uint8Array): Promise<string | null> {
  const read = await readXlsxUpload(bytes);
  return read.ok ? read.csv : null;
}

function firstSheetCsv(workbook: Workbook): string {
  const sheet = workbook.worksheets[0];
  if (!sheet) return '';
  const rows: string[][] = [];
  // Bounded like a CSV (#16): one column and one row past the limits is enough for the parser to
  // refuse them, however wide or long the sheet claims to be (a single far-off cell makes it so).
  const width = Math.min(sheet.actualColumnCount || sheet.columnCount, MAX_UPLOAD_COLUMNS + 1);
  const height = Math.min(sheet.rowCount, MAX_UPLOAD_ROWS + 2);
  for (let r = 1; r <= height; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let col = 1; col <= width; col++) {
      const value = row.getCell(col).value;
      const result = value !== null && typeof value === 'object' && 'result' in value ? value.result : value;
      cells.push(result === null || result === undefined ? '' : String(result));
    }
    rows.push(cells);
  }
  return stringify(rows);
}

/** A metrics file as upload rows: the template's Chinese headers read as codes, the team-name column dropped. */
export async function fileUpload(text: string, catalogue: MetricCatalogue, maxRows?: number): Promise<ParsedUpload> {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const firstCell = /^[^,\r\n"]*/.exec(text.slice(bom))?.[0] ?? '';
  const renamed = TEAM_HEADERS.includes(firstCell.trim()) ? `${TEAM_COLUMN}${text.slice(bom + firstCell.length)}` : text;
  const parsed = await csvUpload(renamed, maxRows);
  const byName = new Map<string, string>();
  for (const d of catalogue.definitions) {
    byName.set(d.name.zh, d.code);
    byName.set(d.name.en, d.code);
  }
  const codeOf = (column: string) => byName.get(column) ?? column;
  const columns = (parsed.input.columns ?? []).filter((c) => !NAME_HEADERS.has(c)).map(codeOf);
  const rows = parsed.input.rows.map((row) => ({
    ...row,
    values: Object.fromEntries(Object.entries(row.values).flatMap(([column, value]) => (NAME_HEADERS.has(column) ? [] : [[codeOf(column), value]]))),
  }));
  const structural = parsed.structural.map((p) => (p.column === undefined ? p : { ...p, column: codeOf(p.column) }));
  return { ...parsed, input: { ...parsed.input, columns, rows }, structural };
}
