/**
 * An error a page's form post ran into, in the page's language: the status, the problem's detail,
 * and each field problem under the name of the form field it belongs to (the API's field path
 * mapped by the page), so the page can show it next to that field.
 */
import { problemIn } from '../http/on-error.ts';
import type { FieldError } from '../domain/field-errors.ts';
import type { Lang } from './lang.ts';

export interface FormProblems {
  status: number;
  detail: string | undefined;
  /** form field name → message */
  fields: Record<string, string>;
  /** problems whose field the form does not have */
  other: FieldError[];
}

/** `fieldOf`: the form field of an API field path (e.g. body.startDate → startDate), undefined when the form has none. */
export async function formProblems(error: unknown, lang: Lang, fieldOf: (apiField: string) => string | undefined): Promise<FormProblems> {
  const problem = await problemIn(error, lang);
  if (problem.status >= 500) throw error;
  const errors = (problem.extensions.errors as FieldError[] | undefined) ?? [];
  const fields: Record<string, string> = {};
  const other: FieldError[] = [];
  for (const e of errors) {
    const name = fieldOf(e.field);
    if (name && fields[name] === undefined) fields[name] = e.message;
    else if (!name) other.push(e);
  }
  const detail = problem.extensions.detail as string | undefined;
  // a problem shown next to its field is not repeated above the form
  return { status: problem.status, detail: Object.keys(fields).length > 0 && other.length === 0 ? undefined : detail, fields, other };
}
