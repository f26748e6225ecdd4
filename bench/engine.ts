/**
 * Section 1, engine: scoring (scoreDistrict, all phases; scorecards are built when read, so
 * not here) and allocating (allocateIncentives, score-weighted) synthetic districts in memory, each size in its own process
 * (bench/engine-worker.ts), against a plain typed-array loop over the same teams × indicators.
 */
import { runChild } from './support/child.ts';
import type { Figure, SectionResult } from './support/report.ts';
import { megabytes, perSecond, ratio } from './support/stats.ts';
import type { EngineMeasurement } from './engine-worker.ts';

export const ENGINE_TARGET = { teams: 420_000, ms: 5_000 };

export interface EngineOptions {
  sizes: number[];
}

/**
 * Heap for a size: at the peak about 1 KB a team of facts (current and baseline period) and
 * about 0.7 KB a team of results (totals, ranking, incentive lines; scorecards and the lines'
 * explanations are built when read), with ample room to spare.
 */
function heapMbFor(teams: number): number {
  return Math.max(1_024, Math.ceil((teams * 8 * 1024) / (1024 * 1024)) + 1_024);
}

function figuresOf(m: EngineMeasurement): Figure[] {
  const teamsPerSecond = perSecond(m.teams, m.totalMs);
  const baselinePerSecond = perSecond(m.teams, m.baselineMs);
  const isTargetSize = m.teams === ENGINE_TARGET.teams;
  const label = `${m.teams.toLocaleString('en-US')} teams`;
  return [
    {
      measure: `${label}: score + allocate`,
      value: teamsPerSecond,
      unit: 'teams/s',
      baseline: baselinePerSecond,
      ratio: ratio(teamsPerSecond, baselinePerSecond),
      note:
        `score ${(m.scoreMs / 1000).toFixed(2)} s + allocate ${(m.allocateMs / 1000).toFixed(2)} s = ${(m.totalMs / 1000).toFixed(2)} s wall, ` +
        `${(m.cpuMs / 1000).toFixed(2)} s CPU, GC pauses ${(m.gcMs / 1000).toFixed(2)} s ` +
        `= ${Math.round((100 * m.gcMs) / m.totalMs)} % of the wall (median of ${m.repeats}); baseline ${m.baselineMs.toFixed(2)} ms`,
    },
    {
      measure: `${label}: wall time`,
      value: m.totalMs / 1000,
      unit: 's',
      baseline: m.baselineMs / 1000,
      ratio: ratio(m.baselineMs, m.totalMs),
      ...(isTargetSize ? { target: `< ${ENGINE_TARGET.ms / 1000} s`, met: m.totalMs < ENGINE_TARGET.ms } : {}),
    },
    {
      measure: `${label}: CPU time`,
      value: m.cpuMs / 1000,
      unit: 's',
      note: 'user + system of the whole process (GC helper threads included): less sensitive than the wall time to other processes on a shared machine',
      ...(isTargetSize ? { target: `< ${ENGINE_TARGET.ms / 1000} s`, met: m.cpuMs < ENGINE_TARGET.ms } : {}),
    },
    {
      measure: `${label}: peak memory`,
      value: megabytes(m.maxRssBytes),
      unit: 'MB rss',
      note: `heapUsed ${megabytes(m.heapUsedAfterGenerateBytes)} MB after generating the facts, ${megabytes(m.heapUsedPeakBytes)} MB with the results`,
    },
  ];
}

function sane(m: EngineMeasurement): boolean {
  return m.sanity.amountsAddUp && m.sanity.scored + m.sanity.insufficient === m.teams && m.sanity.scored > 0;
}

export async function runEngine(options: EngineOptions): Promise<SectionResult> {
  const started = performance.now();
  const measurements: EngineMeasurement[] = [];
  const figures: Figure[] = [];
  const problems: string[] = [];
  for (const teams of options.sizes) {
    try {
      const m = await runChild<EngineMeasurement>(new URL('./engine-worker.ts', import.meta.url), [String(teams)], {
        heapMb: heapMbFor(teams),
        timeoutMs: 15 * 60_000,
      });
      measurements.push(m);
      figures.push(...figuresOf(m));
      if (!sane(m)) problems.push(`${teams} teams: outputs not sane (${JSON.stringify(m.sanity)})`);
    } catch (error) {
      problems.push(`${teams} teams: ${(error as Error).message}`);
    }
  }
  const target = measurements.find((m) => m.teams === ENGINE_TARGET.teams);
  const targetNote = target
    ? `target ${ENGINE_TARGET.teams.toLocaleString('en-US')} teams in < ${ENGINE_TARGET.ms / 1000} s: ` +
      `${target.totalMs < ENGINE_TARGET.ms ? 'met' : `NOT met (${(target.totalMs / 1000).toFixed(1)} s)`}`
    : `target size ${ENGINE_TARGET.teams.toLocaleString('en-US')} not run`;
  return {
    section: 'engine',
    status: problems.length && measurements.length === 0 ? 'failed' : 'ok',
    note: [`${measurements[0]?.indicators ?? 12} indicators, 5 methods, 2 gates; baseline: typed-array threshold-linear loop`, targetNote, ...problems].join(
      '; ',
    ),
    figures,
    durationMs: performance.now() - started,
    details: measurements,
  };
}
