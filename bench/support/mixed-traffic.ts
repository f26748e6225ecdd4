/**
 * Mixed traffic of every role against the demo district of a running `npm start`, as the soak
 * (local/soak.ts) sends it but timed per route: clerks sign contracts, read their teams'
 * contracts and upload the running quarter's metrics (each upload with its own Idempotency-Key);
 * residents whose contracts were signed here answer the survey and read their contract; the
 * evaluator reads period status, scorecards and survey results; finance reads settlements and
 * lines; the administrator reads teams. Each request's latency and status are kept per route; what
 * was accepted (201) is counted so the table can be reconciled with it afterwards.
 */
import { addDays, todayIso } from '#shared/domain/dates.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { previousQuarter, quarterOf } from '#shared/domain/periods.ts';
import { DEMO_DISTRICT_ID } from '../../local/seed/demo-district.ts';
import { fictionalIdentityNumber } from '../../local/seed/identity-numbers.ts';

export interface RouteRecord {
  latenciesMs: number[];
  /** "2xx", "4xx", "5xx", "network" */
  classes: Record<string, number>;
  /** the first answer that was not 2xx: status and the start of its body */
  firstProblem?: string;
}

export type Routes = Record<string, RouteRecord>;

export interface Accepted {
  contracts: number;
  surveys: number;
  uploads: number;
}

interface Team {
  teamId: string;
  institutionId: string;
}

const D = DEMO_DISTRICT_ID;
/** the running quarter (surveys, uploads), the completed one (in review), the settled one, and the one before it (run again under load) */
export function demoPeriods(now = new Date()) {
  const current = quarterOf(todayIso(now));
  const completed = previousQuarter(current);
  const settled = previousQuarter(completed);
  return { current, completed, settled, rerun: previousQuarter(settled) };
}

export interface Traffic {
  /** one request of a randomly chosen kind, weighted */
  next: (routes: Routes) => Promise<void>;
  /** a run of `demoPeriods().rerun` started by the evaluator; resolves to its id */
  startRun: (routes: Routes) => Promise<string | null>;
  runStatus: (evaluationId: string) => Promise<string | undefined>;
  /** one settlement preview of the settled period's official run (district-wide work, a job) followed until it ends or `keepFollowing` says no */
  preview: (routes: Routes, keepFollowing: () => boolean) => Promise<void>;
  accepted: Accepted;
  /** how the previews ended: done, failed, or still queued/running when their level ended */
  previews: Record<string, number>;
  teams: Team[];
  institutionIds: string[];
}

type Call = (
  routes: Routes,
  route: string,
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<{ status: number; body: unknown }>;

function caller(base: string): Call {
  return async (routes, route, method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const record = routes[route] ?? { latenciesMs: [], classes: {} };
    routes[route] = record;
    const sent = performance.now();
    let status = 0;
    let parsed: unknown = null;
    try {
      const response = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(120_000) });
      status = response.status;
      const text = await response.text();
      parsed = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
      if (status >= 300) record.firstProblem ??= `${status} ${text.slice(0, 200)}`;
    } catch (error) {
      status = 0;
      record.firstProblem ??= `no answer: ${(error as Error).message}`;
    }
    record.latenciesMs.push(performance.now() - sent);
    const statusClass = status === 0 ? 'network' : `${Math.floor(status / 100)}xx`;
    record.classes[statusClass] = (record.classes[statusClass] ?? 0) + 1;
    return { status, body: parsed };
  };
}

