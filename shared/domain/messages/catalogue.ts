/**
 * Problem texts in the reader's language. Each area of the code keeps its own catalogue file
 * beside this one (`contracts.ts`, `settlements.ts`, ...) mapping a DomainError `code` to its
 * zh and en texts; `{name}` placeholders are filled from the error's details. `index.ts` joins
 * the catalogues, and the HTTP error mapper picks the text for the request's language.
 */
export type MessageLang = 'zh' | 'en';

export interface MessageText {
  zh: string;
  en: string;
}

export type MessageCatalogue = Record<string, MessageText>;

export function fillPlaceholders(template: string, details: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = details[name];
    return value === undefined || value === null ? whole : String(value);
  });
}
