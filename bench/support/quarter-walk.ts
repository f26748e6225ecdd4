/**
 * One district-quarter end to end through the local app (every function app, in process, on a
 * clock the walk moves): the registry, criteria, contracts signed at the start of the quarter,
 * survey answers in the app and through invitation links, the metric uploads before the data
 * deadline, the evaluation run after it, publication, the review reads, the settlement created by
 * one finance officer and approved by another once the period is final, and the reports. Each
 * phase is announced to `onPhase` first (the cost model counts capacity per phase).
 */
import type { Db } from '#shared/data/db.ts';
import { getRun } from '#shared/data/evaluations.ts';
import { getPeriodStatus } from '#shared/data/period-status.ts';
import { getSettlementJob } from '#shared/data/settlement-jobs.ts';
import { mapLimited } from '#shared/domain/map-limited.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { DEMO_CRITERIA } from '../../local/seed/demo-criteria.ts';
import { fictionalIdentityNumber } from '../../local/seed/identity-numbers.ts';
import type { BenchStack } from './stack.ts';

export interface QuarterOptions {
  institutions: number;
  teamsPerInstitution: number;
  residentsPerTeam: number;
  /** every n-th resident answers the survey in the app */
  appSurveyEvery: number;
  /** invitation links drawn per team (answered through the link page) */
  invitationsPerTeam: number;
}

export interface QuarterOutcome {
  districtId: string;
  period: string;
  teams: number;
  contracts: number;
  surveysAccepted: number;
  uploads: number;
  evaluationId: string;
  settlementId: string;
  /** requests per "METHOD route status" */
  requests: Record<string, number>;
}

const D = 'cost-d';
const PERIOD = '2026Q3';
/** the walk's moments: signing at the quarter's start, answers in its middle, uploads before the data deadline (10 October), the run after it */
const AT = {
  start: '2026-07-02T02:00:00Z',
  surveys: '2026-08-15T02:00:00Z',
  uploads: '2026-10-05T02:00:00Z',
  run: '2026-10-11T02:00:00Z',
  publish: '2026-10-12T02:00:00Z',
  final: '2026-10-20T02:00:00Z',
};
const CONCURRENCY = 8;

type Send = <T = unknown>(
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; form?: Record<string, string>; expect?: number[] },
) => Promise<{ status: number; body: T }>;

/** Requests to the in-process app, counted per route and status; an unexpected status throws with the problem's text. */
function client(stack: BenchStack, requests: Record<string, number>): Send {
  return async <T>(method: string, path: string, options: Parameters<Send>[2] = {}) => {
    const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await stack.app.request(path, { method, headers, body });
    const route = path.replace(/\?.*$/, '').replace(/\/(cost-[\w-]+|[0-9a-f-]{20,}|[A-Za-z0-9_-]{30,})(?=\/|$)/g, '/{id}');
    const key = `${method} ${route} ${response.status}`;
    requests[key] = (requests[key] ?? 0) + 1;
    const text = await response.text();
    if (!(options.expect ?? [200, 201, 202]).includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return { status: response.status, body: (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text } as {
      status: number;
      body: T;
    };
  };
}

/** Waits (reading through `quiet`, a client the meter does not count) until the run is complete and official. */
async function runFinished(quiet: Db, evaluationId: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const run = await getRun(quiet, evaluationId, true);
    if (run?.status === 'failed') throw new Error(`evaluation ${evaluationId} failed: ${run.error ?? ''}`);
    if (run?.status === 'completed' && (await getPeriodStatus(quiet, D, PERIOD)).officialRunId === evaluationId) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`evaluation ${evaluationId} did not finish`);
}

/** Waits (through `quiet`) until the settlement job is done; a failed job fails the walk. */
async function jobFinished(quiet: Db, jobId: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const job = await getSettlementJob(quiet, jobId);
    if (job?.status === 'failed') throw new Error(`settlement job ${jobId} failed: ${JSON.stringify(job.problem)}`);
    if (job?.status === 'done') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`settlement job ${jobId} did not finish`);
}

