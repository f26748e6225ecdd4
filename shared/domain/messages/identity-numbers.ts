/** Problem texts for identity numbers refused on input (shared/http/identity.ts); codes are `identity-number-<problem>`. */
import type { MessageCatalogue } from './catalogue.ts';

export const IDENTITY_NUMBER_MESSAGES: MessageCatalogue = {
  'identity-number-format': {
    zh: '身份证号码应为17位数字加1位数字或X',
    en: 'Must be 17 digits followed by a digit or X',
  },
  'identity-number-province': {
    zh: '身份证号码前两位不是有效的省级行政区划代码（GB/T 2260）',
    en: 'The first two digits are not a province code of GB/T 2260',
  },
  'identity-number-birth-date': {
    zh: '身份证号码中的出生日期不是一个真实的过去日期',
    en: 'The birth date in the number is not a real past date',
  },
  'identity-number-check-digit': {
    zh: '身份证号码校验码不正确（GB 11643，ISO 7064 MOD 11-2）',
    en: 'The check character does not match (GB 11643, ISO 7064 MOD 11-2)',
  },
};
