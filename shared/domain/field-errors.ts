/**
 * A problem with one field of a request or form, named by its path, and zod's issues as such
 * problems. The message is English; ./field-messages.ts gives it in the reader's language.
 */
import type * as z from 'zod';

export interface FieldError {
  /** JSON pointer-ish dotted path of the offending field, e.g. "body.members.0.role" */
  field: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

/** The zod issue behind a field error (kept aside, so responses and tests see only field and message). */
const ISSUES = new WeakMap<FieldError, Issue>();

const UNKNOWN_FIELD = 'Unknown field';

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
        ? { field: [...path, issue.keys.join(',')].join('.'), message: UNKNOWN_FIELD }
        : { field: path.join('.'), message: issue.message };
    ISSUES.set(fieldError, input === undefined ? issue : ({ ...issue, input: valueAt(input, issue.path) } as Issue));
    return fieldError;
  });
}

/** The zod issue behind a field error, if zod made it (./field-messages.ts gives its message in another language). */
export function issueOf(error: FieldError): z.core.$ZodIssue | undefined {
  return ISSUES.get(error);
}
