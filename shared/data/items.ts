/** Helpers shared by the repositories for turning stored items into entities and back. */
import { randomBytes } from 'node:crypto';

const KEY_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity']);

/** The entity stored in an item: the item minus its key attributes. */
export function entityOf<T>(item: Record<string, unknown>): T {
  const entity: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(k)) entity[k] = v;
  return entity as T;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A new id: a readable prefix and 16 random base32 characters (80 bits), e.g. "team-4k9d…". */
export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let id = '';
  for (const b of bytes) id += ALPHABET[b & 31];
  return `${prefix}-${id}`;
}
