/**
 * The clerk's metrics files: the template (CSV or XLSX) with Chinese headers and one row per
 * team, and an uploaded CSV or XLSX read back into upload rows. A header cell may be the metric's
 * code (what the API documents) or its Chinese or English name (what the template writes); the
 * team column is "teamId" or "团队编号"; the "团队名称" / "Team name" column is for the reader and is ignored.
 */
import { stringify } from 'csv-stringify/sync';
import type { MetricCatalogue } from '../domain/metrics/catalogue.ts';
import { TEAM_COLUMN } from '../domain/metrics/validate-upload.ts';
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

/** The first sheet of a workbook as CSV text (cells as displayed; formulas by their result). */
export async function xlsxToCsv(bytes: Uint8Array): Promise<string | null> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return null;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return '';
  const rows: string[][] = [];
  const width = sheet.actualColumnCount || sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
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
export function fileUpload(text: string, catalogue: MetricCatalogue): ParsedUpload {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const firstCell = /^[^,\r\n"]*/.exec(text.slice(bom))?.[0] ?? '';
  const renamed = TEAM_HEADERS.includes(firstCell.trim()) ? `${TEAM_COLUMN}${text.slice(bom + firstCell.length)}` : text;
  const parsed = csvUpload(renamed);
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
  return { input: { ...parsed.input, columns, rows }, structural };
}
