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

export class Problem extends Error {
  readonly status: number;
  readonly slug: string;
  readonly extensions: Record<string, unknown>;
  constructor(status: number, slug: string, title: string, extensions: Record<string, unknown> = {}) {
    super(title);
    this.status = status;
    this.slug = slug;
    this.extensions = extensions;
  }

  toBody(): ProblemBody {
    const standard = { type: TYPE_BASE + this.slug, title: this.message, status: this.status };
    // an extension named like a standard member (a domain error's details) cannot replace it
    return { ...standard, ...this.extensions, ...standard };
  }
}

export const problems = {
  badRequest: (detail: string, errors?: FieldError[]) =>
    new Problem(400, 'bad-request', 'The request is not valid', { detail, ...(errors ? { errors } : {}) }),
  validation: (errors: FieldError[]) =>
    new Problem(400, 'validation', 'The request is not valid', {
      detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    }),
  unauthenticated: (detail = 'A valid bearer token is required') =>
    new Problem(401, 'unauthenticated', 'Not signed in', { detail }),
  forbidden: (detail = 'Your role or scope does not allow this') => new Problem(403, 'forbidden', 'Forbidden', { detail }),
  notFound: (what: string) => new Problem(404, 'not-found', 'Not found', { detail: `${what} was not found` }),
  conflict: (detail: string, extensions: Record<string, unknown> = {}) =>
    new Problem(409, 'conflict', 'Conflict', { detail, ...extensions }),
  tooLarge: (limitBytes: number) =>
    new Problem(413, 'payload-too-large', 'Request body too large', { detail: `The limit is ${limitBytes} bytes` }),
  unsupportedMediaType: (detail: string) => new Problem(415, 'unsupported-media-type', 'Unsupported media type', { detail }),
  unprocessable: (detail: string, errors: FieldError[]) =>
    new Problem(422, 'unprocessable', 'The request cannot be processed', { detail, errors }),
  unavailable: (detail = 'The database is busy; retry shortly') =>
    new Problem(503, 'unavailable', 'Service unavailable', { detail }),
};

export function problemJson(problem: Problem): Response {
  return new Response(JSON.stringify(problem.toBody()), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}
