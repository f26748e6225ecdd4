/** Texts of the problems of team members joining and leaving (shared/services/team-members.ts). */
import type { MessageCatalogue } from './catalogue.ts';

export const TEAM_MEMBER_PROBLEMS: MessageCatalogue = {
  member: { zh: '未找到该团队成员', en: 'The team member was not found' },
  'member-leaves-before-joining': {
    zh: '{name}于 {joinedOn} 加入，离开日期不能早于加入日期',
    en: '{name} joined on {joinedOn}; the leave date cannot be before that',
  },
  'member-already-left': { zh: '{name}已于 {leftOn} 离开团队', en: '{name} already left the team on {leftOn}' },
  'team-member-limit': { zh: '一个团队最多记录 {max} 名成员（含已离开的）', en: 'A team keeps at most {max} members, past ones included' },
};
