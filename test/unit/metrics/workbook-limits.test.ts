/** An uploaded workbook is read no further than the upload limits (#16): a far-off cell cannot make the reader walk millions of cells. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_COLUMNS } from '#shared/domain/metrics/validate-upload.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { fileUpload, xlsxToCsv } from '#shared/services/metrics-workbook.ts';

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  fill(book.addWorksheet('服务数据'));
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('xlsxToCsv', () => {
  it('reads one column past the limit of a sheet 5,000 columns wide, and the parser refuses it', async () => {
    const bytes = await workbook((sheet) => {
      sheet.getCell(1, 1).value = 'teamId';
      for (let col = 2; col <= 5_000; col++) sheet.getCell(1, col).value = `c${col}`;
      sheet.getCell(2, 1).value = 't1';
    });
    const csv = (await xlsxToCsv(bytes))!;
    expect(csv.split('\n')[0]!.split(',')).toHaveLength(MAX_UPLOAD_COLUMNS + 1);
    const parsed = await fileUpload(csv, DEFAULT_METRIC_CATALOGUE);
    expect(parsed.unreadable).toBe(true);
    expect(parsed.structural).toEqual([{ row: 1, message: expect.stringContaining(`at most ${MAX_UPLOAD_COLUMNS}`) }]);
  });

  it('stops at the row limit however far down a sheet claims to reach', async () => {
    const bytes = await workbook((sheet) => {
      sheet.getCell(1, 1).value = 'teamId';
      sheet.getCell(1, 2).value = 'home-visits-80plus';
      for (let r = 2; r <= 40; r++) sheet.getRow(r).values = [`t${r}`, 1];
    });
    const parsed = await fileUpload((await xlsxToCsv(bytes))!, DEFAULT_METRIC_CATALOGUE, 10);
    expect(parsed.rowsAtLeast).toBe(11);
  });
});
