/**
 * Section `reads`: GET /teams/{teamId} (one GetItem behind it) and GET /districts/{d}/teams
 * (one gsi2 Query behind it) through the local server on @hono/node-server, against the raw
 * GetItem / Query of the same items from Node with the same document client, a closed loop of
 * `concurrency` clients each. The HTTP clients are evaluators with a token each (one per
 * client, reused as a signed-in browser does). Variants are interleaved round by round so drift
 * on a shared machine hits them alike; the load generator runs in the server's process, so it
 * sends with node:http over keep-alive connections (one per client): undici's fetch cost 0.2–0.3 ms
 * more CPU per request, taken from the server and DynamoDB Local it shares the cores with.
 */
import { Agent, get } from 'node:http';
import { serve } from '@hono/node-server';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/data/keys.ts';
import { freePort } from '../local/dynamodb-local.ts';
import { startBenchDb } from './support/dynamo.ts';
import { closedLoop, type LoadResult, type LoadSummary, summariseLoad } from './support/load.ts';
import { benchRegistry, writeRegistry } from './support/registry-seed.ts';
import type { Figure, SectionResult } from './support/report.ts';
import { createBenchStack } from './support/stack.ts';
import { ratio } from './support/stats.ts';

export interface ReadsOptions {
  /** requests per variant measured (split over the rounds) */
  measured: number;
  warmup: number;
  concurrency: number;
  rounds: number;
}

const DISTRICT_ID = 'bench-reads';
const PAGE = 20;
const VARIANTS = ['rawGet', 'httpGet', 'rawQuery', 'httpList'] as const;
type Variant = (typeof VARIANTS)[number];
export const READS_TARGET_RATIO = 0.7;

/** GET over one of the agent's keep-alive connections; resolves once the whole answer was read, rejects unless it is a 200. */
function getOk(agent: Agent, url: string, token: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${what} answered ${response.statusCode}: ${text.slice(0, 200)}`))));
      response.on('error', reject);
    }).on('error', reject);
  });
}

export async function runReads(options: ReadsOptions): Promise<SectionResult> {
  const started = performance.now();
  const bench = await startBenchDb();
  try {
    const { db } = bench;
    const stack = createBenchStack(db);
    const registry = benchRegistry(DISTRICT_ID, 8, 16);
    await writeRegistry(db, registry, []);
    const teamOf = (i: number) => registry.teams[(i * 7) % registry.teams.length]!.teamId;
    const tokens = await Promise.all(Array.from({ length: options.concurrency }, () => stack.auth.issue({ role: 'evaluator', districtId: DISTRICT_ID })));
    const tokenOf = (i: number) => tokens[i % tokens.length]!;

    const port = await freePort();
    const server = serve({ fetch: stack.app.fetch, port, hostname: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    const teamsOfDistrict = keys.teamsOfDistrict(DISTRICT_ID).gsi2pk;

    const send: Record<Variant, (i: number) => Promise<void>> = {
      rawGet: async (i) => {
        const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.team(teamOf(i)) }));
        if (!result.Item) throw new Error('GetItem found no team');
      },
      httpGet: (i) => getOk(agent, `${base}/teams/${teamOf(i)}`, tokenOf(i), 'GET /teams/{teamId}'),
      rawQuery: async () => {
        const result = await db.doc.send(
          new QueryCommand({
            TableName: db.tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: '#p = :p',
            ExpressionAttributeNames: { '#p': 'gsi2pk' },
            ExpressionAttributeValues: { ':p': teamsOfDistrict },
            Limit: PAGE,
          }),
        );
        if (result.Items?.length !== PAGE) throw new Error('Query found too few teams');
      },
      httpList: (i) => getOk(agent, `${base}/districts/${DISTRICT_ID}/teams?limit=${PAGE}`, tokenOf(i), 'GET /districts/{districtId}/teams'),
    };

    try {
      for (const variant of VARIANTS) await closedLoop(options.warmup, options.concurrency, send[variant], 0);
      const rounds = Object.fromEntries(VARIANTS.map((v) => [v, [] as LoadResult[]])) as Record<Variant, LoadResult[]>;
      const cpuMs = Object.fromEntries(VARIANTS.map((v) => [v, 0])) as Record<Variant, number>;
      const perRound = Math.floor(options.measured / options.rounds);
      for (let r = 0; r < options.rounds; r++) {
        for (const variant of VARIANTS) {
          const before = process.cpuUsage();
          rounds[variant].push(await closedLoop(perRound, options.concurrency, send[variant], options.warmup + r * perRound));
          const used = process.cpuUsage(before);
          cpuMs[variant] += (used.user + used.system) / 1000;
        }
      }
      const summary = Object.fromEntries(VARIANTS.map((v) => [v, summariseLoad(rounds[v])])) as Record<Variant, LoadSummary>;
      const cpuPerRequest = Object.fromEntries(VARIANTS.map((v) => [v, cpuMs[v] / (perRound * options.rounds)])) as Record<Variant, number>;
      return readsResult(summary, cpuPerRequest, options, performance.now() - started);
    } finally {
      agent.destroy();
      server.close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
  } finally {
    bench.stop();
  }
}

function pair(measure: string, http: LoadSummary, raw: LoadSummary, rawName: string, cpu: { http: number; raw: number }): Figure[] {
  const throughput = ratio(http.requestsPerSecond, raw.requestsPerSecond);
  return [
    {
      measure: `${measure} throughput`,
      value: http.requestsPerSecond,
      unit: 'req/s',
      baseline: raw.requestsPerSecond,
      ratio: throughput,
      target: `≥ ${READS_TARGET_RATIO}× raw`,
      met: throughput >= READS_TARGET_RATIO,
      note: `baseline: raw ${rawName} of the same items from Node, same concurrency`,
    },
    {
      measure: `${measure}: Node CPU per request`,
      value: cpu.http,
      unit: 'ms',
      baseline: cpu.raw,
      ratio: ratio(cpu.raw, cpu.http),
      note: 'CPU of this process (load generator, server, SDK) per request: steadier than req/s on a shared machine',
    },
    {
      measure: `${measure} latency p50 / p99`,
      value: http.p50Ms,
      unit: 'ms',
      baseline: raw.p50Ms,
      ratio: ratio(raw.p50Ms, http.p50Ms),
      note: `p99 ${http.p99Ms.toFixed(1)} ms (raw ${raw.p99Ms.toFixed(1)} ms)`,
    },
  ];
}

function readsResult(summary: Record<Variant, LoadSummary>, cpu: Record<Variant, number>, options: ReadsOptions, durationMs: number): SectionResult {
  const errors = VARIANTS.map((v) => summary[v].firstError).filter((e) => e !== null);
  const errorCount = VARIANTS.reduce((sum, v) => sum + summary[v].errors, 0);
  return {
    section: 'reads',
    status: errorCount ? 'failed' : 'ok',
    durationMs,
    note:
      `${options.measured} requests per variant after ${options.warmup} warm-up, concurrency ${options.concurrency}, ${options.rounds} interleaved rounds; ` +
      `list pages of ${PAGE} teams` +
      (errors.length ? `; ${errorCount} errors: ${errors.join(' | ')}` : ''),
    figures: [
      ...pair('GET /teams/{teamId}', summary.httpGet, summary.rawGet, 'GetItem', { http: cpu.httpGet, raw: cpu.rawGet }),
      ...pair(`GET /districts/{d}/teams?limit=${PAGE}`, summary.httpList, summary.rawQuery, 'Query', { http: cpu.httpList, raw: cpu.rawQuery }),
    ],
    details: { summary, cpuMsPerRequest: cpu },
  };
}
