/**
 * A field error's message in the reader's language: zod's default messages through zod's own
 * locales, a schema's custom message as written (there is no other text for it), anything zod
 * did not make as it is.
 */
import * as z from 'zod';
import { type FieldError, issueOf } from './field-errors.ts';

const UNKNOWN_FIELD = { zh: '未知字段', en: 'Unknown field' } as const;

const LOCALES = { zh: z.locales.zhCN().localeError, en: z.locales.en().localeError };

function localeText(locale: (typeof LOCALES)['en'], issue: z.core.$ZodIssue): string | undefined {
  const text = locale?.(issue as z.core.$ZodRawIssue);
  return typeof text === 'string' ? text : text?.message;
}

/** A field error's message in `lang`: zod's default messages translated; custom and non-zod messages as they are. */
export function fieldMessage(error: FieldError, lang: 'zh' | 'en'): string {
  const issue = issueOf(error);
  if (!issue || lang === 'en') return error.message;
  if (issue.code === 'unrecognized_keys') return UNKNOWN_FIELD[lang];
  // a message zod's English locale would not give (for this issue and input) was written by a schema: keep it
  if (localeText(LOCALES.en, issue) !== error.message) return error.message;
  return localeText(LOCALES[lang], issue) ?? error.message;
}
