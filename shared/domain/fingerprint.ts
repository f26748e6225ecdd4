/**
 * Fingerprint of a JSON-like value: SHA-256 (hex) of its canonical JSON, with object keys sorted
 * by code unit at every level, no whitespace, and undefined properties left out (as JSON.stringify
 * does). Equal data gives an equal fingerprint whatever order its keys were built in.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') throw new TypeError('canonicalJson: BigInt has no JSON form; convert it to a string first');
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value) ?? 'null';
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return canonicalJson(withToJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((x) => (x === undefined || typeof x === 'function' ? 'null' : canonicalJson(x))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => {
      const x = (value as Record<string, unknown>)[key];
      return x !== undefined && typeof x !== 'function';
    })
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
