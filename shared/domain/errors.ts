/**
 * Errors the domain and the repositories raise; the HTTP layer maps each kind to one status
 * (invalid 400, forbidden 403, not-found 404, conflict 409, rule 422, unavailable 503) in shared/http/on-error.ts.
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'rule' | 'unavailable';

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(kind: DomainErrorKind, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const conflict = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('conflict', code, message, details);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
export const ruleBroken = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('rule', code, message, details);
