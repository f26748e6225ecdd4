/** The report formats' media types, apart from their writers (./xlsx.ts, ./csv.ts), which load with the first report written. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
