/**
 * A closed-loop load generator: `concurrency` workers, each sending its next request only when
 * the previous one answered (no pipelining), until `count` requests were sent. Records every
 * latency; a failed request counts as an error and keeps the first error's message.
 */
import { perSecond, quantile } from './stats.ts';
import { mapLimited } from '#shared/domain/map-limited.ts';

export interface LoadResult {
  requests: number;
  errors: number;
  firstError: string | null;
  ms: number;
  latenciesMs: number[];
}

export interface LoadSummary {
  requests: number;
  errors: number;
  firstError: string | null;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** send(i) for i in [offset, offset + count), at most `concurrency` at a time. */
export async function closedLoop(count: number, concurrency: number, send: (i: number) => Promise<void>, offset = 0): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  await mapLimited(
    Array.from({ length: count }, (_, k) => offset + k),
    concurrency,
    async (i) => {
      const sent = performance.now();
      try {
        await send(i);
        latenciesMs.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    },
  );
  return { requests: count, errors, firstError, ms: performance.now() - started, latenciesMs };
}

/** Rounds of the same load merged: requests over the summed time, percentiles over every latency. */
export function summariseLoad(rounds: readonly LoadResult[]): LoadSummary {
  const latencies = rounds.flatMap((r) => r.latenciesMs);
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const errors = rounds.reduce((sum, r) => sum + r.errors, 0);
  const ms = rounds.reduce((sum, r) => sum + r.ms, 0);
  return {
    requests,
    errors,
    firstError: rounds.find((r) => r.firstError)?.firstError ?? null,
    requestsPerSecond: perSecond(requests - errors, ms),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

/** `concurrency` workers, each sending its next request when the previous answered, until `ms` have passed. */
export async function closedLoopFor(ms: number, concurrency: number, send: (worker: number) => Promise<void>): Promise<void> {
  const deadline = performance.now() + ms;
  await mapLimited(
    Array.from({ length: concurrency }, (_, worker) => worker),
    concurrency,
    async (worker) => {
      while (performance.now() < deadline) await send(worker);
    },
  );
}
