/** The settlement reports: formats, CSV sheets and languages a report can be asked for. */
export const REPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const CSV_SHEETS = ['teams', 'members', 'institutions', 'fees'] as const;
export type CsvSheet = (typeof CSV_SHEETS)[number];
export type ReportLang = 'zh' | 'en';
