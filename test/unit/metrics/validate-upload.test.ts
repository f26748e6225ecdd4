import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_CATALOGUE, type MetricCatalogue } from '#shared/domain/metrics/catalogue.ts';
import { parseMetricsCsv } from '#shared/domain/metrics/parse-csv.ts';
import { MAX_REPORTED_PROBLEMS, parseNumberCell, type UploadInput, validateUpload } from '#shared/domain/metrics/validate-upload.ts';

const CODES = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);
const TEAMS = new Set(['team-1', 'team-2', 'team-3']);

function fullValues(overrides: Record<string, number | string | null> = {}): Record<string, number | string | null> {
  const values: Record<string, number | string | null> = {};
  for (const code of CODES) values[code] = code.endsWith('-done') ? 5 : 10;
  return { ...values, ...overrides };
}

async function csv(lines: string[]): Promise<UploadInput> {
  const parsed = await parseMetricsCsv([`teamId,${CODES.join(',')}`, ...lines].join('\n'));
  expect(parsed.problems).toEqual([]);
  return { columns: parsed.columns, rows: parsed.rows };
}

function line(teamId: string, overrides: Record<string, string> = {}): string {
  return [teamId, ...CODES.map((c) => overrides[c] ?? (c.endsWith('-done') ? '5' : '10'))].join(',');
}

describe('parseNumberCell', () => {
  it('reads plain decimal numbers only', () => {
    expect(['12', ' 7 ', '+3', '-2', '1.50', '.5', '3.'].map(parseNumberCell)).toEqual([12, 7, 3, -2, 1.5, 0.5, 3]);
    expect(['1,234', '1e3', '12人', '', '0x10', 'NaN', 'Infinity', '１２'].map(parseNumberCell)).toEqual([null, null, null, null, null, null, null, null]);
  });
});

