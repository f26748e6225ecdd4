/**
 * Validating one period's service-metric upload as a whole: every problem (unknown team or
 * metric code, a registry-derived code, a value out of range, a fraction where a count belongs,
 * a numerator above its denominator, a team listed twice, a malformed number, a missing column or
 * value) is listed with its row and column, and the upload is accepted only when there is none.
 *
 * Rows are numbered as a spreadsheet user sees them (the CSV header is row 1, so the first data
 * row is row 2); a JSON upload numbers its rows from 1 in array order and has no header.
 */
import { DERIVED_CODE_MESSAGE, isRegistryDerivedCode, type MetricCatalogue, type MetricDefinition, wholeNumberRequired } from './catalogue.ts';

/** A cell as received: a JSON number, a CSV string, or null / absent for an empty cell. */
export type UploadCell = number | string | null | undefined;

export interface UploadRowInput {
  /** the row number the user sees */
  row: number;
  teamId: string;
  values: Readonly<Record<string, UploadCell>>;
}

export interface UploadInput {
  /** CSV: the metric columns of the header (without teamId); JSON: null (each row names its codes) */
  columns: readonly string[] | null;
  rows: readonly UploadRowInput[];
  /** rows the parser already refused (reported by it), so an upload without valid rows is not also "empty" */
  rejectedRows?: number;
}

export interface UploadProblem {
  row: number;
  /** the column (metric code or "teamId") when the problem is in one cell or column */
  column?: string;
  message: string;
}

export interface ValidRow {
  teamId: string;
  values: Record<string, number>;
}

export type UploadValidation = { ok: true; rows: ValidRow[]; codes: string[] } | { ok: false; problems: UploadProblem[]; total: number };

export const TEAM_COLUMN = 'teamId';
/** Columns of a CSV header (teamId and the metric codes; a district catalogue has a few dozen), codes of a JSON row + 1. */
export const MAX_UPLOAD_COLUMNS = 200;
/** A report this long is enough to see what is wrong; the total is still given. */
export const MAX_REPORTED_PROBLEMS = 1000;

/**
 * Problems as they are found, in row order: the first MAX_REPORTED_PROBLEMS are kept, the rest
 * only counted, so a file with a problem in every cell costs no more memory than a clean one.
 */
