/** Texts of the contracts' problems: signing, renewing, cancelling. */
import type { MessageCatalogue } from './catalogue.ts';

export const CONTRACT_PROBLEMS: MessageCatalogue = {
  contract: { zh: '未找到该签约', en: 'The contract was not found' },
  'contract-exists': { zh: '该签约已存在', en: 'The contract already exists' },
  'contract-changed': { zh: '该签约已被解约或修改', en: 'The contract was cancelled or changed meanwhile' },
  'contract-not-signed': { zh: '签约未能完成，请重试', en: 'The contract could not be signed; retry' },
  'contract-cancelled': { zh: '已解约的签约不能续约', en: 'A cancelled contract cannot be renewed' },
  'resident-has-contract': { zh: '该居民同时签订了另一份签约', en: 'The resident signed another contract at the same moment' },
  'resident-own-contract': { zh: '居民只能为自己签约', en: 'Residents sign contracts only for themselves' },
  'team-full': { zh: '该团队已满员或不存在', en: 'The team has no free place (capacity reached) or does not exist' },
  'effective-before-start': { zh: '签约的结束日期不能早于开始日期', en: 'A contract cannot end before it starts' },
  'notice-after-effective-date': { zh: '书面通知日期必须在生效日期当天或之前', en: 'The written notice must come on or before the effective date' },
  'outside-renewal-window': { zh: '当前不在可续约的时间范围内', en: 'Renewal is not possible at this date' },
};
