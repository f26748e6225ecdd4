/** A problem with one field of a request or form, named by its path, and zod's issues as such problems. */
import type { ZodError } from 'zod';

export interface FieldError {
  /** JSON pointer-ish dotted path of the offending field, e.g. "body.members.0.role" */
  field: string;
  message: string;
}

export function zodFieldErrors(error: ZodError, location: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = [location, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return { field: [...path, issue.keys.join(',')].join('.'), message: 'Unknown field' };
    }
    return { field: path.join('.'), message: issue.message };
  });
}