export class ProblemList {
  readonly items: UploadProblem[] = [];
  total = 0;
  constructor(private readonly keep = MAX_REPORTED_PROBLEMS) {}
  add(problem: UploadProblem): void {
    this.total++;
    if (this.items.length < this.keep) this.items.push(problem);
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A number typed into a cell: optional sign, digits, optional decimals; no exponents, separators or units. */
export function parseNumberCell(text: string): number | null {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function isEmpty(cell: UploadCell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

function describe(cell: UploadCell): string {
  const text = String(cell);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function cellProblem(definition: MetricDefinition, cell: UploadCell): { value: number } | { message: string } {
  const value = typeof cell === 'number' ? cell : parseNumberCell(String(cell));
  if (value === null || !Number.isFinite(value)) {
    return { message: `Not a number: "${describe(cell)}" (use digits only, without thousands separators or units)` };
  }
  if (wholeNumberRequired(definition) && !Number.isInteger(value)) return { message: `Must be a whole number, not ${value}` };
  if (value < definition.min || value > definition.max) return { message: `Must be between ${definition.min} and ${definition.max}, not ${value}` };
  return { value };
}

function unknownCodeMessage(code: string): string {
  return isRegistryDerivedCode(code) ? `"${code}" ${DERIVED_CODE_MESSAGE}` : `"${code}" is not a metric code of the district's catalogue`;
}

/** Problems in row order (header first), keeping each row's own order. */
export function sortProblems(problems: readonly UploadProblem[]): UploadProblem[] {
  return [...problems].sort((a, b) => a.row - b.row);
}

export function validateUpload(input: UploadInput, catalogue: MetricCatalogue, teamIds: ReadonlySet<string>): UploadValidation {
  // found in row order (the header first, then each row's own order), so keeping the first ones is keeping the first in order
  const problems = new ProblemList();
  const byCode = new Map(catalogue.definitions.map((d) => [d.code, d]));
  const required = catalogue.definitions.filter((d) => d.required);

  // The header (CSV only): every column known, every required metric present, every numerator with its denominator.
  let columns: string[] | null = null;
  if (input.columns) {
    columns = [];
    for (const code of input.columns) {
      if (byCode.has(code)) columns.push(code);
      else problems.add({ row: 1, column: code, message: unknownCodeMessage(code) });
    }
    for (const d of required) {
      if (!columns.includes(d.code)) problems.add({ row: 1, column: d.code, message: `Missing column ${d.code} (${d.name.en}; enter 0 when there were none)` });
    }
    for (const code of columns) {
      const denominator = byCode.get(code)?.denominator;
      if (denominator !== undefined && !columns.includes(denominator) && !byCode.get(denominator)?.required) {
        problems.add({ row: 1, column: code, message: `${code} needs its denominator column ${denominator} too` });
      }
    }
  }

  if (input.rows.length === 0 && !input.rejectedRows) {
    problems.add({ row: input.columns ? 2 : 1, column: TEAM_COLUMN, message: 'The upload has no rows' });
  }

  const firstRowOfTeam = new Map<string, number>();
  const rows: ValidRow[] = [];
  for (const { row, teamId: rawTeamId, values: cells } of input.rows) {
    const before = problems.total;
    const teamId = rawTeamId.trim();
    if (teamId === '') {
      problems.add({ row, column: TEAM_COLUMN, message: 'Team id is missing' });
    } else if (!teamIds.has(teamId)) {
      problems.add({ row, column: TEAM_COLUMN, message: `Team ${teamId} is not a team of this institution` });
    } else {
      const first = firstRowOfTeam.get(teamId);
      if (first !== undefined) problems.add({ row, column: TEAM_COLUMN, message: `Team ${teamId} is listed twice (first on row ${first})` });
      else firstRowOfTeam.set(teamId, row);
    }

    const values: Record<string, number> = {};
    const codes = columns ?? Object.keys(cells);
    for (const code of codes) {
      const definition = byCode.get(code);
      if (!definition) {
        problems.add({ row, column: code, message: unknownCodeMessage(code) });
        continue;
      }
      const cell = cells[code];
      if (isEmpty(cell)) {
        if (definition.required) problems.add({ row, column: code, message: 'Missing value (enter 0 when there were none)' });
        continue;
      }
      const checked = cellProblem(definition, cell);
      if ('message' in checked) problems.add({ row, column: code, message: checked.message });
      else values[code] = checked.value;
    }
    if (!columns) {
      for (const d of required) {
        if (!(d.code in cells)) problems.add({ row, column: d.code, message: `Missing value for ${d.code} (enter 0 when there were none)` });
      }
    }
    for (const d of catalogue.definitions) {
      if (d.denominator === undefined) continue;
      const numerator = values[d.code];
      const denominator = values[d.denominator];
      if (numerator !== undefined && denominator !== undefined && numerator > denominator) {
        problems.add({ row, column: d.code, message: `${d.code} (${numerator}) exceeds ${d.denominator} (${denominator})` });
      }
      const reportedMissing = byCode.get(d.denominator)?.required ?? false;
      if (numerator !== undefined && denominator === undefined && !columns && !reportedMissing && !(d.denominator in cells)) {
        problems.add({ row, column: d.denominator, message: `${d.code} needs its denominator ${d.denominator} too` });
      }
    }
    if (problems.total === before) rows.push({ teamId, values });
  }

  if (problems.total > 0) return { ok: false, problems: problems.items, total: problems.total };
  const codes = catalogue.definitions.map((d) => d.code).filter((code) => rows.some((r) => code in r.values) || (columns?.includes(code) ?? false));
  return { ok: true, rows, codes };
}
