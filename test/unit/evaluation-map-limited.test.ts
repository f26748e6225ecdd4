/** mapLimited: the bounded concurrency of an evaluation's batches and of a batch's teams. */
import { describe, expect, it } from 'vitest';
import { mapLimited } from '#shared/domain/map-limited.ts';

/** A promise and its resolve and reject, settled by the test. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('mapLimited', () => {
  it('keeps the order of the items whatever order they finish in, with at most `limit` in flight', async () => {
    const pending = Array.from({ length: 5 }, () => deferred<string>());
    const started: number[] = [];
    const result = mapLimited(['a', 'b', 'c', 'd', 'e'], 2, (item, i) => {
      started.push(i);
      return pending[i]!.promise.then(() => item.toUpperCase());
    });
    await tick();
    expect(started).toEqual([0, 1]);
    pending[1]!.resolve('');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const i of [4, 3, 2, 0]) pending[i]!.resolve('');
    expect(await result).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts nothing after a failure and throws it only once the items in flight have settled', async () => {
    const pending = Array.from({ length: 4 }, () => deferred<number>());
    const started: number[] = [];
    let outcome: unknown = 'unsettled';
    const result = mapLimited([0, 1, 2, 3], 2, (_, i) => {
      started.push(i);
      return pending[i]!.promise;
    }).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    void result.then((o) => {
      outcome = o;
    });
    await tick();
    pending[0]!.reject(new Error('batch 0 failed'));
    await tick();
    expect(outcome).toBe('unsettled');
    pending[1]!.resolve(1);
    expect(await result).toBe('batch 0 failed');
    expect(started).toEqual([0, 1]);
  });
});
