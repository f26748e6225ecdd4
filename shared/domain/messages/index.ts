/** Every area's problem texts, joined; a code appears in one catalogue only (checked by a unit test). */
import { type MessageCatalogue, type MessageLang, fillPlaceholders } from './catalogue.ts';
import { FINANCE_MESSAGES } from './finance.ts';

export const CATALOGUES: Record<string, MessageCatalogue> = { finance: FINANCE_MESSAGES };

export function localizedMessage(code: string, lang: MessageLang, details: Record<string, unknown> = {}): string | undefined {
  for (const catalogue of Object.values(CATALOGUES)) {
    const text = catalogue[code];
    if (text) return fillPlaceholders(text[lang], details);
  }
  return undefined;
}
