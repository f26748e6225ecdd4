/**
 * A problem in the reader's language: imported by the error mapper (./on-error.ts) on the first
 * problem with a code a container answers, so the texts and zod's Chinese locale stay out of
 * every function's cold start.
 *
 * The title comes by kind; the detail from the message catalogue (shared/domain/messages/) by
 * the problem's code, its placeholders filled from the problem's members (a domain error's
 * details); a validation problem's detail is its field messages joined again; field messages
 * made by zod through zod's Chinese locale (a schema's own message kept).
 */
import type { FieldError } from '../domain/field-errors.ts';
import { fieldMessage } from '../domain/field-messages.ts';
import { localizedMessage } from '../domain/messages/index.ts';
import { Problem } from './problem.ts';

type Lang = 'zh' | 'en';

/** Titles by kind of problem (its type's slug). */
const TITLES: Record<string, Record<Lang, string>> = {
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

export function localizedProblem(problem: Problem, lang: Lang): Problem {
  const extensions = { ...problem.extensions };
  const englishDetail = extensions.detail;
  const text = problem.text ?? (typeof extensions.code === 'string' ? { code: extensions.code, details: problem.extensions } : undefined);
  const detail = text ? localizedMessage(text.code, lang, text.details) : undefined;
  if (Array.isArray(extensions.errors)) {
    extensions.errors = extensions.errors.map((e: unknown) => {
      if (!isFieldError(e)) return e;
      // a domain error's own field: its message is the detail
      if (detail !== undefined && e.message === englishDetail) return { ...e, message: detail };
      return { ...e, message: fieldMessage(e, lang) };
    });
  }
  if (problem.slug === 'validation' && Array.isArray(extensions.errors)) {
    extensions.detail = (extensions.errors as FieldError[]).map((e) => `${e.field}: ${e.message}`).join('; ');
  } else if (detail !== undefined) extensions.detail = detail;
  // in English the title is the one the problem was made with
  const title = lang === 'en' ? problem.message : (TITLES[problem.slug]?.[lang] ?? (problem.slug.startsWith('http-') ? REQUEST_FAILED[lang] : problem.message));
  return new Problem(problem.status, problem.slug, title, extensions);
}
