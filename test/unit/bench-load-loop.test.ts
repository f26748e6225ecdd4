/**
 * The load test's time-bounded closed loop (bench/support/load.ts closedLoopFor): exactly
 * `concurrency` requests in flight while it runs, each worker sending its next request only when
 * the previous one answered, and no new request once the time is up. No timing asserts beyond
 * that bound: timings belong to `npm run bench`.
 */
import { describe, expect, it } from 'vitest';
import { closedLoopFor } from '../../bench/support/load.ts';

describe('closedLoopFor', () => {
  it('keeps `concurrency` requests in flight, one per worker, and starts none after its time', async () => {
    let inFlight = 0;
    let most = 0;
    const perWorker = new Map<number, number>();
    const busy = new Set<number>();
    const started = performance.now();
    let lastStart = 0;
    await closedLoopFor(200, 8, async (worker) => {
      expect(busy.has(worker)).toBe(false);
      busy.add(worker);
      lastStart = performance.now() - started;
      inFlight++;
      most = Math.max(most, inFlight);
      perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      busy.delete(worker);
    });
    expect(most).toBe(8);
    expect([...perWorker.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const count of perWorker.values()) expect(count).toBeGreaterThan(1);
    expect(lastStart).toBeLessThan(200);
    expect(inFlight).toBe(0);
  });
});
