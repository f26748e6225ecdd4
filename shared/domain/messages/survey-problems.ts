/** Texts of the surveys' problems: answers, invitations, instruments. */
import type { MessageCatalogue } from './catalogue.ts';

export const SURVEY_PROBLEMS: MessageCatalogue = {
  'already-responded': { zh: '该居民本周期已评价过这个团队', en: 'This resident has already rated this team for this period' },
  'invalid-answers': { zh: '部分回答无效', en: 'Some answers are not valid' },
  'invitation-used': { zh: '该邀请链接已使用或已过期', en: 'This invitation link has been used or has expired' },
  'no-active-contract': {
    zh: '只有在该周期内与此团队有有效签约的居民才能评价',
    en: 'Only residents with a contract with this team active in the period can rate it',
  },
  'instrument-published-meanwhile': {
    zh: '同一时刻有另一个版本发布，请刷新后重试',
    en: 'Another version was published at the same moment; reload and try again',
  },
  'instrument-invalid': { zh: '问卷无效', en: 'The instrument is not valid' },
};
