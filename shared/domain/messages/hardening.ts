/** Problem texts of the hardening rules (#16): upload limits, invitations, survey results, request origin. */
import type { MessageCatalogue } from './catalogue.ts';

export const HARDENING_MESSAGES: MessageCatalogue = {
  'survey-period-open': {
    zh: '{period} 的满意度调查结果在该周期结束后公布',
    en: 'Survey results of {period} are shown once the period has ended',
  },
  'report-too-large': {
    zh: '报表太大，无法直接下载；请用 POST /settlements/{settlementId}/reports 在后台生成（格式 {format}）',
    en: 'This report is too large to stream here; POST /settlements/{settlementId}/reports prepares it in the background (format {format})',
  },
  'survey-period-closed': {
    zh: '{period} 已结束，该周期的满意度调查不再接受回答',
    en: 'Period {period} has ended; its survey is closed',
  },
};
