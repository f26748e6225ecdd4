/**
 * Integer arithmetic under the exact numbers of scoring (../scoring/ratio.ts) and money
 * (../money/exact-decimal.ts): greatest common divisors and powers of ten, on safe-integer
 * doubles while they fit and on BigInt beyond.
 */

/** 10^0 … 10^15, all exact doubles. */
export const POW10_DOUBLES: readonly number[] = Array.from({ length: 16 }, (_, k) => 10 ** k);

const POW10_BIG: bigint[] = Array.from({ length: 40 }, (_, k) => 10n ** BigInt(k));

export function pow10(exponent: number): bigint {
  return POW10_BIG[exponent] ?? 10n ** BigInt(exponent);
}

/** gcd of safe integers, b ≥ 0. Once both fit in 31 bits it uses int32 remainders, much faster than double ones. */
export function gcd(a: number, b: number): number {
  let x = a < 0 ? -a : a;
  let y = b;
  while (x > 0x7fffffff || y > 0x7fffffff) {
    if (y === 0) return x;
    const t = x % y;
    x = y;
    y = t;
  }
  let xi = x | 0;
  let yi = y | 0;
  while (yi !== 0) {
    const t = xi % yi;
    xi = yi;
    yi = t;
  }
  return xi;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** gcd of any integers, non-negative; as soon as both parts are safe integers it continues on doubles. */
export function gcdBig(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  // one BigInt step brings the larger below the smaller, then safe integers take over
  if (x > SAFE && y !== 0n && y <= SAFE) [x, y] = [y, x % y];
  if (x <= SAFE && y <= SAFE) return BigInt(gcd(Number(x), Number(y)));
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}
