import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '#shared/domain/fingerprint.ts';

describe('fingerprint', () => {
  it('hashes canonical JSON: keys sorted at every level, no whitespace, undefined left out', () => {
    const value = { b: [2, { z: 1, a: null }], a: 'x', skip: undefined };
    expect(canonicalJson(value)).toBe('{"a":"x","b":[2,{"a":null,"z":1}]}');
    expect(fingerprint(value)).toBe(createHash('sha256').update('{"a":"x","b":[2,{"a":null,"z":1}]}').digest('hex'));
  });

  it('does not depend on key order but does on array order', () => {
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => fingerprint({ n: Number.NaN })).toThrow(TypeError);
    expect(() => fingerprint({ n: 1n })).toThrow(TypeError);
  });
});
