/** Pages speak Chinese (zh-CN) by default; `?lang=en` (or a form's hidden lang field) switches to English. */
export type Lang = 'zh' | 'en';

export function langOf(query: string | undefined): Lang {
  return query === 'en' ? 'en' : 'zh';
}

export const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

/** A page's texts in both languages, looked up by key. */
export function texts<T extends Record<string, string>>(all: Record<Lang, T>, lang: Lang): T {
  return all[lang];
}
