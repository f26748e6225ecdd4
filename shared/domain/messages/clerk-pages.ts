/** Texts of the problems the institution clerk's pages raise. */
import type { MessageCatalogue } from './catalogue.ts';

export const CLERK_PAGE_PROBLEMS: MessageCatalogue = {
  period: { zh: '没有这个周期', en: 'No such period' },
  'upload-file-missing': { zh: '请选择要上传的 CSV 或 Excel 文件', en: 'Choose a CSV or Excel file to upload' },
  'upload-file-type': { zh: '只能上传 CSV（UTF-8）或 Excel（.xlsx）文件', en: 'Upload a CSV (UTF-8) or Excel (.xlsx) file' },
};
