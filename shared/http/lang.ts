/**
 * The reader's language for problem texts: the language a page shows (the page kit sets it for
 * page routes), else the first of zh and en in Accept-Language by preference, else Chinese.
 */
import type { Context } from 'hono';

export type ReaderLang = 'zh' | 'en';

/** The context variable a page route sets to its own language, so its error texts match the page. */
export const PAGE_LANG = 'lang';

export function acceptedLang(header: string | undefined): ReaderLang {
  if (!header) return 'zh';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q.slice(2)), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh';
}

export function readerLang(c: Context): ReaderLang {
  const chosen: unknown = c.get(PAGE_LANG);
  return chosen === 'zh' || chosen === 'en' ? chosen : acceptedLang(c.req.header('accept-language'));
}
