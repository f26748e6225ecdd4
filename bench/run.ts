/**
 * `npm run bench [-- --quick] [-- --only=engine,survey,evaluation,export,cold-start,cost,load,reads,settlement-jobs]`
 *
 * Runs each section in turn, every figure beside a baseline measured in the same run (the
 * machine is shared, so absolute numbers are noisy; the ratios are what to compare), prints a
 * table and writes the same figures to bench-results/bench.json. `--quick` runs smaller sizes
 * for a smoke run of a minute or so.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runColdStart } from './cold-start.ts';
import { runCostModel } from './cost-model.ts';
import { runEngine } from './engine.ts';
import { runEvaluationRun } from './evaluation-run.ts';
import { runLoadTest } from './load-test.ts';
import { runExport } from './export.ts';
import { runReads } from './reads.ts';
import { runSettlementJobs } from './settlement-jobs.ts';
import { dynamoUnavailableReason } from './support/dynamo.ts';
import { renderTable, type SectionResult } from './support/report.ts';
import { runSurveyIntake } from './survey-intake.ts';

// Node 20 is fine for a local bench; the deployed functions run on Node 22 (as in vitest.config.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SECTIONS = ['engine', 'survey', 'evaluation', 'export', 'cold-start', 'cost', 'load', 'reads', 'settlement-jobs'] as const;
type SectionName = (typeof SECTIONS)[number];

const FULL = {
  engine: { sizes: [512, 30_000, 420_000] },
  survey: { measured: 900, warmup: 150, concurrency: 16, rounds: 3 },
  evaluation: { institutions: 100, teamsPerInstitution: 50, contractsPerTeam: 3 },
  cost: { institutions: 4, teamsPerInstitution: 5, residentsPerTeam: 60, appSurveyEvery: 4, invitationsPerTeam: 10 },
  load: { levels: [16, 64, 256], secondsPerLevel: 25, seedResidentsPerTeam: 12 },
  reads: { measured: 3000, warmup: 300, concurrency: 16, rounds: 3 },
  'settlement-jobs': { teams: 512, inFlight: 8, requests: 600, concurrency: 4, provinceTeams: 30_000 },
};
const QUICK: typeof FULL = {
  engine: { sizes: [512, 5_000] },
  survey: { measured: 400, warmup: 80, concurrency: 16, rounds: 2 },
  evaluation: { institutions: 5, teamsPerInstitution: 40, contractsPerTeam: 3 },
  cost: { institutions: 2, teamsPerInstitution: 3, residentsPerTeam: 12, appSurveyEvery: 4, invitationsPerTeam: 4 },
  load: { levels: [16, 64, 256], secondsPerLevel: 5, seedResidentsPerTeam: 2 },
  reads: { measured: 900, warmup: 150, concurrency: 16, rounds: 3 },
  'settlement-jobs': { teams: 200, inFlight: 8, requests: 200, concurrency: 4, provinceTeams: 1_000 },
};

function parseArgs(argv: string[]): { quick: boolean; only: Set<SectionName> } {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = new Set((onlyArg ? onlyArg.slice('--only='.length).split(',') : SECTIONS) as SectionName[]);
  for (const name of only) if (!SECTIONS.includes(name)) throw new Error(`Unknown section ${name}; sections: ${SECTIONS.join(', ')}`);
  return { quick, only };
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function runSection(name: SectionName, work: () => Promise<SectionResult>): Promise<SectionResult> {
  log(`${name} ...`);
  const started = performance.now();
  try {
    const result = await work();
    log(`${name}: ${result.status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    log(`${name}: failed: ${(error as Error).stack ?? error}`);
    return { section: name, status: 'failed', note: (error as Error).message, figures: [], durationMs: performance.now() - started };
  }
}

function needsDynamo(name: SectionName, work: () => Promise<SectionResult>): () => Promise<SectionResult> {
  return async () => {
    const reason = dynamoUnavailableReason();
    return reason ? { section: name, status: 'skipped', note: reason, figures: [], durationMs: 0 } : work();
  };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const sizes = quick ? QUICK : FULL;
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const started = performance.now();
  const work: Record<SectionName, () => Promise<SectionResult>> = {
    engine: () => runEngine(sizes.engine),
    survey: needsDynamo('survey', () => runSurveyIntake(sizes.survey)),
    evaluation: needsDynamo('evaluation', () => runEvaluationRun(sizes.evaluation)),
    export: () => runExport(quick),
    'cold-start': runColdStart,
    cost: needsDynamo('cost', () => runCostModel(sizes.cost)),
    load: needsDynamo('load', () => runLoadTest(sizes.load)),
    reads: needsDynamo('reads', () => runReads(sizes.reads)),
    'settlement-jobs': needsDynamo('settlement-jobs', () => runSettlementJobs(sizes['settlement-jobs'])),
  };
  const sections: SectionResult[] = [];
  for (const name of SECTIONS) if (only.has(name)) sections.push(await runSection(name, work[name]));

  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    loadAverage: { start: loadAtStart, end: loadavg() },
  };
  const table = renderTable(sections);
  console.log(
    `\nGatekeeper bench ${quick ? '(quick) ' : ''}${startedAt.toISOString()}, Node ${machine.node}, ` +
      `${machine.cpus} cores, load ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}`,
  );
  console.log(`ratio: value ÷ baseline for throughputs, baseline ÷ value for times (1× = as fast as the baseline)\n`);
  console.log(table);
  const outDir = fileURLToPath(new URL('../bench-results/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const file = `${outDir}bench.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), quick, durationMs: performance.now() - started, machine, sections }, null, 2)}\n`,
  );
  console.log(`\nwritten to bench-results/bench.json in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (sections.some((s) => s.status === 'failed')) process.exitCode = 1;
}

await main();
