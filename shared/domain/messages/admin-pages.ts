/** Texts of the administrator pages' problems: inviting users. */
import type { MessageCatalogue } from './catalogue.ts';

export const ADMIN_PAGE_PROBLEMS: MessageCatalogue = {
  'invite-scope-missing': { zh: '该角色需要指定所属辖区（机构数据员还需指定机构）', en: 'This role needs a district (and a clerk an institution)' },
  'invite-institution-outside-district': { zh: '所选机构不属于该辖区', en: 'The institution is not in that district' },
};
