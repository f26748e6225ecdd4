/** Problem texts of the general audit log and of invitations (issue 15: shared/domain/audit-log.ts, shared/services/user-invites.ts). */
import type { MessageCatalogue } from './catalogue.ts';

export const AUDIT_LOG_MESSAGES: MessageCatalogue = {
  'audit-range-reversed': { zh: '开始日期（{from}）晚于结束日期（{to}）。', en: 'The range starts ({from}) after it ends ({to}).' },
  'audit-range-too-long': { zh: '查询范围最长 {days} 天，请缩短日期范围。', en: 'A range spans at most {days} days; choose a shorter range.' },
  'accounts-in-identity-provider': {
    zh: '本系统使用外部身份平台登录，账号请在该身份平台中创建和管理，不能在这里邀请。',
    en: 'Sign-in goes through an external identity provider: accounts are created and managed there, not invited here.',
  },
};
