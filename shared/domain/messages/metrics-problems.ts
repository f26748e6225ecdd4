/** Texts of the service metrics' problems: uploads and their versions. */
import type { MessageCatalogue } from './catalogue.ts';

export const METRICS_PROBLEMS: MessageCatalogue = {
  'period-closed': { zh: '该周期已关闭，不能再上传；管理员可以重新开放', en: 'The period is closed to uploads; an administrator can reopen it' },
  metrics: { zh: '未找到该机构该周期的服务数据', en: 'The metrics of the institution for the period were not found' },
  'metrics-version': { zh: '未找到该版本的服务数据', en: 'That version of the metrics was not found' },
  'invalid-upload': {
    zh: '上传有 {problemCount} 处问题，未保存任何数据。行号与电子表格中一致。',
    en: 'The upload has {problemCount} problems; nothing was stored. Rows are numbered as in a spreadsheet.',
  },
  'too-many-rows': { zh: '一次上传最多 {limit} 行（团队），未保存任何数据。', en: 'One upload carries at most {limit} rows (teams). Nothing was stored.' },
  'upload-xlsx-too-large': {
    zh: 'Excel 文件解压后过大或压缩比异常，未保存任何数据。请只保留数据工作表后重新另存为 .xlsx，或上传 CSV。',
    en:
      'The Excel file is too large once unpacked, or compressed abnormally; nothing was stored. ' +
      'Keep only the data sheet and save it again as .xlsx, or upload a CSV.',
  },
  'period-not-started': { zh: '该周期尚未开始，开始后才能上报数据', en: 'The period has not started; metrics are reported once it has begun' },
  'upload-contended': { zh: '该机构该周期同时有其他上传，请重试', en: 'Other uploads for this institution and period kept arriving at the same moment; retry' },
  'metrics-media-type': { zh: '请以 application/json 或 text/csv（UTF-8）发送服务数据', en: 'Send the metrics as application/json or text/csv (UTF-8)' },
  'csv-not-utf8': {
    zh: 'CSV 必须是 UTF-8 编码，而不是 {charset}；请另存为“CSV UTF-8（逗号分隔）”',
    en: 'CSV must be UTF-8, not {charset}; save it as "CSV UTF-8 (comma delimited)"',
  },
};
