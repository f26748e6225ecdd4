/**
 * RFC 9457 problem details: the only shape an error leaves the API in. Handlers throw
 * `Problem`s (or domain errors that map to one); `problemResponse` is the single place
 * that turns anything thrown into a response, and it never includes internals.
 */
import type { FieldError } from '../domain/field-errors.ts';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://gatekeeper.example/problems/';

/** The catalogue code of a problem's detail (shared/domain/messages/), so the mapper can give it in the reader's language. */
export interface ProblemText {
  code: string;
  details?: Record<string, unknown>;
}

export class Problem extends Error {
  readonly status: number;
  readonly slug: string;
  readonly extensions: Record<string, unknown>;
  readonly text: ProblemText | undefined;
  constructor(status: number, slug: string, title: string, extensions: Record<string, unknown> = {}, text?: ProblemText) {
    super(title);
    this.status = status;
    this.slug = slug;
    this.extensions = extensions;
    this.text = text;
  }

  toBody(): ProblemBody {
    const standard = { type: TYPE_BASE + this.slug, title: this.message, status: this.status };
    // an extension named like a standard member (a domain error's details) cannot replace it
    return { ...standard, ...this.extensions, ...standard };
  }
}

/** Each factory takes the English detail and, where the detail is the caller's, its catalogue code. */
export const problems = {
  badRequest: (detail: string, text?: ProblemText, errors?: FieldError[]) =>
    new Problem(400, 'bad-request', 'The request is not valid', { detail, ...(errors ? { errors } : {}) }, text),
  validation: (errors: FieldError[]) =>
    new Problem(400, 'validation', 'The request is not valid', {
      detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    }),
  unauthenticated: () => new Problem(401, 'unauthenticated', 'Not signed in', { detail: 'A valid bearer token is required' }, { code: 'unauthenticated' }),
  forbidden: (detail = 'Your role or scope does not allow this', text: ProblemText = { code: 'forbidden' }) =>
    new Problem(403, 'forbidden', 'Forbidden', { detail }, text),
  notFound: (what: string) =>
    new Problem(404, 'not-found', 'Not found', { detail: `${what} was not found` }, { code: 'resource-not-found', details: { what } }),
  tooLarge: (limitBytes: number) =>
    new Problem(
      413,
      'payload-too-large',
      'Request body too large',
      { detail: `The limit is ${limitBytes} bytes` },
      { code: 'payload-too-large', details: { limitBytes } },
    ),
  unsupportedMediaType: (detail: string, text: ProblemText) => new Problem(415, 'unsupported-media-type', 'Unsupported media type', { detail }, text),
  unprocessable: (detail: string, errors: FieldError[], text: ProblemText) =>
    new Problem(422, 'unprocessable', 'The request cannot be processed', { detail, errors }, text),
  unavailable: () => new Problem(503, 'unavailable', 'Service unavailable', { detail: 'The database is busy; retry shortly' }, { code: 'unavailable' }),
};

export function problemJson(problem: Problem): Response {
  return new Response(JSON.stringify(problem.toBody()), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}
