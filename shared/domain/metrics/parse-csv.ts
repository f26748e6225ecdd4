/**
 * Reading a metrics CSV (RFC 4180, UTF-8, a byte-order mark tolerated) into upload rows for
 * ./validate-upload.ts. The header row is `teamId,<metric codes…>`; rows are numbered as a
 * spreadsheet shows them (header = row 1), so a quoted cell spanning lines is still one row and a
 * blank line still counts. Rows whose cells are all empty (spreadsheets export them) are skipped.
 * Structural problems (a row with missing or extra cells, unbalanced quotes) are reported with
 * their row; cell contents are left to the validator.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { TEAM_COLUMN, type UploadProblem, type UploadRowInput } from './validate-upload.ts';

export interface ParsedCsv {
  /** metric columns of the header, in order, without the team column */
  columns: string[];
  rows: UploadRowInput[];
  /** data rows refused for their structure (each reported in problems) */
  rejectedRows: number;
  problems: UploadProblem[];
}

/** Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA. */
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

const NOT_UTF8 = 'The file is not UTF-8 text; save it as "CSV UTF-8 (comma delimited)" and upload again';

function readRecords(text: string): { records: string[][] } | { problem: UploadProblem } {
  try {
    const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
    return { records };
  } catch (error) {
    if (error instanceof CsvError) {
      const record = typeof error.records === 'number' ? error.records : 0;
      const message =
        error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'A quoted cell is never closed (an odd number of double quotes)'
          : error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
            ? 'A double quote in the middle of a cell; quote the whole cell and double the quote inside it'
            : `The CSV cannot be read (${error.code})`;
      return { problem: { row: record + 1, message } };
    }
    throw error;
  }
}

export function parseMetricsCsv(text: string): ParsedCsv {
  if (text.includes('\uFFFD')) return { columns: [], rows: [], rejectedRows: 0, problems: [{ row: 1, message: NOT_UTF8 }] };
  const read = readRecords(text);
  if ('problem' in read) return { columns: [], rows: [], rejectedRows: 0, problems: [read.problem] };
  const [header, ...records] = read.records;
  if (!header || header.every((cell) => cell === '')) {
    return { columns: [], rows: [], rejectedRows: 0, problems: [{ row: 1, column: TEAM_COLUMN, message: `The file is empty; the first row is the header: ${TEAM_COLUMN},<metric codes…>` }] };
  }

  const problems: UploadProblem[] = [];
  // Spreadsheets sometimes leave empty header cells at the end: drop trailing empties.
  let width = header.length;
  while (width > 0 && header[width - 1] === '') width--;
  const names = header.slice(0, width);
  const teamIndex = names.findIndex((name) => name.toLowerCase() === TEAM_COLUMN.toLowerCase());
  if (teamIndex < 0) {
    return { columns: [], rows: [], rejectedRows: 0, problems: [{ row: 1, column: TEAM_COLUMN, message: `Missing column ${TEAM_COLUMN}: the header is ${TEAM_COLUMN},<metric codes…>` }] };
  }
  const seen = new Set<string>();
  const columnIndexes: [string, number][] = [];
  names.forEach((name, index) => {
    if (index === teamIndex) return;
    if (name === '') problems.push({ row: 1, column: columnLetter(index), message: `Column ${columnLetter(index)} has no name` });
    else if (seen.has(name)) problems.push({ row: 1, column: name, message: `Column ${name} appears twice` });
    else {
      seen.add(name);
      columnIndexes.push([name, index]);
    }
  });

  const rows: UploadRowInput[] = [];
  let rejectedRows = 0;
  records.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((cell) => cell === '')) return;
    if (cells.length < width) {
      const missing = names.slice(cells.length);
      problems.push({
        row,
        column: missing[0] || columnLetter(cells.length),
        message: `The row has ${cells.length} of ${width} cells; missing ${missing.map((m, k) => m || columnLetter(cells.length + k)).join(', ')}`,
      });
      rejectedRows++;
      return;
    }
    const extra = cells.slice(width).filter((cell) => cell !== '').length;
    if (extra > 0) {
      problems.push({ row, column: columnLetter(width), message: `The row has ${extra} cell(s) beyond the header's ${width} columns` });
      rejectedRows++;
      return;
    }
    const values: Record<string, string | null> = {};
    for (const [name, index] of columnIndexes) values[name] = cells[index] === '' ? null : cells[index]!;
    rows.push({ row, teamId: cells[teamIndex]!, values });
  });

  return { columns: columnIndexes.map(([name]) => name), rows, rejectedRows, problems };
}
