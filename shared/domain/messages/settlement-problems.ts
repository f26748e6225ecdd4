/** Texts of the settlements' and reports' problems. */
import type { MessageCatalogue } from './catalogue.ts';

export const SETTLEMENT_PROBLEMS: MessageCatalogue = {
  'settlement-exists': { zh: '该结算已存在', en: 'The settlement already exists' },
  'not-found': { zh: '未找到该结算', en: 'The settlement was not found' },
  'not-draft': { zh: '该结算已不存在或不再是草稿', en: 'The settlement is gone or no longer a draft' },
  'not-approved': { zh: '只有已批准的结算才能关闭', en: 'Only an approved settlement can be closed' },
  'four-eyes': {
    zh: '需要另一名财务人员批准：您创建或最后计算了此结算，请由本辖区的另一名财务人员批准',
    en: 'A second finance officer must approve: you created or last computed this settlement, so another officer of the district approves it',
  },
  contended: { zh: '该结算正在重新计算，请稍后重试', en: 'The settlement is being recomputed; try again shortly' },
  // one code for every place a recompute overtook the reader (paging, approving, a report, a job): the text fits all
  recomputed: { zh: '结算已被重新计算，请查看最新结果后重试', en: 'The settlement has been recomputed meanwhile; review its latest lines and try again' },
  'correction-of-draft': { zh: '草稿结算不能更正，请重新计算', en: 'A draft settlement is recomputed, not corrected' },
  'correction-period-mismatch': { zh: '被更正的结算与该评价的周期不同', en: 'The corrected settlement is for another period than the evaluation' },
  'unknown-settlement': { zh: '本辖区没有这个结算', en: 'The district has no such settlement' },
  'unknown-evaluation': { zh: '该结算所依据的评价已不存在', en: 'The evaluation of the settlement no longer exists' },
  'evaluation-not-completed': { zh: '只能对已完成的评价进行结算', en: 'Only a completed evaluation can be settled' },
  'invalid-period': { zh: '该评价没有有效的周期', en: 'The evaluation has no valid period' },
  'invalid-decimal': { zh: '不是非负小数', en: 'Not a non-negative decimal' },
  'period-settled': { zh: '该周期已结算', en: 'The period is settled' },
  'report-not-ready': { zh: '报表尚未生成完成', en: 'The report is not ready yet' },
  'report-file-gone': { zh: '报表文件已过期或不存在', en: 'The report file has expired or is gone' },
  'report-job-not-started': { zh: '报表任务未能启动，请重试', en: 'The report job could not be started; retry' },
};
