/**
 * Pages speak Chinese (zh-CN) by default; `?lang=en` (or a form's hidden lang field) switches to
 * English. The choice persists in the gk_lang cookie (set by pageLang when the query names a language).
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export type Lang = 'zh' | 'en';

export function langOf(query: string | undefined): Lang {
  return query === 'en' ? 'en' : 'zh';
}

export const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

export const LANG_COOKIE = 'gk_lang';
const LANG_COOKIE_SECONDS = 365 * 24 * 3600;

/** The page's language: `?lang=` when given (and remembered in the cookie), else the remembered choice, else Chinese. */
export function pageLang(c: Context): Lang {
  const query = c.req.query('lang');
  if (query === 'zh' || query === 'en') {
    if (getCookie(c, LANG_COOKIE) !== query) {
      setCookie(c, LANG_COOKIE, query, {
        path: '/',
        sameSite: 'Lax',
        httpOnly: true,
        maxAge: LANG_COOKIE_SECONDS,
        secure: new URL(c.req.url).protocol === 'https:',
      });
    }
    return query;
  }
  return langOf(getCookie(c, LANG_COOKIE));
}

/** The language of a form post: the form's hidden lang field (the page it was on), else as for pageLang. */
export function formLang(c: Context, values: Record<string, string | undefined>): Lang {
  return values.lang === 'zh' || values.lang === 'en' ? values.lang : pageLang(c);
}