describe('validateUpload', () => {
  it('accepts a complete, consistent upload and returns numbers in catalogue order', async () => {
    const result = validateUpload(await csv([line('team-1'), line('team-2', { 'htn-followup-done': '10' })]), DEFAULT_METRIC_CATALOGUE, TEAMS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.codes).toEqual(CODES);
    expect(result.rows[1]).toEqual({ teamId: 'team-2', values: { ...fullValues(), 'htn-followup-done': 10 } });
  });

  it('lists every problem of every row with its row and column', async () => {
    const result = validateUpload(
      await csv([
        line('team-1', { 'htn-followup-done': '11' }), // row 2: numerator above denominator
        line('team-9'), // row 3: not a team of this institution
        line('team-2', { 'newborn-visits': '2.5', 'maternal-visits': 'abc' }), // row 4: fraction, malformed
        line('team-1'), // row 5: listed twice
        line('team-3', { 'referrals-up': '-1', 'remote-consultations': '999999', 'dm-followup-due': '' }), // row 6
        line(''), // row 7: no team
      ]),
      DEFAULT_METRIC_CATALOGUE,
      TEAMS,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'htn-followup-done'],
      [3, 'teamId'],
      [4, 'maternal-visits'],
      [4, 'newborn-visits'],
      [5, 'teamId'],
      [6, 'dm-followup-due'],
      [6, 'referrals-up'],
      [6, 'remote-consultations'],
      [7, 'teamId'],
    ]);
    expect(result.total).toBe(9);
    const messages = result.problems.map((p) => p.message);
    expect(messages[0]).toBe('htn-followup-done (11) exceeds htn-followup-due (10)');
    expect(messages[1]).toContain('not a team of this institution');
    expect(messages[2]).toContain('Not a number: "abc"');
    expect(messages[3]).toContain('whole number');
    expect(messages[4]).toContain('listed twice (first on row 2)');
    expect(messages[5]).toContain('Missing value');
    expect(messages[6]).toContain('between 0 and 50000');
  });

  it('refuses unknown and registry-derived columns and names missing ones in the header row', async () => {
    const parsed = await parseMetricsCsv(
      `teamId,${CODES.filter((c) => c !== 'referrals-down').join(',')},insured-contracts,flu-shots\nteam-1,${CODES.slice(1)
        .map(() => '1')
        .join(',')},1,1\n`,
    );
    const result = validateUpload({ columns: parsed.columns, rows: parsed.rows }, DEFAULT_METRIC_CATALOGUE, TEAMS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const header = result.problems.filter((p) => p.row === 1);
    expect(header).toEqual([
      { row: 1, column: 'insured-contracts', message: expect.stringContaining('derived from the contract registry') },
      { row: 1, column: 'flu-shots', message: expect.stringContaining('not a metric code') },
      { row: 1, column: 'referrals-down', message: expect.stringContaining('Missing column referrals-down') },
    ]);
  });

  it('checks JSON rows the same way, each naming its own codes', () => {
    const input: UploadInput = {
      columns: null,
      rows: [
        { row: 1, teamId: 'team-1', values: fullValues({ 'active-contracts': 40 }) },
        {
          row: 2,
          teamId: 'team-2',
          values: (() => {
            const v = fullValues();
            delete v['child-vaccinations-due'];
            return v;
          })(),
        },
        { row: 3, teamId: 'team-3', values: fullValues({ 'dm-followup-done': 10.5 }) },
      ],
    };
    const result = validateUpload(input, DEFAULT_METRIC_CATALOGUE, TEAMS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.row, p.column])).toEqual([
      [1, 'active-contracts'],
      [2, 'child-vaccinations-due'],
      [3, 'dm-followup-done'],
    ]);
  });

  it('refuses an upload without rows', () => {
    const result = validateUpload({ columns: CODES, rows: [] }, DEFAULT_METRIC_CATALOGUE, TEAMS);
    expect(result).toMatchObject({ ok: false, problems: [{ row: 2, column: 'teamId', message: 'The upload has no rows' }] });
    // …but not when the parser refused the rows there were (it reports them itself)
    expect(validateUpload({ columns: CODES, rows: [], rejectedRows: 2 }, DEFAULT_METRIC_CATALOGUE, TEAMS)).toEqual({ ok: true, rows: [], codes: CODES });
  });

  it('allows optional metrics to be left out, decimals for measures, and a numerator only with its denominator', () => {
    const catalogue: MetricCatalogue = {
      version: 3,
      definitions: [
        { code: 'seen-due', name: { zh: '应', en: 'due' }, unit: { zh: '人', en: 'p' }, kind: 'denominator', min: 0, max: 100, required: false },
        {
          code: 'seen-done',
          name: { zh: '已', en: 'done' },
          unit: { zh: '人', en: 'p' },
          kind: 'numerator',
          min: 0,
          max: 100,
          denominator: 'seen-due',
          required: false,
        },
        { code: 'wait-hours', name: { zh: '等', en: 'wait' }, unit: { zh: '小时', en: 'h' }, kind: 'measure', min: 0, max: 48, required: true },
      ],
    };
    const ok = validateUpload({ columns: null, rows: [{ row: 1, teamId: 'team-1', values: { 'wait-hours': 2.25 } }] }, catalogue, TEAMS);
    expect(ok).toEqual({ ok: true, rows: [{ teamId: 'team-1', values: { 'wait-hours': 2.25 } }], codes: ['wait-hours'] });
    const lonely = validateUpload(
      { columns: ['seen-done', 'wait-hours'], rows: [{ row: 2, teamId: 'team-1', values: { 'seen-done': '3', 'wait-hours': '1' } }] },
      catalogue,
      TEAMS,
    );
    expect(lonely).toMatchObject({ ok: false, problems: [{ row: 1, column: 'seen-done', message: 'seen-done needs its denominator column seen-due too' }] });
  });

  it(`reports at most ${MAX_REPORTED_PROBLEMS} problems but counts them all`, () => {
    const rows = Array.from({ length: 1500 }, (_, i) => ({ row: i + 2, teamId: `nobody-${i}`, values: fullValues() }));
    const result = validateUpload({ columns: CODES, rows }, DEFAULT_METRIC_CATALOGUE, TEAMS);
    expect(result).toMatchObject({ ok: false, total: 1500 });
    if (!result.ok) expect(result.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
  });
});
