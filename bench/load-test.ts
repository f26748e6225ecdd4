/**
 * Section `load`: the platform started as `npm start -- --fresh` starts it (bench/support/local-app.ts:
 * DynamoDB Local, the local server, the demo district seeded) in its own process, then mixed
 * traffic of every role (bench/support/mixed-traffic.ts) from 16, 64 and 256 concurrent clients,
 * each level for a bounded time, with an evaluation run and settlement previews in flight. Reported
 * per level and route: p50, p99 and the status classes. Afterwards the table is reconciled with
 * what was accepted, as `npm run reconcile` and the soak do: survey aggregates equal their
 * recomputation and grew by the answers accepted; team counters equal the contracts holding a place
 * and grew by the contracts accepted; the metric versions stored grew by the uploads accepted.
 */
import { createDb, type Db } from '#shared/data/db.ts';
import { todayIso } from '#shared/domain/dates.ts';
import { listMetricsVersions } from '#shared/data/metrics.ts';
import { aggregatesOfDistrict } from '#shared/data/surveys.ts';
import { allTeamsOfDistrict } from '#shared/data/teams.ts';
import { reconcileContracts } from '#shared/services/contract-reconcile.ts';
import { reconcileSurveyAggregates } from '#shared/services/survey-reconcile.ts';
import { DEMO_DISTRICT_ID } from '../local/seed/demo-district.ts';
import { closedLoopFor } from './support/load.ts';
import { startLocalApp } from './support/local-app.ts';
import { demoPeriods, prepareTraffic, type Routes, type Traffic } from './support/mixed-traffic.ts';
import type { Figure, SectionResult } from './support/report.ts';
import { quantile } from './support/stats.ts';

export interface LoadTestOptions {
  levels: number[];
  secondsPerLevel: number;
  /** the demo district's residents per team (npm start's default when omitted) */
  seedResidentsPerTeam?: number;
}

const D = DEMO_DISTRICT_ID;
const log = (line: string) => process.stderr.write(`[bench] load: ${line}\n`);

interface Counts {
  activeContracts: number;
  surveyResponses: number;
  metricVersions: number;
}

