/** Problem texts of payees, payment files, funding sources, capitation and the year view (issue 17). */
import type { MessageCatalogue } from './catalogue.ts';

export const FINANCE_MESSAGES: MessageCatalogue = {
  'invalid-credit-code': {
    zh: '统一社会信用代码为 18 位数字或大写字母（不含 I、O、S、V、Z）',
    en: 'A unified social credit code has 18 characters: digits and upper-case letters without I, O, S, V, Z',
  },
  'credit-code-check': {
    zh: '统一社会信用代码校验位错误（GB 32100），应为 {expected}',
    en: 'The check character of the credit code is wrong (GB 32100): expected {expected}',
  },
  'invalid-account-number': { zh: '银行账号应为 8 至 32 位数字', en: 'A bank account number has 8 to 32 digits' },
  'no-payee-proposal': { zh: '该机构没有待审核的收款信息变更', en: 'The institution has no payee change waiting for approval' },
  'payee-proposal-changed': {
    zh: '收款信息变更在您审核后已被替换或已处理，请重新审核',
    en: 'The payee change was replaced or handled after you reviewed it; review it again',
  },
  'payee-key-unavailable': { zh: '此处无法读取或保存收款账号', en: 'Payee bank details cannot be read or stored here' },
  'payment-file-of-draft': { zh: '草稿结算不能生成付款清单，请先批准', en: 'A draft settlement has no payment file; approve it first' },
  'payee-missing': {
    zh: '{count} 家应付款机构没有已批准的收款信息：{institutions}',
    en: 'No approved payee for {count} institution(s) to be paid: {institutions}',
  },
  'duplicate-funding-source': { zh: '资金来源 {source} 重复', en: 'Funding source {source} is named twice' },
  'unfunded-stream': { zh: '没有资金来源承担 {stream}，但结算需支付该部分', en: 'No funding source pays {stream}, but the settlement pays some of it' },
  'capitation-no-measure': { zh: '按人头分配至少需要一个大于 0 的权重', en: 'Capitation needs at least one weight above 0' },
  'capitation-share-above-100': { zh: '按人头分配占奖励池的比例不能超过 100%', en: 'The capitation share of the pool is at most 100 %' },
  'invalid-year': { zh: '年份应为四位数字，如 2026', en: 'Use a four-digit year such as 2026' },
};
