/** Pages speak Chinese (zh-CN) by default; `?lang=en` (or a form's hidden lang field) switches to English. */
export type Lang = 'zh' | 'en';

export function langOf(query: string | undefined): Lang {
  return query === 'en' ? 'en' : 'zh';
}

export const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };
