/**
 * The problem texts of every area (./index.ts, ~25 KB minified) for a page that shows one:
 * loaded with the first text asked for, so they stay out of a function's cold start
 * (docs/performance.md, "Cold start").
 */
import type { MessageLang } from './catalogue.ts';

export async function messageOnDemand(code: string, lang: MessageLang, details: Record<string, unknown> = {}): Promise<string | undefined> {
  const { localizedMessage } = await import('./index.ts');
  return localizedMessage(code, lang, details);
}
