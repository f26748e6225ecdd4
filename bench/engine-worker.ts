/**
 * One engine measurement in its own process: `tsx bench/engine-worker.ts <teams>`.
 * Warms up on a small district, generates the district (untimed), scores and allocates it
 * (timed, repeated for small sizes), then runs the typed-array baseline on the same teams.
 * Sends an EngineMeasurement to the parent (or prints it when run by hand, e.g. under
 * `node --cpu-prof --import tsx bench/engine-worker.ts 420000`).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { reportToParent } from './support/child.ts';
import { BENCH_CRITERIA } from './support/bench-criteria.ts';
import { type EngineOutcome, poolFor, scoreAndAllocate } from './support/engine-workload.ts';
import { median } from './support/stats.ts';
import { syntheticDistrict } from './support/synthetic-district.ts';
import { scoreTypedArrays, toTypedArrays } from './support/typed-array-baseline.ts';

export interface EngineMeasurement {
  teams: number;
  indicators: number;
  repeats: number;
  generateMs: number;
  /** medians over the repeats */
  scoreMs: number;
  allocateMs: number;
  totalMs: number;
  /** process CPU time (user + system, all threads) per repeat, median */
  cpuMs: number;
  /** time the main thread spent in garbage-collection pauses per repeat, median */
  gcMs: number;
  baselineMs: number;
  baselineRepeats: number;
  heapUsedAfterGenerateBytes: number;
  /** highest heapUsed seen right after a repeat, results still referenced */
  heapUsedPeakBytes: number;
  maxRssBytes: number;
  sanity: {
    scored: number;
    insufficient: number;
    eligible: number;
    capped: number;
    void: number;
    paid: number;
    unallocated: number;
    pool: number;
    amountsAddUp: boolean;
  };
}

function repeatsFor(teams: number): number {
  if (teams <= 2_000) return 15;
  if (teams <= 50_000) return 3;
  return 1;
}

function sanityOf(outcome: EngineOutcome): EngineMeasurement['sanity'] {
  const teams = outcome.scores.teams;
  const paidByLines = outcome.incentives.lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    scored: teams.filter((t) => t.total !== null).length,
    insufficient: teams.filter((t) => t.total === null).length,
    eligible: teams.filter((t) => t.eligibility === 'eligible').length,
    capped: teams.filter((t) => t.eligibility === 'capped').length,
    void: teams.filter((t) => t.eligibility === 'void').length,
    paid: outcome.incentives.paid,
    unallocated: outcome.incentives.unallocated,
    pool: outcome.incentives.pool,
    amountsAddUp: paidByLines === outcome.incentives.paid && outcome.incentives.paid + outcome.incentives.unallocated === outcome.incentives.pool,
  };
}

/** Sums garbage-collection pauses; entries arrive asynchronously, so read after a turn of the event loop. */
function gcPauses(): { takeMs: () => Promise<number> } {
  let total = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) total += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    takeMs: async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const ms = total;
      total = 0;
      return ms;
    },
  };
}

async function measure(teams: number): Promise<EngineMeasurement> {
  scoreAndAllocate(BENCH_CRITERIA, syntheticDistrict(2_000, 7)); // warm-up: JIT and compiled criteria

  const generateStarted = performance.now();
  const district = syntheticDistrict(teams);
  const generateMs = performance.now() - generateStarted;
  const heapUsedAfterGenerateBytes = process.memoryUsage().heapUsed;

  const repeats = repeatsFor(teams);
  const score: number[] = [];
  const allocate: number[] = [];
  const cpu: number[] = [];
  const gc: number[] = [];
  const pauses = gcPauses();
  let heapUsedPeakBytes = 0;
  let last: EngineOutcome | null = null;
  for (let r = 0; r < repeats; r++) {
    last = null; // let the previous repeat's results go before the next one
    await pauses.takeMs();
    const cpuBefore = process.cpuUsage();
    last = scoreAndAllocate(BENCH_CRITERIA, district);
    const cpuUsed = process.cpuUsage(cpuBefore);
    heapUsedPeakBytes = Math.max(heapUsedPeakBytes, process.memoryUsage().heapUsed);
    score.push(last.scoreMs);
    allocate.push(last.allocateMs);
    cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
    gc.push(await pauses.takeMs());
  }
  const sanity = sanityOf(last!);
  last = null;

  const arrays = toTypedArrays(BENCH_CRITERIA, district);
  const baseline: number[] = [];
  const baselineStarted = performance.now();
  while (baseline.length < 5 || (performance.now() - baselineStarted < 300 && baseline.length < 1_000)) {
    const started = performance.now();
    scoreTypedArrays(arrays, poolFor(teams));
    baseline.push(performance.now() - started);
  }

  const totals = score.map((s, i) => s + allocate[i]!);
  return {
    teams,
    indicators: BENCH_CRITERIA.indicators.length,
    repeats,
    generateMs,
    scoreMs: median(score),
    allocateMs: median(allocate),
    totalMs: median(totals),
    cpuMs: median(cpu),
    gcMs: median(gc),
    baselineMs: median(baseline),
    baselineRepeats: baseline.length,
    heapUsedAfterGenerateBytes,
    heapUsedPeakBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sanity,
  };
}

const teams = Number(process.argv[2]);
if (!Number.isSafeInteger(teams) || teams < 1) throw new Error('usage: tsx bench/engine-worker.ts <teams>');
reportToParent(await measure(teams));
