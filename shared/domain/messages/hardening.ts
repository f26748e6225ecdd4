/** Problem texts of the hardening rules (#16): upload limits, invitations, survey results, request origin. */
import type { MessageCatalogue } from './catalogue.ts';

export const HARDENING_MESSAGES: MessageCatalogue = {
  'survey-period-open': {
    zh: '{period} 的满意度调查结果在该周期结束后公布',
    en: 'Survey results of {period} are shown once the period has ended',
  },
  'survey-period-closed': {
    zh: '{period} 已结束，该周期的满意度调查不再接受回答',
    en: 'Period {period} has ended; its survey is closed',
  },
};
