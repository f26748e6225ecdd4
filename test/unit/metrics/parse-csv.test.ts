import { describe, expect, it } from 'vitest';
import { columnLetter, parseMetricsCsv } from '#shared/domain/metrics/parse-csv.ts';

describe('parseMetricsCsv', () => {
  it('reads a header and rows, tolerating a BOM, CRLF, spaces and trailing empty rows', () => {
    const parsed = parseMetricsCsv('\uFEFFteamId,htn-followup-due,htn-followup-done\r\nteam-1, 10 ,8\r\nteam-2,,3\r\n,,\r\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.columns).toEqual(['htn-followup-due', 'htn-followup-done']);
    expect(parsed.rows).toEqual([
      { row: 2, teamId: 'team-1', values: { 'htn-followup-due': '10', 'htn-followup-done': '8' } },
      { row: 3, teamId: 'team-2', values: { 'htn-followup-due': null, 'htn-followup-done': '3' } },
    ]);
  });

  it('numbers rows as a spreadsheet does: blank lines count, a quoted cell over two lines is one row', () => {
    const parsed = parseMetricsCsv('teamId,a\n\nteam-1,1\n"team\n2",2\nteam-3,3\n');
    expect(parsed.rows.map((r) => [r.row, r.teamId])).toEqual([
      [3, 'team-1'],
      [4, 'team\n2'],
      [5, 'team-3'],
    ]);
  });

  it('accepts the team column anywhere', () => {
    const parsed = parseMetricsCsv('a,teamId\n1,team-1\n');
    expect(parsed.rows).toEqual([{ row: 2, teamId: 'team-1', values: { a: '1' } }]);
  });

  it('reports rows with missing or extra cells, and keeps the other rows', () => {
    const parsed = parseMetricsCsv('teamId,a,b\nteam-1,1\nteam-2,1,2,3\nteam-3,1,2\n');
    expect(parsed.problems).toEqual([
      { row: 2, column: 'b', message: expect.stringContaining('missing b') },
      { row: 3, column: 'D', message: expect.stringContaining('beyond the header') },
    ]);
    expect(parsed.rows.map((r) => r.teamId)).toEqual(['team-3']);
    expect(parsed.rejectedRows).toBe(2);
  });

  it('reports header problems: no team column, duplicate or unnamed columns', () => {
    expect(parseMetricsCsv('a,b\n1,2\n').problems).toEqual([{ row: 1, column: 'teamId', message: expect.stringContaining('Missing column teamId') }]);
    expect(parseMetricsCsv('teamId,a,a,,b\nt,1,1,1,1\n').problems).toEqual([
      { row: 1, column: 'a', message: 'Column a appears twice' },
      { row: 1, column: 'D', message: 'Column D has no name' },
    ]);
    expect(parseMetricsCsv('').problems[0]).toMatchObject({ row: 1, message: expect.stringContaining('empty') });
  });

  it('reports broken quoting with its row', () => {
    expect(parseMetricsCsv('teamId,a\nteam-1,"1\nteam-2,2\n').problems).toEqual([{ row: 2, message: expect.stringContaining('never closed') }]);
    expect(parseMetricsCsv('teamId,a\nteam-1,1\nteam-2,2 "x"\n').problems).toEqual([{ row: 3, message: expect.stringContaining('double quote') }]);
  });

  it('refuses text that was not UTF-8', () => {
    expect(parseMetricsCsv('teamId,a\n\uFFFD\uFFFD,1\n').problems[0]!.message).toContain('UTF-8');
  });

  it('names columns with spreadsheet letters', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});
