/**
 * A problem with one field of a request or form, named by its path, and zod's issues as such
 * problems. The message is English; `fieldMessage` gives it in the reader's language: zod's own
 * messages through zod's Chinese locale, a schema's custom message as written.
 */
import * as z from 'zod';

export interface FieldError {
  /** JSON pointer-ish dotted path of the offending field, e.g. "body.members.0.role" */
  field: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

/** The zod issue behind a field error (kept aside, so responses and tests see only field and message). */
const ISSUES = new WeakMap<FieldError, Issue>();

const UNKNOWN_FIELD = { zh: '未知字段', en: 'Unknown field' } as const;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `input`: what was validated, so that messages naming the received type can be given again in another language. */
export function zodFieldErrors(error: z.ZodError, location: string, input?: unknown): FieldError[] {
  return error.issues.map((issue) => {
    const path = [location, ...issue.path.map(String)];
    const fieldError =
      issue.code === 'unrecognized_keys'
        ? { field: [...path, issue.keys.join(',')].join('.'), message: UNKNOWN_FIELD.en }
        : { field: path.join('.'), message: issue.message };
    ISSUES.set(fieldError, input === undefined ? issue : ({ ...issue, input: valueAt(input, issue.path) } as Issue));
    return fieldError;
  });
}

const LOCALES = { zh: z.locales.zhCN().localeError, en: z.locales.en().localeError };

function localeText(locale: (typeof LOCALES)['en'], issue: Issue): string | undefined {
  const text = locale?.(issue as z.core.$ZodRawIssue);
  return typeof text === 'string' ? text : text?.message;
}

/** A field error's message in `lang`: zod's default messages translated; custom and non-zod messages as they are. */
export function fieldMessage(error: FieldError, lang: 'zh' | 'en'): string {
  const issue = ISSUES.get(error);
  if (!issue || lang === 'en') return error.message;
  if (issue.code === 'unrecognized_keys') return UNKNOWN_FIELD[lang];
  // a message zod's English locale would not give (for this issue and input) was written by a schema: keep it
  if (localeText(LOCALES.en, issue) !== error.message) return error.message;
  return localeText(LOCALES[lang], issue) ?? error.message;
}