/** Tokens from the local server's own route, as a demo user gets them. */
async function devToken(base: string, claims: Record<string, string>): Promise<string> {
  const response = await fetch(`${base}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`POST /auth/dev-token answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
  return body.token;
}

async function getJson<T>(base: string, path: string, token: string): Promise<T> {
  const response = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export async function prepareTraffic(base: string): Promise<Traffic> {
  const call = caller(base);
  const periods = demoPeriods();
  const admin = await devToken(base, { role: 'admin' });
  const evaluator = await devToken(base, { role: 'evaluator', districtId: D });
  const finance = await devToken(base, { role: 'finance', districtId: D });

  const teams: Team[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Team[]; nextCursor: string | null } = await getJson(
      base,
      `/districts/${D}/teams?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      admin,
    );
    teams.push(...page.items.map(({ teamId, institutionId }) => ({ teamId, institutionId })));
    cursor = page.nextCursor;
  } while (cursor);
  const institutionIds = [...new Set(teams.map((t) => t.institutionId))];
  const clerks = new Map<string, string>();
  for (const institutionId of institutionIds) clerks.set(institutionId, await devToken(base, { role: 'clerk', districtId: D, institutionId }));
  const criteria = await getJson<{ items: { version: number; status: string }[] }>(base, `/districts/${D}/criteria`, evaluator);
  const criteriaVersion = criteria.items.find((c) => c.status === 'published')?.version;
  const completedRun = (await getJson<{ officialRunId?: string }>(base, `/districts/${D}/periods/${periods.completed}/status`, evaluator)).officialRunId;
  const settledRun = (await getJson<{ officialRunId?: string }>(base, `/districts/${D}/periods/${periods.settled}/status`, evaluator)).officialRunId;
  const settlementId = (await getJson<{ items: { settlementId: string }[] }>(base, `/districts/${D}/settlements`, finance)).items[0]?.settlementId;
  if (!criteriaVersion || !completedRun || !settledRun || !settlementId) {
    throw new Error(`the demo district is not as seeded: criteria ${criteriaVersion}, runs ${completedRun} / ${settledRun}, settlement ${settlementId}`);
  }

  const accepted: Accepted = { contracts: 0, surveys: 0, uploads: 0 };
  const previews: Record<string, number> = {};
  const signed: string[] = [];
  const residentTokens = new Map<string, string>();
  let nextResident = 0;
  let nextUpload = 0;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
  const today = todayIso();
  // birth dates in the 1920s: the demo's residents are born from 1936 on
  const identity = (n: number) => fictionalIdentityNumber(addDays('1920-01-01', Math.floor(n / 1000)), n % 1000);
  const residentToken = async (routes: Routes, identityNumber: string) => {
    const known = residentTokens.get(identityNumber);
    if (known) return known;
    const issued = await call(routes, 'POST /auth/dev-token', 'POST', '/auth/dev-token', { body: { role: 'resident', identityNumber } });
    const token = (issued.body as { token?: string }).token ?? '';
    residentTokens.set(identityNumber, token);
    return token;
  };

  const sign = async (routes: Routes) => {
    const team = pick(teams);
    const identityNumber = identity(nextResident++);
    const result = await call(routes, 'POST /contracts', 'POST', '/contracts', {
      token: clerks.get(team.institutionId),
      body: { teamId: team.teamId, identityNumber, insured: Math.random() < 0.9, startDate: today },
    });
    if (result.status === 201) {
      accepted.contracts++;
      signed.push(identityNumber);
    }
  };
  const operations: [number, (routes: Routes) => Promise<void>][] = [
    [12, sign],
    [
      20,
      async (routes) => {
        const identityNumber = signed.shift();
        if (!identityNumber) return sign(routes);
        const token = await residentToken(routes, identityNumber);
        const rate = () => 1 + Math.floor(Math.random() * 5);
        const result = await call(routes, 'POST /surveys', 'POST', '/surveys', {
          token,
          body: { answers: { overall: rate(), attitude: rate(), communication: rate(), access: rate(), recommend: Math.floor(Math.random() * 11) } },
        });
        if (result.status === 201) accepted.surveys++;
      },
    ],
    [
      6,
      async (routes) => {
        const known = [...residentTokens.values()];
        if (known.length > 0) await call(routes, 'GET /me/contract', 'GET', '/me/contract', { token: pick(known) });
      },
    ],
    [
      8,
      async (routes) => {
        const team = pick(teams);
        await call(routes, 'GET /teams/{teamId}/contracts', 'GET', `/teams/${team.teamId}/contracts?limit=20`, { token: clerks.get(team.institutionId) });
      },
    ],
    [
      3,
      async (routes) => {
        const institutionId = pick(institutionIds);
        const rows = teams
          .filter((t) => t.institutionId === institutionId)
          .map((t) => ({
            teamId: t.teamId,
            // a "-done" count never above its "-due"
            values: Object.fromEntries(
              DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, d.code.endsWith('-done') ? 20 + Math.floor(Math.random() * 40) : 60]),
            ),
          }));
        const result = await call(
          routes,
          'PUT /institutions/{institutionId}/metrics/{period}',
          'PUT',
          `/institutions/${institutionId}/metrics/${periods.current}`,
          {
            token: clerks.get(institutionId),
            body: { rows },
            headers: { 'idempotency-key': `load-${process.pid}-${nextUpload++}` },
          },
        );
        if (result.status === 201) accepted.uploads++;
      },
    ],
    [
      5,
      async (routes) => {
        const institutionId = pick(institutionIds);
        await call(routes, 'GET /institutions/{institutionId}/metrics/{period}', 'GET', `/institutions/${institutionId}/metrics/${periods.completed}`, {
          token: clerks.get(institutionId),
        });
      },
    ],
    [
      5,
      (routes) =>
        call(routes, 'GET /districts/{districtId}/periods/{period}', 'GET', `/districts/${D}/periods/${periods.completed}`, { token: evaluator }).then(
          () => {},
        ),
    ],
    [
      5,
      (routes) =>
        call(routes, 'GET /evaluations/{evaluationId}/teams/{teamId}', 'GET', `/evaluations/${completedRun}/teams/${pick(teams).teamId}`, {
          token: evaluator,
        }).then(() => {}),
    ],
    [
      4,
      (routes) =>
        call(routes, 'GET /teams/{teamId}/survey-results', 'GET', `/teams/${pick(teams).teamId}/survey-results?period=${periods.completed}`, {
          token: evaluator,
        }).then(() => {}),
    ],
    [4, (routes) => call(routes, 'GET /districts/{districtId}/settlements', 'GET', `/districts/${D}/settlements`, { token: finance }).then(() => {})],
    [
      4,
      (routes) =>
        call(routes, 'GET /settlements/{settlementId}/lines', 'GET', `/settlements/${settlementId}/lines?kind=team&limit=50`, { token: finance }).then(
          () => {},
        ),
    ],
    [10, (routes) => call(routes, 'GET /teams/{teamId}', 'GET', `/teams/${pick(teams).teamId}`, { token: admin }).then(() => {})],
    [2, (routes) => call(routes, 'GET /districts/{districtId}/teams', 'GET', `/districts/${D}/teams?limit=50`, { token: admin }).then(() => {})],
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);

  return {
    next: (routes) => {
      let roll = Math.random() * totalWeight;
      for (const [weight, run] of operations) {
        roll -= weight;
        if (roll < 0) return run(routes);
      }
      return operations[0]![1](routes);
    },
    startRun: async (routes) => {
      const result = await call(routes, 'POST /districts/{districtId}/evaluations', 'POST', `/districts/${D}/evaluations`, {
        token: evaluator,
        body: { period: periods.rerun, criteriaVersion, reason: 'load test: the run in flight' },
      });
      return result.status === 202 ? (result.body as { evaluationId: string }).evaluationId : null;
    },
    runStatus: async (evaluationId) => (await getJson<{ status?: string }>(base, `/evaluations/${evaluationId}`, evaluator)).status,
    preview: async (routes, keepFollowing) => {
      const accepted = await call(routes, 'POST /districts/{districtId}/settlements/preview', 'POST', `/districts/${D}/settlements/preview`, {
        token: finance,
        body: { evaluationId: settledRun, poolFen: 100_000_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
      });
      // computed by a job: followed as the finance page does, until it is done or failed
      const jobId = (accepted.body as { jobId?: string } | null)?.jobId;
      let status = jobId ? 'queued' : 'not accepted';
      while (jobId && (status === 'queued' || status === 'running') && keepFollowing()) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const job = await call(routes, 'GET /settlement-jobs/{jobId}', 'GET', `/settlement-jobs/${jobId}`, { token: finance });
        status = job.status === 200 ? ((job.body as { status?: string }).status ?? 'failed') : 'failed';
      }
      previews[status] = (previews[status] ?? 0) + 1;
    },
    accepted,
    previews,
    teams,
    institutionIds,
  };
}