async function tableCounts(db: Db, traffic: Traffic): Promise<Counts> {
  const { current } = demoPeriods();
  let activeContracts = 0;
  for await (const team of allTeamsOfDistrict(db, D)) activeContracts += team.activeContracts;
  const surveyResponses = [...(await aggregatesOfDistrict(db, D, current)).values()].reduce((sum, c) => sum + (c.n ?? 0), 0);
  let metricVersions = 0;
  for (const institutionId of traffic.institutionIds) {
    let cursor: string | undefined;
    do {
      const page = await listMetricsVersions(db, institutionId, current, 100, cursor);
      metricVersions += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return { activeContracts, surveyResponses, metricVersions };
}

async function waitForRun(traffic: Traffic, evaluationId: string): Promise<string | undefined> {
  for (let i = 0; i < 1200; i++) {
    const status = await traffic.runStatus(evaluationId);
    if (status === 'completed' || status === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return 'still running';
}

/** One level: `clients` closed-loop clients for the level's time, a run started at its beginning and previews one after another. */
async function runLevel(traffic: Traffic, clients: number, seconds: number): Promise<{ routes: Routes; ms: number; run: string; previews: string }> {
  const routes: Routes = {};
  for (const key of Object.keys(traffic.previews)) delete traffic.previews[key];
  const started = performance.now();
  const evaluationId = await traffic.startRun(routes);
  let previewing = true;
  const previews = (async () => {
    while (previewing) await traffic.preview(routes, () => previewing);
  })();
  await closedLoopFor(seconds * 1000, clients, () => traffic.next(routes));
  previewing = false;
  const ms = performance.now() - started;
  await previews;
  const run = evaluationId ? ((await waitForRun(traffic, evaluationId)) ?? 'unknown') : 'not started';
  return { routes, ms, run, previews: classesText(traffic.previews) };
}

const classesText = (classes: Record<string, number>) =>
  Object.entries(classes)
    .sort()
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');

type Level = { routes: Routes; ms: number; run: string; previews: string };

function levelFigures(clients: number, level: Level): Figure[] {
  const all = Object.values(level.routes);
  const latencies = all.flatMap((r) => r.latenciesMs);
  const errors = all.reduce((sum, r) => sum + (r.classes['5xx'] ?? 0) + (r.classes.network ?? 0), 0);
  const summary: Figure = {
    measure: `${clients} clients: all routes`,
    value: (latencies.length * 1000) / level.ms,
    unit: 'req/s',
    target: 'no 5xx, no lost request',
    met: errors === 0,
    note:
      `p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, ` +
      `${latencies.length} requests in ${(level.ms / 1000).toFixed(1)} s, ${errors} errors; ` +
      `the run in flight: ${level.run}; settlement previews: ${level.previews || 'none ended'}`,
  };
  const perRoute = Object.entries(level.routes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([route, r]): Figure => ({
        measure: `${clients} clients: ${route} p99`,
        value: quantile(r.latenciesMs, 0.99),
        unit: 'ms',
        note: `p50 ${quantile(r.latenciesMs, 0.5).toFixed(1)} ms, ${classesText(r.classes)}${r.firstProblem ? `; first: ${r.firstProblem.slice(0, 160)}` : ''}`,
      }),
    );
  return [summary, ...perRoute];
}

function summariseLevels(levels: Record<number, Level>) {
  return Object.fromEntries(
    Object.entries(levels).map(([clients, level]) => [
      clients,
      {
        ms: level.ms,
        run: level.run,
        previews: level.previews,
        routes: Object.fromEntries(
          Object.entries(level.routes).map(([route, r]) => [
            route,
            {
              requests: r.latenciesMs.length,
              p50Ms: quantile(r.latenciesMs, 0.5),
              p99Ms: quantile(r.latenciesMs, 0.99),
              classes: r.classes,
              firstProblem: r.firstProblem,
            },
          ]),
        ),
      },
    ]),
  );
}

export async function runLoadTest(options: LoadTestOptions): Promise<SectionResult> {
  const started = performance.now();
  log('starting the platform as npm start does (seeding the demo district takes a while)');
  const app = await startLocalApp({ log, ...(options.seedResidentsPerTeam ? { residentsPerTeam: options.seedResidentsPerTeam } : {}) });
  const db = createDb({ tableName: app.tableName, endpoint: app.endpoint, region: 'local' });
  try {
    const traffic = await prepareTraffic(app.base);
    const before = await tableCounts(db, traffic);
    const figures: Figure[] = [];
    const levels: Record<number, Level> = {};
    for (const clients of options.levels) {
      log(`${clients} clients for ${options.secondsPerLevel} s`);
      const level = await runLevel(traffic, clients, options.secondsPerLevel);
      levels[clients] = level;
      figures.push(...levelFigures(clients, level));
    }

    const after = await tableCounts(db, traffic);
    const { current } = demoPeriods();
    const contracts = await reconcileContracts(db, D, todayIso());
    const surveys = await reconcileSurveyAggregates(db, D, current, false);
    const accepted = traffic.accepted;
    const mismatches = [
      ...contracts.counterDrift.map((d) => `team ${d.teamId}: counter ${d.stored}, active contracts ${d.active}`),
      ...contracts.overlaps.map((o) => `resident ${o.identityMasked}: ${o.contractIds.join(' and ')} overlap`),
      ...surveys.drift.map(
        (t) => `team ${t.teamId}: survey aggregate drifts (${t.differences.map((d) => `${d.key} ${d.stored} ≠ ${d.recomputed}`).join(', ')})`,
      ),
      ...(after.activeContracts - before.activeContracts === accepted.contracts
        ? []
        : [`team counters grew by ${after.activeContracts - before.activeContracts}, ${accepted.contracts} contracts accepted`]),
      ...(after.surveyResponses - before.surveyResponses === accepted.surveys
        ? []
        : [`survey aggregates count ${after.surveyResponses - before.surveyResponses} more responses, ${accepted.surveys} answers accepted`]),
      ...(after.metricVersions - before.metricVersions === accepted.uploads
        ? []
        : [`${after.metricVersions - before.metricVersions} metric versions stored, ${accepted.uploads} uploads accepted`]),
    ];
    figures.push({
      measure: 'reconciliation mismatches after the load',
      value: mismatches.length,
      unit: '',
      target: '0',
      met: mismatches.length === 0,
      note:
        `accepted ${accepted.contracts} contracts, ${accepted.surveys} survey answers, ${accepted.uploads} uploads; ` +
        `${contracts.contractsChecked} contracts of ${contracts.teamsChecked} teams and ${surveys.teamsChecked} teams' survey aggregates checked` +
        (mismatches.length ? `; ${mismatches.slice(0, 5).join('; ')}` : ''),
    });
    return {
      section: 'load',
      status: 'ok',
      durationMs: performance.now() - started,
      note:
        `npm start's platform in its own process, the demo district (${traffic.teams.length} teams); ` +
        `${options.levels.join(' / ')} closed-loop clients for ${options.secondsPerLevel} s each, ` +
        `an evaluation run and settlement previews in flight at every level`,
      figures,
      details: { options, before, after, accepted, mismatches, levels: summariseLevels(levels) },
    };
  } finally {
    db.doc.destroy();
    app.stop();
  }
}
