/**
 * Section 2, survey intake: sustained POST /surveys through the local server (every function app
 * on @hono/node-server, DynamoDB Local in memory), each request a distinct resident with an
 * active contract and a pre-issued token, a closed loop of `concurrency` clients.
 *
 * Measured in the same run, interleaved round by round so drift on a shared machine hits all
 * three alike:
 *   raw      baseline: recordResponse (the response transaction, contract check included) straight
 *            to DynamoDB Local
 *   service  submitSurvey in-process: the current-contract read + the same transaction
 *   http     POST /surveys over HTTP: the service plus the token check, routing and validation
 * The load generator runs in the server's process (fetch), so its cost counts against http.
 */
import { serve } from '@hono/node-server';
import { addDays } from '#shared/domain/dates.ts';
import { parsePeriod } from '#shared/domain/periods.ts';
import { type AggregateCounters, responseIncrements } from '#shared/domain/surveys/aggregate.ts';
import type { Answers } from '#shared/domain/surveys/instrument.ts';
import type { Contract } from '#shared/data/contracts.ts';
import { aggregatesOfDistrict, defaultInstrument, recordResponse } from '#shared/data/surveys.ts';
import { currentSurveyPeriod, submitSurvey } from '#shared/services/surveys.ts';
import { freePort } from '../local/dynamodb-local.ts';
import { startBenchDb } from './support/dynamo.ts';
import { closedLoop, type LoadResult, type LoadSummary, summariseLoad } from './support/load.ts';
import { benchContract, benchRegistry, writeRegistry } from './support/registry-seed.ts';
import type { SectionResult } from './support/report.ts';
import { createBenchStack } from './support/stack.ts';
import { ratio } from './support/stats.ts';

export interface SurveyIntakeOptions {
  /** requests per variant measured (split over the rounds) */
  measured: number;
  /** requests per variant before measuring */
  warmup: number;
  concurrency: number;
  rounds: number;
}

const DISTRICT_ID = 'bench-survey';
const INSTITUTIONS = 8;
const TEAMS_PER_INSTITUTION = 16;
const VARIANTS = ['raw', 'service', 'http'] as const;
type Variant = (typeof VARIANTS)[number];
export const INTAKE_TARGET_RATIO = 0.7;

/** A plausible, varied answer set for the platform's default instrument. */
function answersFor(i: number): Answers {
  const rate = (k: number) => 1 + ((i * 7 + k * 3) % 5);
  return { overall: rate(0), attitude: rate(1), communication: rate(2), access: rate(3), recommend: (i * 5) % 11 };
}

