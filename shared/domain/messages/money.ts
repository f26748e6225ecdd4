/**
 * Problem texts of the money rules (issue 13, docs/money-rules.md): contracts, teams, fees,
 * periods, subsidy rates, settlement approval and uploads into closed periods.
 */
import type { MessageCatalogue } from './catalogue.ts';

export const MONEY_MESSAGES: MessageCatalogue = {
  'contract-start-outside-window': {
    zh: '签约开始日期须在 {earliest} 至 {latest} 之间；更早的开始日期只能由管理员作为更正录入。',
    en: 'A contract starts between {earliest} and {latest}; an earlier start can only be entered by an administrator as a correction.',
  },
  'correction-admin-only': {
    zh: '只有管理员可以补录历史签约（更正）。',
    en: 'Only an administrator can enter a historical contract as a correction.',
  },
  'resident-has-active-contract-until': {
    zh: '该居民的签约有效期至 {until}；与其他团队的新签约最早从 {availableFrom} 开始。',
    en: 'The resident has a contract until {until}; a contract with another team can start on {availableFrom} at the earliest.',
  },
  'resident-contract-overlaps': {
    zh: '该居民在此期间已有签约（{otherStart} 至 {otherEnd}）；同一居民的签约不能重叠。',
    en: 'The resident already had a contract in this time ({otherStart} to {otherEnd}); contracts of one resident never overlap.',
  },
  'capacity-above-district-cap': {
    zh: '团队签约容量（{capacity}）不能超过本区上限 {cap}。',
    en: "A team's capacity ({capacity}) cannot exceed the district's cap of {cap}.",
  },
  'cap-below-team-capacity': {
    zh: '团队 {teamId} 的容量为 {capacity}，高于新的区上限；请先降低该团队的容量。',
    en: 'Team {teamId} has capacity {capacity}, above the new cap; lower its capacity first.',
  },
  'settings-changed': {
    zh: '本区设置已被他人修改，请刷新后重试。',
    en: "The district's settings changed meanwhile; reload and try again.",
  },
  'package-not-published': {
    zh: '该机构未公布服务包 {packageCode}。',
    en: 'The institution does not publish service package {packageCode}.',
  },
  'fee-above-allowed': {
    zh: '该服务包最多可收取 {maxFen} 分（公布收费 {publishedFeeFen} 分）。',
    en: 'At most {maxFen} fen may be charged for this package (published fee {publishedFeeFen} fen).',
  },
  'packages-changed': {
    zh: '该机构刚刚修改了公布的服务包，请重新核对服务包和收费。',
    en: 'The institution changed its published service packages meanwhile; check the package and fee again.',
  },
  'period-not-ended': {
    zh: '考核期 {period} 尚未结束（结束于 {end}）；只能对已结束的考核期进行考核和结算。',
    en: 'Period {period} has not ended (it ends on {end}); evaluations and settlements are only for ended periods.',
  },
  'approver-took-part': {
    zh: '您参与了本结算（创建、重新计算或设定参数），须由本区另一位财务人员审批。',
    en: 'You took part in this settlement (created, recomputed or set its parameters); another finance officer of the district must approve it.',
  },
  'approval-comment-required': {
    zh: '审批须填写意见。',
    en: 'An approval needs a comment.',
  },
  'subsidy-days-changed': {
    zh: '计算后有其他结算已支付部分补助天数，请重新计算后再审批。',
    en: 'Another settlement paid some of these subsidy days after this one was computed; recompute it and approve again.',
  },
};
