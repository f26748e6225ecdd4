/**
 * Section 3, evaluation run: executeEvaluation (all phases, batches of 100, as `npm start` runs
 * it) over a seeded district on DynamoDB Local, against the baseline of reading the same inputs
 * with plain queries (measured right after the run, on an equally warm DynamoDB Local). Also counts
 * the run's DynamoDB commands and its Node CPU time, to show whether it waits on the database or
 * computes.
 */
import { createRun, requireRun } from '#shared/data/evaluations.ts';
import { executeEvaluation } from '#shared/services/evaluation/phases.ts';
import { type CommandCount, countCommands } from './support/command-counter.ts';
import { startBenchDb } from './support/dynamo.ts';
import { BASELINE_PERIOD, EVALUATION_PERIOD, seedEvaluationDistrict } from './support/evaluation-seed.ts';
import { type PlainReadCounts, readEvaluationInputs } from './support/plain-reads.ts';
import type { SectionResult } from './support/report.ts';
import { ratio } from './support/stats.ts';

export interface EvaluationRunOptions {
  institutions: number;
  teamsPerInstitution: number;
  contractsPerTeam: number;
}

const DISTRICT_ID = 'bench-eval';
const EVALUATION_TARGET_RATIO = 0.5;
const EVALUATION_ID = 'bench-evaluation-1';

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/** The commands that were longest in flight, with how often they ran and how many items they moved. */
function commandSummary(counts: Record<string, CommandCount>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 6)
    .map(([name, c]) => `${name} ${c.count.toLocaleString('en-US')}× (${c.items.toLocaleString('en-US')} items)`)
    .join(', ');
}

export async function runEvaluationRun(options: EvaluationRunOptions): Promise<SectionResult> {
  const started = performance.now();
  const bench = await startBenchDb();
  try {
    const { db } = bench;
    const seeded = await seedEvaluationDistrict(db, { districtId: DISTRICT_ID, ...options });
    const teams = seeded.registry.teams.length;
    await createRun(db, {
      evaluationId: EVALUATION_ID,
      districtId: DISTRICT_ID,
      period: EVALUATION_PERIOD,
      baselinePeriod: BASELINE_PERIOD,
      criteriaVersion: seeded.criteriaVersion,
      status: 'queued',
      phase: 'values',
      progress: { done: 0, total: teams },
      startedBy: 'bench',
      createdAt: new Date().toISOString(),
    });

    const counter = countCommands(db);
    const cpuBefore = process.cpuUsage();
    const run = await timed(() => executeEvaluation(db, EVALUATION_ID, () => new Date()));
    const cpu = process.cpuUsage(cpuBefore);
    const commands = counter.counts();
    counter.remove();
    // after the run, so DynamoDB Local (a JVM) is as warm for the baseline as it was by the end of the run
    const reads = await timed(() => readEvaluationInputs(db, DISTRICT_ID, [EVALUATION_PERIOD, BASELINE_PERIOD]));
    const byInstitution = await timed(() => readEvaluationInputs(db, DISTRICT_ID, [EVALUATION_PERIOD, BASELINE_PERIOD], 'institution'));

    const finished = await requireRun(db, EVALUATION_ID);
    const baselineMs = reads.ms;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const completed = finished.status === 'completed' && finished.summary?.teams === teams;
    const summary = finished.summary
      ? {
          scored: finished.summary.scored,
          mean: finished.summary.mean,
          eligible: finished.summary.eligible,
          capped: finished.summary.capped,
          void: finished.summary.void,
        }
      : null;
    const read: PlainReadCounts = reads.result;
    return {
      section: 'evaluation run',
      status: 'ok',
      durationMs: performance.now() - started,
      note:
        `${teams} teams in ${options.institutions} institutions, ${seeded.contracts} contracts; ` +
        `run ${completed ? 'completed' : `NOT completed (${finished.status}: ${finished.error ?? ''})`}, ` +
        `summary ${JSON.stringify(summary)}; ` +
        `baseline read ${read.teams} teams, ${read.metricChunks} metric chunks, ${read.aggregates} survey aggregates, ${read.contracts} contracts`,
      figures: [
        {
          measure: `executeEvaluation, ${teams.toLocaleString('en-US')} teams`,
          value: run.ms / 1000,
          unit: 's',
          baseline: baselineMs / 1000,
          ratio: ratio(baselineMs, run.ms),
          note: "baseline: plain queries reading the same inputs once, right after the run (each team's contracts with a query of its own)",
          target: `≥ ${EVALUATION_TARGET_RATIO}× baseline`,
          met: ratio(baselineMs, run.ms) >= EVALUATION_TARGET_RATIO,
        },
        {
          measure: 'executeEvaluation against reads by institution',
          value: run.ms / 1000,
          unit: 's',
          baseline: byInstitution.ms / 1000,
          ratio: ratio(byInstitution.ms, run.ms),
          note:
            'baseline: the same plain queries, but contracts with one gsi3 query per institution ' +
            'as the run reads them: the part of the run that is not reading',
        },
        {
          measure: 'evaluation run throughput',
          value: (teams * 1000) / run.ms,
          unit: 'teams/s',
          baseline: (teams * 1000) / baselineMs,
          ratio: ratio(baselineMs, run.ms),
        },
        {
          measure: 'evaluation run: Node CPU',
          value: cpuMs / 1000,
          unit: 's',
          note: `${Math.round((100 * cpuMs) / run.ms)} % of the wall time; DynamoDB commands longest in flight: ${commandSummary(commands)}`,
        },
      ],
      details: {
        seeding: seeded.timings,
        runMs: run.ms,
        baselineMs,
        byInstitutionMs: byInstitution.ms,
        cpuMs,
        commands,
        summary: finished.summary,
        reads: read,
      },
    };
  } finally {
    bench.stop();
  }
}
