/**
 * One sheet of the settlement report as CSV: RFC 4180 (CRLF line ends, fields with a comma, quote
 * or line break quoted, quotes doubled) in UTF-8 with a byte-order mark, so Excel on a Chinese
 * Windows reads the Chinese as Chinese. Written by csv-stringify, piped to the destination with
 * back-pressure; the same columns as the workbook's sheet (./sheets.ts). Money is yuan with two
 * decimals and no thousands separator ("12345.67"), so a spreadsheet reads it as a number.
 * A draft's CSV starts with a DRAFT line (草稿 / DRAFT, the notice, the settlement id) before the
 * header, so the mark travels with the file even when it is renamed.
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { CsvSheet } from '../../domain/reports.ts';
import { neutralise, yuanText } from './cells.ts';
import { type ProgressOptions, ReportAbortedError } from './flow.ts';
import { type Cell, type Column, sheetSource } from './sheets.ts';
import { assertSameComputation, finishSheet, type ReportContext } from './source.ts';
import type { ReportResult } from './xlsx.ts';

function csvValue(column: Column, value: Cell): string {
  if (value === null) return '';
  switch (column.kind) {
    case 'money':
      return yuanText(value as number);
    case 'int':
    case 'score':
      return String(value);
    case 'decimal':
    case 'text':
      return neutralise(String(value));
  }
}

/** Writes the sheet to `out` and ends it. */
export async function writeReportCsv(context: ReportContext, sheet: CsvSheet, out: Writable, options: ProgressOptions = {}): Promise<ReportResult> {
  const source = sheetSource(context, sheet);
  // quote_record_delimiter: a field with a lone line feed is quoted too (with a custom record_delimiter csv-stringify only quotes CRLF otherwise)
  const csv = stringify({ bom: true, record_delimiter: 'windows', quote_record_delimiter: true });
  const piped = pipeline(csv, out);
  // a failed pipeline is reported by `await piped` below; this keeps it from being unhandled meanwhile
  piped.catch(() => {});
  const every = options.every ?? 500;
  let rows = 0;
  const write = async (record: string[]) => {
    if (out.destroyed) throw new ReportAbortedError('The report destination was closed');
    if (!csv.write(record)) {
      await new Promise<void>((resolve, reject) => {
        csv.once('drain', resolve);
        piped.catch(reject);
      });
    }
  };
  try {
    if (context.settlement.status === 'draft') await write([context.t.draft, context.t.draftNotice, context.settlement.settlementId]);
    await write(source.columns.map((column) => column.header));
    for await (const cells of source.rows()) {
      await write(source.columns.map((column, i) => csvValue(column, cells[i] ?? null)));
      rows += 1;
      if (rows % every === 0) await options.onProgress?.(rows);
    }
    await finishSheet(context, source);
    await assertSameComputation(context);
  } catch (error) {
    if (!out.destroyed) out.destroy();
    csv.destroy();
    await piped.catch(() => {});
    throw error;
  }
  csv.end();
  await piped;
  await options.onProgress?.(rows);
  return { rows, sheets: { [sheet]: rows } };
}
