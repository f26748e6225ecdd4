/**
 * Reading a metrics CSV (RFC 4180, UTF-8, a byte-order mark tolerated) into upload rows for
 * ./validate-upload.ts. The header row is `teamId,<metric codes…>`; rows are numbered as a
 * spreadsheet shows them (header = row 1), so a quoted cell spanning lines is still one row and a
 * blank line still counts. Rows whose cells are all empty (spreadsheets export them) are skipped.
 * Structural problems (a row with missing or extra cells, unbalanced quotes) are reported with
 * their row; cell contents are left to the validator.
 *
 * The cost of any upload is linear in its size and small (#16): a line longer than
 * MAX_CSV_LINE_CHARS is refused by one scan before parsing (a header that repeats a column a
 * million times never becomes a million cells), a header wider than MAX_UPLOAD_COLUMNS stops the
 * parse, reading stops at the first row beyond the row limit, problems are kept up to
 * MAX_REPORTED_PROBLEMS and only counted beyond, and the text is parsed in chunks that give the
 * event loop back in between, so other requests (GET /health) keep being answered.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';
import { MAX_UPLOAD_COLUMNS, ProblemList, TEAM_COLUMN, type UploadProblem, type UploadRowInput } from './validate-upload.ts';

/** A header of MAX_UPLOAD_COLUMNS codes of 64 characters fits; so does any honest data row. */
export const MAX_CSV_LINE_CHARS = 16 * 1024;
const CHUNK_BYTES = 64 * 1024;

export interface ParsedCsv {
  /** metric columns of the header, in order, without the team column */
  columns: string[];
  rows: UploadRowInput[];
  /** data rows refused for their structure (each reported in problems) */
  rejectedRows: number;
  /** at most MAX_REPORTED_PROBLEMS, in row order */
  problems: UploadProblem[];
  /** every problem found, reported or not */
  problemCount: number;
  /** set when reading stopped at the first row beyond `maxRows`: the upload has at least this many rows */
  rowsAtLeast?: number;
  /** the file could not be read as a header and rows at all: its problems are the whole report */
  unreadable?: true;
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

function only(problem: UploadProblem): ParsedCsv {
  return { columns: [], rows: [], rejectedRows: 0, problems: [problem], problemCount: 1, unreadable: true };
}

/** The first physical line longer than `max` characters (1-based), by one indexOf scan; null when none is. */
export function firstLongLine(text: string, max: number): { line: number; length: number } | null {
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > max) return { line, length: stop - start };
    if (end < 0) return null;
    start = end + 1;
  }
  return null;
}

function csvErrorProblem(error: CsvError): UploadProblem {
  const record = typeof error.records === 'number' ? error.records : 0;
  const message =
    error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'A quoted cell is never closed (an odd number of double quotes)'
      : error.code === 'CSV_MAX_RECORD_SIZE'
        ? `A row holds more than ${MAX_CSV_LINE_CHARS.toLocaleString('en')} characters (a quoted cell spanning lines?)`
        : error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
          ? 'A double quote in the middle of a cell; quote the whole cell and double the quote inside it'
          : `The CSV cannot be read (${error.code})`;
  return { row: record + 1, message };
}

/** Thrown from the parser's record callback to stop reading; never leaves this module. */
class StopReading extends Error {}

/** The header's columns, or the one problem that makes reading the rows pointless. */
function readHeader(header: string[], problems: ProblemList): { names: string[]; teamIndex: number; columnIndexes: [string, number][] } | null {
  if (header.every((cell) => cell === '')) {
    problems.add({ row: 1, column: TEAM_COLUMN, message: `The file is empty; the first row is the header: ${TEAM_COLUMN},<metric codes…>` });
    return null;
  }
  // Spreadsheets sometimes leave empty header cells at the end: drop trailing empties.
  let width = header.length;
  while (width > 0 && header[width - 1] === '') width--;
  if (width > MAX_UPLOAD_COLUMNS) {
    problems.add({
      row: 1,
      message: `The header has ${width.toLocaleString('en')} columns; an upload has at most ${MAX_UPLOAD_COLUMNS} (${TEAM_COLUMN} and the metric codes)`,
    });
    return null;
  }
  const names = header.slice(0, width);
  const teamIndex = names.findIndex((name) => name.toLowerCase() === TEAM_COLUMN.toLowerCase());
  if (teamIndex < 0) {
    problems.add({ row: 1, column: TEAM_COLUMN, message: `Missing column ${TEAM_COLUMN}: the header is ${TEAM_COLUMN},<metric codes…>` });
    return null;
  }
  const seen = new Set<string>();
  const columnIndexes: [string, number][] = [];
  names.forEach((name, index) => {
    if (index === teamIndex) return;
    if (name === '') problems.add({ row: 1, column: columnLetter(index), message: `Column ${columnLetter(index)} has no name` });
    else if (seen.has(name)) problems.add({ row: 1, column: name, message: `Column ${name} appears twice` });
    else {
      seen.add(name);
      columnIndexes.push([name, index]);
    }
  });
  return { names, teamIndex, columnIndexes };
}

