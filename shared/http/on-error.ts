/**
 * The single error mapper: whatever a handler throws leaves as problem+json, with no stack
 * trace or internal message, its `title` and `detail` in the reader's language (./lang.ts):
 * problems are thrown with an English message (`toProblem`); the detail a reader gets, in Chinese
 * or English, is the message catalogue's text for the problem's code (./localize.ts, loaded on
 * first use), the thrown message only for a code the catalogue lacks. Unexpected errors are
 * logged (without request bodies, which may hold identity numbers) and answered with a generic 500.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isRetryExhausted } from '../data/aws-errors.ts';
import { DomainError, type DomainErrorKind } from '../domain/errors.ts';
import { logger } from '../observability/telemetry.ts';
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
const TITLE_OF: Record<DomainErrorKind, string> = {
  invalid: 'The request is not valid',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  rule: 'The request cannot be processed',
  unavailable: 'Service unavailable',
};

/** Anything thrown as a problem, in English. */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof DomainError) {
    const { field, ...details } = error.details;
    return new Problem(
      STATUS_OF[error.kind],
      SLUG_OF[error.kind],
      TITLE_OF[error.kind],
      {
        detail: error.message,
        code: error.code,
        ...details,
        ...(typeof field === 'string' ? { errors: [{ field, message: error.message }] } : {}),
      },
      // the text's placeholders may name the field too
      { code: error.code, details: error.details },
    );
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) return problems.tooLarge(0);
    if (error.status === 400) return problems.badRequest(error.message || 'Malformed request', { code: 'malformed-request' });
    return new Problem(error.status, `http-${error.status}`, error.message || 'Request failed');
  }
  // A multipart body the form routes' c.req.parseBody() cannot read (undici's error): the client's fault, not ours.
  if (error instanceof TypeError && error.message.startsWith('Failed to parse body as FormData')) {
    return problems.badRequest('The form data cannot be read', { code: 'form-unreadable' });
  }
  if (isRetryExhausted(error)) return problems.unavailable();
  const name = (error as { name?: string } | null)?.name;
  logger.error('unhandled error', { errorName: name, stack: (error as Error)?.stack });
  return new Problem(500, 'internal', 'Internal error', { detail: 'Something went wrong on our side; it has been logged' }, { code: 'internal' });
}

/**
 * A problem in `lang`: its detail from the catalogue's text for its code in that language, English
 * included (the thrown message only where the catalogue has no text). The texts load with the
 * first problem that has a code.
 */
async function inLang(problem: Problem, lang: ReaderLang): Promise<Problem> {
  if (lang === 'en' && problem.text === undefined && typeof problem.extensions.code !== 'string') return problem;
  const { localizedProblem } = await import('./localize.ts');
  return localizedProblem(problem, lang);
}

/** Anything thrown as a problem in the reader's language: what a page shows of a refusal. */
export function problemIn(error: unknown, lang: ReaderLang): Promise<Problem> {
  return inLang(toProblem(error), lang);
}

/** The problem as a response in the reader's language. */
async function respond(problem: Problem, c: Context): Promise<Response> {
  return problemJson(await inLang(problem, readerLang(c)));
}

export function onError(error: unknown, c: Context): Promise<Response> {
  return respond(toProblem(error), c);
}

export function notFoundRoute(c: Context): Promise<Response> {
  const { method, path } = c.req;
  return respond(
    new Problem(404, 'not-found', 'Not found', { detail: `Route ${method} ${path} was not found` }, { code: 'route-not-found', details: { method, path } }),
    c,
  );
}
