/**
 * The single error mapper: whatever a handler throws leaves as problem+json, with no stack
 * trace or internal message, its `title` and `detail` in the reader's language (./lang.ts):
 * a domain error's detail from the message catalogue by its code (shared/domain/messages/),
 * zod's field messages through zod's Chinese locale, titles by kind. Unexpected errors are
 * logged (without request bodies, which may hold identity numbers) and answered with a generic 500.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isRetryExhausted } from '../data/aws-errors.ts';
import { DomainError, type DomainErrorKind } from '../domain/errors.ts';
import { type FieldError, fieldMessage } from '../domain/field-errors.ts';
import { localizedMessage } from '../domain/messages/index.ts';
import { type ReaderLang, readerLang } from './lang.ts';
import { Problem, problemJson, problems } from './problem.ts';

const STATUS_OF: Record<DomainErrorKind, number> = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409, rule: 422, unavailable: 503 };
const SLUG_OF: Record<DomainErrorKind, string> = {
  invalid: 'bad-request',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  conflict: 'conflict',
  rule: 'unprocessable',
  unavailable: 'unavailable',
};

/** Titles by kind of problem (its type's slug). */
const TITLES: Record<string, Record<ReaderLang, string>> = {
  'bad-request': { zh: '请求无效', en: 'The request is not valid' },
  validation: { zh: '请求无效', en: 'The request is not valid' },
  unauthenticated: { zh: '未登录', en: 'Not signed in' },
  forbidden: { zh: '无权访问', en: 'Forbidden' },
  'not-found': { zh: '未找到', en: 'Not found' },
  conflict: { zh: '冲突', en: 'Conflict' },
  'payload-too-large': { zh: '请求体过大', en: 'Request body too large' },
  'unsupported-media-type': { zh: '不支持的媒体类型', en: 'Unsupported media type' },
  unprocessable: { zh: '无法处理该请求', en: 'The request cannot be processed' },
  unavailable: { zh: '服务暂不可用', en: 'Service unavailable' },
  internal: { zh: '内部错误', en: 'Internal error' },
};
const REQUEST_FAILED = { zh: '请求失败', en: 'Request failed' };

const isFieldError = (value: unknown): value is FieldError =>
  typeof value === 'object' && value !== null && typeof (value as FieldError).field === 'string' && typeof (value as FieldError).message === 'string';

/** The same problem with its title, detail and field messages in `lang` (English is how problems are written). */
function localized(problem: Problem, lang: ReaderLang): Problem {
  if (lang === 'en') return problem;
  const extensions = { ...problem.extensions };
  if (Array.isArray(extensions.errors)) {
    extensions.errors = extensions.errors.map((e: unknown) => (isFieldError(e) ? { ...e, message: fieldMessage(e, lang) } : e));
  }
  const errors = extensions.errors as FieldError[] | undefined;
  const text = problem.text ?? (typeof extensions.code === 'string' ? { code: extensions.code, details: extensions } : undefined);
  if (problem.slug === 'validation' && errors) extensions.detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  else if (text) extensions.detail = localizedMessage(text.code, lang, text.details) ?? extensions.detail;
  const title = TITLES[problem.slug]?.[lang] ?? (problem.slug.startsWith('http-') ? REQUEST_FAILED[lang] : problem.message);
  return new Problem(problem.status, problem.slug, title, extensions);
}

export function toProblem(error: unknown, lang: ReaderLang = 'en'): Problem {
  if (error instanceof Problem) return localized(error, lang);
  if (error instanceof DomainError) {
    const { field, ...details } = error.details;
    const slug = SLUG_OF[error.kind];
    const problem = new Problem(STATUS_OF[error.kind], slug, TITLES[slug]?.en ?? slug, {
      detail: error.message,
      code: error.code,
      ...details,
      ...(typeof field === 'string' ? { errors: [{ field, message: error.message }] } : {}),
    });
    if (lang === 'en') return problem;
    const detail = localizedMessage(error.code, lang, error.details) ?? error.message;
    const inLang = localized(problem, lang);
    return new Problem(inLang.status, inLang.slug, inLang.message, {
      ...inLang.extensions,
      detail,
      ...(typeof field === 'string' ? { errors: [{ field, message: detail }] } : {}),
    });
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) return localized(problems.tooLarge(0), lang);
    if (error.status === 400) return localized(problems.badRequest(error.message || 'Malformed request', { code: 'malformed-request' }), lang);
    return localized(new Problem(error.status, `http-${error.status}`, error.message || REQUEST_FAILED.en), lang);
  }
  // A multipart body the form routes' c.req.parseBody() cannot read (undici's error): the client's fault, not ours.
  if (error instanceof TypeError && error.message.startsWith('Failed to parse body as FormData')) {
    return localized(problems.badRequest('The form data cannot be read', { code: 'form-unreadable' }), lang);
  }
  if (isRetryExhausted(error)) return localized(problems.unavailable(), lang);
  const name = (error as { name?: string } | null)?.name;
  console.error(JSON.stringify({ level: 'error', message: 'unhandled error', errorName: name, stack: (error as Error)?.stack }));
  return localized(new Problem(500, 'internal', 'Internal error', { detail: 'Something went wrong on our side; it has been logged' }, { code: 'internal' }), lang);
}

export function onError(error: unknown, c: Context): Response {
  return problemJson(toProblem(error, readerLang(c)));
}

export function notFoundRoute(c: Context): Response {
  const { method, path } = c.req;
  const problem = new Problem(404, 'not-found', 'Not found', { detail: `Route ${method} ${path} was not found` }, { code: 'route-not-found', details: { method, path } });
  return problemJson(localized(problem, readerLang(c)));
}