export async function parseMetricsCsv(text: string, options: { maxRows?: number } = {}): Promise<ParsedCsv> {
  if (text.includes('\uFFFD')) return only({ row: 1, message: NOT_UTF8 });
  const long = firstLongLine(text, MAX_CSV_LINE_CHARS);
  if (long) {
    return only({
      row: long.line,
      message:
        `Line ${long.line.toLocaleString('en')} has ${long.length.toLocaleString('en')} characters; ` +
        `a line holds at most ${MAX_CSV_LINE_CHARS.toLocaleString('en')}`,
    });
  }
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const problems = new ProblemList();
  const rows: UploadRowInput[] = [];
  let rejectedRows = 0;
  let header: ReturnType<typeof readHeader> | undefined;
  let row = 0;
  let rowsAtLeast: number | undefined;

  const onRecord = (cells: string[]): null => {
    row++;
    if (header === undefined) {
      header = readHeader(cells, problems);
      if (header === null) throw new StopReading();
      return null;
    }
    if (header === null || cells.every((cell) => cell === '')) return null;
    if (rows.length + rejectedRows >= maxRows) {
      rowsAtLeast = rows.length + rejectedRows + 1;
      throw new StopReading();
    }
    const { names, teamIndex, columnIndexes } = header;
    const width = names.length;
    if (cells.length < width) {
      const missing = names.slice(cells.length);
      problems.add({
        row,
        column: missing[0] || columnLetter(cells.length),
        message: `The row has ${cells.length} of ${width} cells; missing ${missing.map((m, k) => m || columnLetter(cells.length + k)).join(', ')}`,
      });
      rejectedRows++;
      return null;
    }
    let extra = 0;
    for (let k = width; k < cells.length; k++) if (cells[k] !== '') extra++;
    if (extra > 0) {
      problems.add({ row, column: columnLetter(width), message: `The row has ${extra} cell(s) beyond the header's ${width} columns` });
      rejectedRows++;
      return null;
    }
    const values: Record<string, string | null> = {};
    for (const [name, index] of columnIndexes) values[name] = cells[index] === '' ? null : cells[index]!;
    rows.push({ row, teamId: cells[teamIndex]!, values });
    return null;
  };

  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, trim: true, max_record_size: MAX_CSV_LINE_CHARS, on_record: onRecord });
  const finished = new Promise<unknown>((resolve) => {
    parser.on('error', resolve);
    parser.on('end', () => resolve(null));
  });
  parser.resume();
  let failed = false;
  parser.once('error', () => {
    failed = true;
  });
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length && !failed; offset += CHUNK_BYTES) {
    parser.write(bytes.subarray(offset, offset + CHUNK_BYTES));
    await nextTurn();
  }
  if (!failed) parser.end();
  const error = await finished;

  if (error instanceof CsvError) return only(csvErrorProblem(error));
  if (error && !(error instanceof StopReading)) throw error;
  if (header === undefined)
    return only({ row: 1, column: TEAM_COLUMN, message: `The file is empty; the first row is the header: ${TEAM_COLUMN},<metric codes…>` });
  if (header === null) return { columns: [], rows: [], rejectedRows: 0, problems: problems.items, problemCount: problems.total, unreadable: true };
  return {
    columns: header.columnIndexes.map(([name]) => name),
    rows,
    rejectedRows,
    problems: problems.items,
    problemCount: problems.total,
    ...(rowsAtLeast === undefined ? {} : { rowsAtLeast }),
  };
}
