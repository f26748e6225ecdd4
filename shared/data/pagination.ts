/**
 * Opaque list cursors: DynamoDB's LastEvaluatedKey as base64url JSON. A cursor that does not
 * decode to an object of the expected key attributes is rejected as a bad request.
 */
import { DomainError } from '../domain/errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined, expectedKeys: readonly string[]): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof value === 'object' &&
      value !== null &&
      Object.keys(value).length === expectedKeys.length &&
      expectedKeys.every((k) => {
        const part = (value as Record<string, unknown>)[k];
        return typeof part === 'string' && part.length > 0;
      })
    ) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('invalid', 'bad-cursor', 'The cursor is not valid', { field: 'query.cursor' });
}
