/**
 * exceljs's streaming workbook writer on its own: importing the package's main entry would also
 * bundle its readers (unzipper, saxes, jszip, fast-csv), about 600 KB of the finance function that
 * a writer never runs. The class is the one the package exports as stream.xlsx.WorkbookWriter.
 */
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  const WorkbookWriter: typeof import('exceljs').stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}
