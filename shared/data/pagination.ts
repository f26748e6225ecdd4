/**
 * Opaque list cursors, the one format of them all: a small JSON value as base64url, read back
 * through a zod schema. A cursor that does not decode, or decodes to anything its schema does
 * not accept, is refused as `bad-cursor` (400, field query.cursor), before DynamoDB sees it.
 * Most lists' cursor is DynamoDB's LastEvaluatedKey (`encodeCursor` / `decodeCursor`).
 */
import * as z from 'zod';
import { DomainError } from '../domain/errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function badCursor(): DomainError {
  return new DomainError('invalid', 'bad-cursor', 'The cursor is not valid', { field: 'query.cursor' });
}

export function cursorOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function readCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badCursor();
  return parsed.data;
}

export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  return lastKey ? cursorOf(lastKey) : null;
}

/** A LastEvaluatedKey of exactly these key attributes, each a non-empty string. */
const keySchemas = new Map<string, z.ZodType<Record<string, string>>>();
function lastKeySchema(expectedKeys: readonly string[]): z.ZodType<Record<string, string>> {
  const id = expectedKeys.join(',');
  let schema = keySchemas.get(id);
  if (!schema) {
    schema = z.strictObject(Object.fromEntries(expectedKeys.map((k) => [k, z.string().min(1)]))) as unknown as z.ZodType<Record<string, string>>;
    keySchemas.set(id, schema);
  }
  return schema;
}

export function decodeCursor(cursor: string | undefined, expectedKeys: readonly string[]): Record<string, unknown> | undefined {
  return cursor === undefined ? undefined : readCursor(cursor, lastKeySchema(expectedKeys));
}
