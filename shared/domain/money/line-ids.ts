import { invalidMoneyInput } from './money-errors.ts';

/**
 * Orders ids by Unicode code point, which (unlike `<` on JS strings, which compares UTF-16
 * code units) does not depend on how characters outside the BMP are encoded.
 */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** Ids name lines in results and break ties, so each must be a unique, non-empty string. */
export function assertUniqueIds(ids: Iterable<string>, label: string): void {
  if (Array.isArray(ids) && inStrictOrder(ids)) return;
  const seen = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0) {
      throw invalidMoneyInput('invalid-id', `Every ${label} needs a non-empty id`, { field: label });
    }
    if (seen.has(id)) throw invalidMoneyInput('duplicate-id', `${label} ${id} appears more than once`, { field: label, id });
    seen.add(id);
  }
}

/** Non-empty strings in strictly ascending order are unique: one pass, no set (lists read by key usually are). */
function inStrictOrder(ids: readonly unknown[]): boolean {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (typeof id !== 'string' || id.length === 0) return false;
    if (i > 0 && !((ids[i - 1] as string) < id)) return false;
  }
  return true;
}
