/** Drawing the residents to invite: a uniform sample without replacement (partial Fisher–Yates). */
export function sampleWithoutReplacement<T>(items: readonly T[], size: number, randomInt: (maxExclusive: number) => number): T[] {
  const pool = [...items];
  const take = Math.min(size, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + randomInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}
