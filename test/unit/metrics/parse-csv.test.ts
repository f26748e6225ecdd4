import { describe, expect, it } from 'vitest';
import { columnLetter, firstLongLine, MAX_CSV_LINE_CHARS, parseMetricsCsv } from '#shared/domain/metrics/parse-csv.ts';
import { MAX_UPLOAD_COLUMNS } from '#shared/domain/metrics/validate-upload.ts';

describe('parseMetricsCsv', () => {
  it('reads a header and rows, tolerating a BOM, CRLF, spaces and trailing empty rows', async () => {
    const parsed = await parseMetricsCsv('\uFEFFteamId,htn-followup-due,htn-followup-done\r\nteam-1, 10 ,8\r\nteam-2,,3\r\n,,\r\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.columns).toEqual(['htn-followup-due', 'htn-followup-done']);
    expect(parsed.rows).toEqual([
      { row: 2, teamId: 'team-1', values: { 'htn-followup-due': '10', 'htn-followup-done': '8' } },
      { row: 3, teamId: 'team-2', values: { 'htn-followup-due': null, 'htn-followup-done': '3' } },
    ]);
  });

  it('numbers rows as a spreadsheet does: blank lines count, a quoted cell over two lines is one row', async () => {
    const parsed = await parseMetricsCsv('teamId,a\n\nteam-1,1\n"team\n2",2\nteam-3,3\n');
    expect(parsed.rows.map((r) => [r.row, r.teamId])).toEqual([
      [3, 'team-1'],
      [4, 'team\n2'],
      [5, 'team-3'],
    ]);
  });

  it('accepts the team column anywhere', async () => {
    const parsed = await parseMetricsCsv('a,teamId\n1,team-1\n');
    expect(parsed.rows).toEqual([{ row: 2, teamId: 'team-1', values: { a: '1' } }]);
  });

  it('reports rows with missing or extra cells, and keeps the other rows', async () => {
    const parsed = await parseMetricsCsv('teamId,a,b\nteam-1,1\nteam-2,1,2,3\nteam-3,1,2\n');
    expect(parsed.problems).toEqual([
      { row: 2, column: 'b', message: expect.stringContaining('missing b') },
      { row: 3, column: 'D', message: expect.stringContaining('beyond the header') },
    ]);
    expect(parsed.rows.map((r) => r.teamId)).toEqual(['team-3']);
    expect(parsed.rejectedRows).toBe(2);
  });

  it('reports header problems: no team column, duplicate or unnamed columns', async () => {
    expect((await parseMetricsCsv('a,b\n1,2\n')).problems).toEqual([{ row: 1, column: 'teamId', message: expect.stringContaining('Missing column teamId') }]);
    expect((await parseMetricsCsv('teamId,a,a,,b\nt,1,1,1,1\n')).problems).toEqual([
      { row: 1, column: 'a', message: 'Column a appears twice' },
      { row: 1, column: 'D', message: 'Column D has no name' },
    ]);
    expect((await parseMetricsCsv('')).problems[0]).toMatchObject({ row: 1, message: expect.stringContaining('empty') });
  });

  it('reports broken quoting with its row', async () => {
    expect((await parseMetricsCsv('teamId,a\nteam-1,"1\nteam-2,2\n')).problems).toEqual([{ row: 2, message: expect.stringContaining('never closed') }]);
    expect((await parseMetricsCsv('teamId,a\nteam-1,1\nteam-2,2 "x"\n')).problems).toEqual([{ row: 3, message: expect.stringContaining('double quote') }]);
  });

  it('refuses text that was not UTF-8', async () => {
    expect((await parseMetricsCsv('teamId,a\n\uFFFD\uFFFD,1\n')).problems[0]!.message).toContain('UTF-8');
  });

  it('refuses a line longer than the limit with one problem, before parsing (the repeated-header bomb)', async () => {
    const bomb = `teamId,${'htn-followup-due,'.repeat(460_000)}\nteam-1,1\n`;
    const parsed = await parseMetricsCsv(bomb);
    expect(parsed.problems).toEqual([{ row: 1, message: expect.stringMatching(/^Line 1 has 7,820,\d{3} characters; a line holds at most 16,384$/) }]);
    expect(parsed.problemCount).toBe(1);
    const wideRow = await parseMetricsCsv(`teamId,a\nteam-1,1\nteam-2,${','.repeat(MAX_CSV_LINE_CHARS)}\n`);
    expect(wideRow.problems).toEqual([{ row: 3, message: expect.stringContaining('Line 3 has 16,391 characters') }]);
    expect(firstLongLine('ab\ncde\nf', 2)).toEqual({ line: 2, length: 3 });
    expect(firstLongLine('ab\ncd', 2)).toBeNull();
  });

  it(`refuses a header of more than ${MAX_UPLOAD_COLUMNS} columns with one problem and reads no row`, async () => {
    const codes = Array.from({ length: MAX_UPLOAD_COLUMNS }, (_, i) => `c${i}`);
    const wide = await parseMetricsCsv(`teamId,${codes.join(',')}\nteam-1,${codes.map(() => '1').join(',')}\n`);
    expect(wide.problems).toEqual([
      { row: 1, message: `The header has ${MAX_UPLOAD_COLUMNS + 1} columns; an upload has at most ${MAX_UPLOAD_COLUMNS} (teamId and the metric codes)` },
    ]);
    expect(wide.rows).toEqual([]);
    const fits = await parseMetricsCsv(
      `teamId,${codes.slice(1).join(',')}\nteam-1,${codes
        .slice(1)
        .map(() => '1')
        .join(',')}\n`,
    );
    expect(fits.problems).toEqual([]);
    expect(fits.columns).toHaveLength(MAX_UPLOAD_COLUMNS - 1);
  });

  it('refuses a quoted cell that runs over the line limit across many lines', async () => {
    const parsed = await parseMetricsCsv(`teamId,a\nteam-1,"${'x\n'.repeat(MAX_CSV_LINE_CHARS)}"\n`);
    expect(parsed.problems).toEqual([{ row: 2, message: expect.stringContaining('more than 16,384 characters') }]);
  });

  it('keeps the first 1,000 problems in row order and counts the rest', async () => {
    const parsed = await parseMetricsCsv(`teamId,a,b\n${Array.from({ length: 5000 }, (_, i) => `team-${i},1`).join('\n')}\n`);
    expect(parsed.problemCount).toBe(5000);
    expect(parsed.problems).toHaveLength(1000);
    expect(parsed.problems.map((p) => p.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
    expect(parsed.rejectedRows).toBe(5000);
  });

  it('stops reading at the first row beyond the row limit', async () => {
    const lines = (n: number) => `teamId,a\n${Array.from({ length: n }, (_, i) => `team-${i},1`).join('\n')}\n\n`;
    const atLimit = await parseMetricsCsv(lines(300), { maxRows: 300 });
    expect(atLimit.rowsAtLeast).toBeUndefined();
    expect(atLimit.rows).toHaveLength(300);
    const over = await parseMetricsCsv(lines(5000), { maxRows: 300 });
    expect(over.rowsAtLeast).toBe(301);
    expect(over.rows).toHaveLength(300);
  });

  it('reads multi-byte text split across the chunks it parses in', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `团队-${i}-测试,${i}`);
    const parsed = await parseMetricsCsv(`teamId,a\n${rows.join('\n')}\n`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toHaveLength(20_000);
    expect(parsed.rows.every((r, i) => r.teamId === `团队-${i}-测试` && r.values.a === String(i))).toBe(true);
  });

  it('names columns with spreadsheet letters', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});