export async function runSurveyIntake(options: SurveyIntakeOptions): Promise<SectionResult> {
  const started = performance.now();
  const perVariant = options.warmup + options.measured;
  const bench = await startBenchDb();
  try {
    const stack = createBenchStack(bench.db);
    const period = currentSurveyPeriod(new Date());
    const range = parsePeriod(period)!;
    const registry = benchRegistry(DISTRICT_ID, INSTITUTIONS, TEAMS_PER_INSTITUTION);
    const teamOf = (i: number) => registry.teams[i % registry.teams.length]!;
    const terms = { startDate: addDays(range.start, -200), endDate: addDays(range.end, 200), insured: true, keyPopulations: [] };

    // every resident has a contract: the raw transaction checks it as the route's does
    const refOf = (variant: Variant, i: number) => stack.keyer(`bench-${variant}-${i}`);
    const contracts: Contract[] = [];
    const rawContracts: Contract[] = [];
    for (const variant of VARIANTS) {
      for (let i = 0; i < perVariant; i++) {
        const contract = benchContract(teamOf(i), contracts.length, refOf(variant, i), terms);
        contracts.push(contract);
        if (variant === 'raw') rawContracts.push(contract);
      }
    }
    await writeRegistry(bench.db, registry, contracts);
    const tokens = await Promise.all(Array.from({ length: perVariant }, (_, i) => stack.auth.issue({ role: 'resident', residentRef: refOf('http', i) })));
    const instrument = defaultInstrument();
    const answers = Array.from({ length: perVariant }, (_, i) => answersFor(i));
    const increments: AggregateCounters[] = answers.map((a) => responseIncrements(instrument, a));
    const bodies = answers.map((a) => JSON.stringify({ answers: a }));
    const seededMs = performance.now() - started;

    const port = await freePort();
    const server = serve({ fetch: stack.app.fetch, port, hostname: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    const submittedOn = new Date().toISOString().slice(0, 10);

    const send: Record<Variant, (i: number) => Promise<void>> = {
      raw: (i) =>
        recordResponse(bench.db, {
          contractId: rawContracts[i]!.contractId,
          districtId: DISTRICT_ID,
          institutionId: teamOf(i).institutionId,
          teamId: teamOf(i).teamId,
          period,
          residentRef: refOf('raw', i),
          instrumentVersion: instrument.version,
          answers: answers[i]!,
          increments: increments[i]!,
          channel: 'app',
          submittedOn,
          nowEpochSeconds: Math.floor(Date.now() / 1000),
        }),
      service: async (i) => {
        await submitSurvey(stack.deps, { residentRef: refOf('service', i), answers: answers[i]!, period, channel: 'app' });
      },
      http: async (i) => {
        const response = await fetch(`${base}/surveys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' },
          body: bodies[i]!,
        });
        const text = await response.text();
        if (response.status !== 201) throw new Error(`POST /surveys answered ${response.status}: ${text.slice(0, 200)}`);
      },
    };

    try {
      for (const variant of VARIANTS) await closedLoop(options.warmup, options.concurrency, send[variant], 0);
      const rounds: Record<Variant, LoadResult[]> = { raw: [], service: [], http: [] };
      const perRound = Math.floor(options.measured / options.rounds);
      for (let r = 0; r < options.rounds; r++) {
        for (const variant of VARIANTS) rounds[variant].push(await closedLoop(perRound, options.concurrency, send[variant], options.warmup + r * perRound));
      }
      const summary = Object.fromEntries(VARIANTS.map((v) => [v, summariseLoad(rounds[v])])) as Record<Variant, LoadSummary>;
      const stored = [...(await aggregatesOfDistrict(bench.db, DISTRICT_ID, period)).values()].reduce((sum, c) => sum + (c.n ?? 0), 0);
      const accepted = VARIANTS.reduce((sum, v) => sum + options.warmup + summary[v].requests - summary[v].errors, 0);
      return surveyResult(summary, { options, seededMs, stored, accepted, durationMs: performance.now() - started });
    } finally {
      server.close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
  } finally {
    bench.stop();
  }
}

function surveyResult(
  summary: Record<Variant, LoadSummary>,
  context: { options: SurveyIntakeOptions; seededMs: number; stored: number; accepted: number; durationMs: number },
): SectionResult {
  const { raw, service, http } = summary;
  const httpRatio = ratio(http.requestsPerSecond, raw.requestsPerSecond);
  const errors = VARIANTS.map((v) => summary[v].firstError).filter((e) => e !== null);
  const countsAgree = context.stored === context.accepted;
  const { concurrency, measured, warmup, rounds } = context.options;
  return {
    section: 'survey intake',
    status: 'ok',
    durationMs: context.durationMs,
    note:
      `${measured} requests per variant after ${warmup} warm-up, concurrency ${concurrency}, ${rounds} interleaved rounds; ` +
      `aggregates count ${context.stored} responses for ${context.accepted} accepted (${countsAgree ? 'agree' : 'DISAGREE'})` +
      (errors.length ? `; errors: ${errors.join(' | ')}` : ''),
    figures: [
      {
        measure: 'POST /surveys throughput',
        value: http.requestsPerSecond,
        unit: 'req/s',
        baseline: raw.requestsPerSecond,
        ratio: httpRatio,
        target: `≥ ${INTAKE_TARGET_RATIO}× raw`,
        met: httpRatio >= INTAKE_TARGET_RATIO,
      },
      { measure: 'POST /surveys latency p50', value: http.p50Ms, unit: 'ms', baseline: raw.p50Ms, ratio: ratio(raw.p50Ms, http.p50Ms) },
      { measure: 'POST /surveys latency p99', value: http.p99Ms, unit: 'ms', baseline: raw.p99Ms, ratio: ratio(raw.p99Ms, http.p99Ms) },
      {
        measure: 'submitSurvey in-process throughput',
        value: service.requestsPerSecond,
        unit: 'req/s',
        baseline: raw.requestsPerSecond,
        ratio: ratio(service.requestsPerSecond, raw.requestsPerSecond),
        note: 'the service without HTTP: the gap to raw is its one read (the current-contract item); the gap to POST is HTTP, token check and validation',
      },
      {
        measure: 'submitSurvey latency p50 / p99',
        value: service.p50Ms,
        unit: 'ms',
        baseline: raw.p50Ms,
        ratio: ratio(raw.p50Ms, service.p50Ms),
        note: `p99 ${service.p99Ms.toFixed(1)} ms`,
      },
      {
        measure: 'errors (raw / service / http)',
        value: raw.errors + service.errors + http.errors,
        unit: '',
        note: `${raw.errors} / ${service.errors} / ${http.errors}`,
      },
    ],
    details: { summary, seededMs: context.seededMs, storedResponses: context.stored, acceptedResponses: context.accepted },
  };
}