const answers = (i: number) => ({
  overall: 1 + (i % 5),
  attitude: 1 + ((i + 1) % 5),
  communication: 1 + ((i + 2) % 5),
  access: 1 + ((i + 3) % 5),
  recommend: i % 11,
});

export async function walkQuarter(
  stack: BenchStack,
  quiet: Db,
  setClock: (iso: string) => void,
  options: QuarterOptions,
  onPhase: (phase: string) => void,
): Promise<QuarterOutcome> {
  const requests: Record<string, number> = {};
  const send = client(stack, requests);
  const issue = stack.auth.issue;
  const admin = await issue({ role: 'admin', sub: 'cost-admin' });
  const evaluator = await issue({ role: 'evaluator', districtId: D, sub: 'cost-evaluator' });
  const financeA = await issue({ role: 'finance', districtId: D, sub: 'cost-finance-a' });
  const financeB = await issue({ role: 'finance', districtId: D, sub: 'cost-finance-b' });
  setClock(AT.start);

  onPhase('registry');
  const capacity = options.residentsPerTeam + 10;
  await send('POST', '/districts', {
    token: admin,
    body: { districtId: D, name: '成本区', province: '测试省', settings: { teamCapacity: capacity, surveyMinResponses: 3 } },
  });
  const teams: { teamId: string; institutionId: string; clerk: string }[] = [];
  for (let i = 0; i < options.institutions; i++) {
    const institution = (
      await send<{ institutionId: string }>('POST', `/districts/${D}/institutions`, {
        token: admin,
        body: {
          name: `社区卫生服务中心 ${i + 1}`,
          ownership: 'government',
          level: 'community-health-centre',
          servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
        },
      })
    ).body;
    const clerk = await issue({ role: 'clerk', districtId: D, institutionId: institution.institutionId, sub: `cost-clerk-${i}` });
    for (let t = 0; t < options.teamsPerInstitution; t++) {
      const members = [
        { name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
        { name: '李护士', role: 'community-nurse', joinedOn: '2025-01-01' },
        { name: '周药师', role: 'pharmacist', joinedOn: '2025-03-01' },
      ];
      const team = (
        await send<{
          teamId: string;
        }>('POST', `/institutions/${institution.institutionId}/teams`, { token: admin, body: { name: `团队 ${i + 1}-${t + 1}`, members } })
      ).body;
      teams.push({ teamId: team.teamId, institutionId: institution.institutionId, clerk });
    }
  }

  onPhase('criteria');
  const criteria = (
    await send<{
      version: number;
    }>('POST', `/districts/${D}/criteria`, { token: evaluator, body: { name: '季度考核', periodType: 'quarter', document: DEMO_CRITERIA } })
  ).body;
  await send('POST', `/districts/${D}/criteria/${criteria.version}/publish`, { token: evaluator, body: {} });

  onPhase('contracts');
  const residents = teams.flatMap((team, t) => Array.from({ length: options.residentsPerTeam }, (_, r) => ({ team, n: t * options.residentsPerTeam + r })));
  const identity = (n: number) => fictionalIdentityNumber(`19${40 + (Math.floor(n / 1000) % 60)}-0${1 + (Math.floor(n / 60_000) % 9)}-15`, n % 1000);
  await mapLimited(residents, CONCURRENCY, ({ team, n }) =>
    send('POST', '/contracts', {
      token: team.clerk,
      body: {
        teamId: team.teamId,
        identityNumber: identity(n),
        insured: n % 10 !== 0,
        keyPopulations: n % 3 === 0 ? ['hypertension'] : [],
        startDate: '2026-07-01',
      },
    }),
  );

  onPhase('surveys');
  setClock(AT.surveys);
  const appAnswers = residents.filter(({ n }) => n % options.appSurveyEvery === 0);
  await mapLimited(appAnswers, CONCURRENCY, async ({ n }) => {
    const token = await issue({ role: 'resident', residentRef: stack.keyer(identity(n)) });
    await send('GET', '/me/survey', { token });
    await send('POST', '/surveys', { token, body: { answers: answers(n) } });
  });
  const drawn = (
    await send<{ invitations: { link: string }[] }>('POST', `/districts/${D}/survey-invitations`, {
      token: evaluator,
      body: { period: PERIOD, samplePerTeam: options.invitationsPerTeam, validDays: 30 },
    })
  ).body;
  // the page first; a resident who answered in the app already is told so there (409) and submits nothing
  await mapLimited(drawn.invitations, CONCURRENCY, async ({ link }, i) => {
    const path = new URL(link).pathname;
    if ((await send('GET', path, { expect: [200, 409] })).status !== 200) return;
    await send('POST', path, { form: Object.fromEntries(Object.entries(answers(i)).map(([k, v]) => [k, String(v)])), expect: [201, 409] });
  });

  onPhase('uploads');
  setClock(AT.uploads);
  const institutionIds = [...new Set(teams.map((t) => t.institutionId))];
  for (const [i, institutionId] of institutionIds.entries()) {
    const own = teams.filter((t) => t.institutionId === institutionId);
    const rows = own.map((t, k) => ({
      teamId: t.teamId,
      values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d, c) => [d.code, d.code.endsWith('-done') ? 30 + ((i + k + c) % 20) : 60])),
    }));
    await send('PUT', `/institutions/${institutionId}/metrics/${PERIOD}`, { token: own[0]!.clerk, body: { rows } });
  }

  onPhase('evaluation');
  setClock(AT.run);
  const run = (
    await send<{
      evaluationId: string;
    }>('POST', `/districts/${D}/evaluations`, { token: evaluator, body: { period: PERIOD, criteriaVersion: criteria.version } })
  ).body;
  await runFinished(quiet, run.evaluationId);

  onPhase('publication');
  setClock(AT.publish);
  await send('POST', `/districts/${D}/periods/${PERIOD}/publish`, { token: evaluator });
  await send('GET', `/districts/${D}/periods/${PERIOD}`, { token: evaluator });
  await send('GET', `/evaluations/${run.evaluationId}/scores`, { token: evaluator });
  await mapLimited(teams, CONCURRENCY, (team) => send('GET', `/evaluations/${run.evaluationId}/teams/${team.teamId}`, { token: team.clerk }));
  await send('GET', `/public/districts/${D}/results/${PERIOD}`);

  onPhase('settlement');
  setClock(AT.final);
  // the settlement is computed by a job (202): the walk waits for it without counting, then reads the job once as a client does
  const job = (
    await send<{ jobId: string }>('POST', `/districts/${D}/settlements`, {
      token: financeA,
      body: { evaluationId: run.evaluationId, poolFen: 50_000_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
    })
  ).body;
  await jobFinished(quiet, job.jobId);
  const settlement = (await send<{ settlementId: string }>('GET', `/settlement-jobs/${job.jobId}`, { token: financeA })).body;
  await send('GET', `/settlements/${settlement.settlementId}`, { token: financeB });
  await send('POST', `/settlements/${settlement.settlementId}/approve`, { token: financeB, body: { comment: '核对无误' } });

  onPhase('reports');
  for (const kind of ['team', 'member', 'institution']) {
    let cursor: string | null = null;
    do {
      const page: { nextCursor: string | null } = (
        await send<{ nextCursor: string | null }>(
          'GET',
          `/settlements/${settlement.settlementId}/lines?kind=${kind}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          {
            token: financeA,
          },
        )
      ).body;
      cursor = page.nextCursor;
    } while (cursor);
  }
  await send('GET', `/settlements/${settlement.settlementId}/report.csv`, { token: financeA });
  await send('GET', `/settlements/${settlement.settlementId}/report.xlsx`, { token: financeA });
  await mapLimited(teams, CONCURRENCY, (team) => send('GET', `/teams/${team.teamId}/survey-results?period=${PERIOD}`, { token: team.clerk }));

  const accepted = Object.entries(requests)
    .filter(([key]) => key === 'POST /surveys 201' || key === 'POST /s/{id} 201')
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    districtId: D,
    period: PERIOD,
    teams: teams.length,
    contracts: residents.length,
    surveysAccepted: accepted,
    uploads: institutionIds.length,
    evaluationId: run.evaluationId,
    settlementId: settlement.settlementId,
    requests,
  };
}
