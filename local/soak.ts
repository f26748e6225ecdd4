/**
 * `npm run soak [-- --minutes 3 --workers 8 --seed 1]`: a soak test on this machine. It starts
 * DynamoDB Local in memory and the local app on a free port of 127.0.0.1, seeds a small district,
 * and runs mixed traffic for a few minutes (contract signing, cancellations and renewal races,
 * survey answers, metric uploads with Idempotency-Keys (replayed and reused) to the running
 * quarter and, when an administrator has reopened them with a reason, to the evaluated quarters,
 * evaluation runs (reruns with their reason), publication of the official results with the review
 * window already closed, settlement creation, recomputation and approval of the then final
 * periods, reads), bounded request loops against 127.0.0.1 only. Then it reads the table and
 * checks that counts and money still reconcile:
 * - every team's activeContracts equals the contracts holding a place (contract-reconcile), within its capacity, and no
 *   resident has two;
 * - survey aggregates equal their recomputation from the raw answers (survey-reconcile);
 * - every settlement's lines sum to its totals; one approved settlement per period, in force;
 * - metric versions are numbered 1..n without gaps, the pointer on n;
 * - no request answered 500;
 * - the traffic reached the money: at least one settlement approved and one metric version stored
 *   (since the period lifecycle of issue 14 most requests can be refused, which must not pass unseen).
 * It prints what it did and exits 1 on any mismatch (2 when it cannot start).
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DomainError } from '#shared/domain/errors.ts';
import { checkCharacter } from '#shared/domain/identity-number.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { dataDeadlineAt } from '#shared/domain/period-lifecycle.ts';
import { ensureTable } from '#shared/data/create-table.ts';
import { createDb } from '#shared/data/db.ts';
import { transitionPeriod } from '#shared/data/period-status.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS } from '#shared/data/districts.ts';
import { createInstitution } from '#shared/data/institutions.ts';
import { getCurrentMetricsVersion, listMetricsVersions } from '#shared/data/metrics.ts';
import { allLines, getInForce, listSettlements, type Settlement } from '#shared/data/settlements.ts';
import { allTeamsOfDistrict, createTeam, type Team } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { jwksVerifier } from '#shared/http/tokens.ts';
import { residentKeyer } from '#shared/security/resident-key.ts';
import { inProcessLauncher } from '#shared/services/evaluation/launch.ts';
import type { InstitutionLine, MemberLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { reconcileContracts } from '#shared/services/contract-reconcile.ts';
import { reconcileSurveyAggregates } from '#shared/services/survey-reconcile.ts';
import { createDevAuth, DEV_ISSUER } from './dev-auth.ts';
import { JAVA_MISSING, javaAvailable, startDynamoDbLocal } from './dynamodb-local.ts';
import { createLocalApp } from './server.ts';
import { seededRandom } from './seed/random.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    workers: { type: 'string', default: '8' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
  },
});
const MINUTES = Number(args.minutes);
const WORKERS = Number(args.workers);
if (!(MINUTES > 0) || !(WORKERS > 0)) {
  console.error('Usage: npm run soak -- [--minutes N] [--workers N] [--seed N]');
  process.exit(2);
}

/**
 * The soak's clock: a fixed day in the last quarter of 2026, so periods and terms do not move under
 * it. Only the seed moves it back, to upload each evaluated quarter before its data deadline
 * (period end + 10 days: 2026Q2 closes on 10 July, 2026Q3 on 10 October).
 */
const NOW = new Date('2026-11-22T08:00:00Z');
const SEED_CLOCK: Record<string, Date> = { '2026Q2': new Date('2026-07-05T08:00:00Z'), '2026Q3': new Date('2026-10-08T08:00:00Z') };
let clock = NOW;
const D = 'soak-d';
/** the quarters evaluated, published and settled (ended, their data deadline passed) */
const PERIODS = ['2026Q2', '2026Q3'] as const;
/** the running quarter: open to uploads until 10 January 2027 */
const OPEN_PERIOD = '2026Q4';
const METRIC_PERIODS = [...PERIODS, OPEN_PERIOD];
const SURVEY_PERIOD = '2026Q4';
const INSTITUTIONS = 3;
const TEAMS_PER_INSTITUTION = 4;
const CAPACITY = 60;
const CODES = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);

// deterministic, so a run can be repeated with --seed
const random = seededRandom(Number(args.seed)).next;
const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];

/** Fictional identity numbers (address code 99…, no province), valid check characters. */
function identityNumber(n: number): string {
  const day = String((n % 28) + 1).padStart(2, '0');
  const first17 = `990108${1940 + (Math.floor(n / 28) % 60)}03${day}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

// ---------------------------------------------------------------------------------------------
// The stack

if (!javaAvailable()) {
  console.error(JAVA_MISSING);
  process.exit(2);
}
const local = await startDynamoDbLocal();
const tableName = 'soak';
const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
await ensureTable(client, tableName);
client.destroy();
const db = createDb({ tableName, endpoint: local.endpoint, region: 'local' });
const auth = createDevAuth();
const keyer = residentKeyer(Buffer.alloc(32, 9));
const deps: Deps = {
  db,
  verifyToken: jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER }),
  residentKeyer: async () => keyer,
  now: () => clock,
  launchEvaluation: inProcessLauncher(db, () => clock),
  demoIdentityNumbers: true,
};
const server = serve({ fetch: createLocalApp(deps, auth).fetch, port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function stop(code: number): never {
  server.close();
  local.stop();
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------
// Requests, counted

const counts = new Map<string, Map<number, number>>();
const failures: string[] = [];

async function call(
  kind: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  let status: number;
  let parsed: unknown = null;
  try {
    const response = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(60_000) });
    status = response.status;
    const text = await response.text();
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (status >= 500 && status !== 503) failures.push(`${kind}: ${method} ${path} answered ${status}: ${text.slice(0, 300)}`);
  } catch (error) {
    status = 0;
    failures.push(`${kind}: ${method} ${path} failed: ${(error as Error).message}`);
  }
  const byStatus = counts.get(kind) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  counts.set(kind, byStatus);
  return { status, body: parsed };
}

// ---------------------------------------------------------------------------------------------
// Seed: a district of 3 institutions × 4 teams (capacity 60), criteria, first uploads

console.log(`soak: DynamoDB Local ${local.endpoint}, app ${base}, ${MINUTES} min × ${WORKERS} workers, seed ${args.seed}`);
await createDistrict(db, {
  districtId: D,
  name: '压力区',
  province: '测试省',
  settings: { ...DEFAULT_DISTRICT_SETTINGS, teamCapacity: CAPACITY },
  createdAt: NOW.toISOString(),
});
const teams: Team[] = [];
const institutionIds: string[] = [];
for (let i = 1; i <= INSTITUTIONS; i++) {
  const institutionId = `soak-inst-${i}`;
  institutionIds.push(institutionId);
  await createInstitution(db, {
    institutionId,
    districtId: D,
    name: `中心 ${i}`,
    ownership: i === 3 ? 'social' : 'government',
    level: 'community-health-centre',
    servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
    createdAt: NOW.toISOString(),
  });
  for (let t = 1; t <= TEAMS_PER_INSTITUTION; t++) {
    teams.push(
      await createTeam(db, {
        teamId: `${institutionId}-team-${t}`,
        institutionId,
        districtId: D,
        name: `团队 ${i}-${t}`,
        members: [
          { memberId: `${institutionId}-${t}-gp`, name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
          {
            memberId: `${institutionId}-${t}-nurse`,
            name: '李护士',
            role: 'community-nurse',
            joinedOn: '2025-01-01',
            ...(t === 2 ? { leftOn: '2026-08-15' } : {}),
          },
          ...(t === 3 ? [{ memberId: `${institutionId}-${t}-pharm`, name: '周药师', role: 'pharmacist' as const, joinedOn: '2026-09-01' }] : []),
        ],
        capacity: CAPACITY,
        activeContracts: 0,
        createdAt: NOW.toISOString(),
      }),
    );
  }
}
const token = {
  admin: await auth.issue({ role: 'admin', sub: 'soak-admin' }),
  evaluator: await auth.issue({ role: 'evaluator', districtId: D, sub: 'soak-evaluator' }),
  financeA: await auth.issue({ role: 'finance', districtId: D, sub: 'soak-finance-a' }),
  financeB: await auth.issue({ role: 'finance', districtId: D, sub: 'soak-finance-b' }),
  clerks: await Promise.all(
    institutionIds.map((institutionId) => auth.issue({ role: 'clerk', districtId: D, institutionId, sub: `soak-clerk-${institutionId}` })),
  ),
};
const criteria = {
  name: '压力测试',
  periodType: 'quarter',
  document: {
    insufficientData: 'redistribute',
    indicators: [
      {
        code: 'htn',
        label: { zh: '高血压随访', en: 'Hypertension follow-up' },
        weight: 60,
        source: { ratio: { numerator: 'htn-followup-done', denominator: 'htn-followup-due' } },
        higherIsBetter: true,
        method: { kind: 'threshold-linear', lower: 50, upper: 95, maxPoints: 10 },
      },
      {
        code: 'visits',
        label: { zh: '上门服务', en: 'Home visits' },
        weight: 40,
        source: { metric: 'home-visits-80plus' },
        higherIsBetter: true,
        method: { kind: 'relative-standing', maxPoints: 10 },
      },
    ],
  },
};
const seededCriteria = await call('seed', 'POST', `/districts/${D}/criteria`, { token: token.evaluator, body: criteria });
const published = await call('seed', 'POST', `/districts/${D}/criteria/1/publish`, { token: token.evaluator, body: {} });
if (seededCriteria.status !== 201 || published.status !== 200) {
  console.error(`soak: could not seed criteria (${seededCriteria.status}, ${published.status}): ${JSON.stringify(seededCriteria.body).slice(0, 400)}`);
  stop(2);
}

function metricsCsv(institutionId: string, base: number): string {
  const rows = teams
    .filter((t) => t.institutionId === institutionId)
    .map((t) => [t.teamId, ...CODES.map((code) => String(code.endsWith('-done') ? Math.max(0, base - Math.floor(random() * 10)) : base))].join(','));
  return [`teamId,${CODES.join(',')}`, ...rows].join('\n');
}
// each quarter uploaded while it is open to uploads (before the traffic, so no request sees the clock move)
for (const period of METRIC_PERIODS) {
  clock = SEED_CLOCK[period] ?? NOW;
  for (const [i, institutionId] of institutionIds.entries()) {
    const upload = await call('seed', 'PUT', `/institutions/${institutionId}/metrics/${period}`, {
      token: token.clerks[i],
      body: metricsCsv(institutionId, 40),
      headers: { 'content-type': 'text/csv' },
    });
    if (upload.status !== 201) {
      console.error(`soak: could not seed ${institutionId} ${period} (${upload.status}): ${JSON.stringify(upload.body).slice(0, 400)}`);
      stop(2);
    }
  }
}
clock = NOW;

/** The period's lifecycle record as the API answers it. */
async function periodStatus(kind: string, period: string): Promise<{ state?: string; officialRunId?: string }> {
  const result = await call(kind, 'GET', `/districts/${D}/periods/${period}/status`, { token: token.financeA });
  return result.status === 200 ? (result.body as { state?: string; officialRunId?: string }) : {};
}

// ---------------------------------------------------------------------------------------------
// Traffic

let nextResident = 0;
const signed: { identityNumber: string; contractId: string; teamId: string; institution: number }[] = [];
const recentKeys: { institution: number; period: string; key: string; body: string }[] = [];
const runs: string[] = [];
const drafts: string[] = [];

const operations: [number, string, () => Promise<unknown>][] = [
  [
    30,
    'sign',
    async () => {
      const team = pick(teams)!;
      const id = identityNumber(nextResident++);
      const institution = institutionIds.indexOf(team.institutionId);
      // a fifth start in December 2025 (an administrator's correction of a paper contract): their term ends inside the renewal window
      const historical = random() < 0.2;
      const body = { teamId: team.teamId, identityNumber: id, insured: random() < 0.9, keyPopulations: random() < 0.3 ? ['hypertension'] : [] };
      const result = historical
        ? await call('sign', 'POST', '/contracts', { token: token.admin, body: { ...body, startDate: '2025-12-10', correction: { reason: 'paper contract' } } })
        : await call('sign', 'POST', '/contracts', { token: token.clerks[institution], body: { ...body, startDate: '2026-11-20' } });
      if (result.status === 201)
        signed.push({ identityNumber: id, contractId: (result.body as { contractId: string }).contractId, teamId: team.teamId, institution });
    },
  ],
  [
    5,
    'sign-again',
    async () => {
      const resident = pick(signed);
      if (!resident) return;
      await call('sign-again', 'POST', '/contracts', {
        token: token.admin,
        body: { teamId: pick(teams)!.teamId, identityNumber: resident.identityNumber, insured: true, startDate: '2026-12-20' },
      });
    },
  ],
  [
    4,
    'cancel',
    async () => {
      const resident = pick(signed);
      if (!resident) return;
      await call('cancel', 'POST', `/contracts/${resident.contractId}/cancel`, {
        token: token.clerks[resident.institution],
        body: { noticeDate: '2026-11-01', reason: '迁出', effectiveDate: '2026-11-20' },
      });
    },
  ],
  [
    2,
    'renew',
    async () => {
      const resident = pick(signed);
      if (!resident) return;
      await call('renew', 'POST', `/contracts/${resident.contractId}/renew`, { token: token.admin });
    },
  ],
  [
    20,
    'survey',
    async () => {
      const resident = pick(signed);
      if (!resident) return;
      const residentToken = await auth.issue({ role: 'resident', residentRef: keyer(resident.identityNumber) });
      const rate = () => 1 + Math.floor(random() * 5);
      await call('survey', 'POST', '/surveys', {
        token: residentToken,
        body: { answers: { overall: rate(), attitude: rate(), communication: rate(), access: rate(), recommend: Math.floor(random() * 11) } },
      });
    },
  ],
  [
    12,
    'upload',
    async () => {
      const institution = Math.floor(random() * INSTITUTIONS);
      const institutionId = institutionIds[institution]!;
      // mostly the running quarter; now and then an evaluated one (409 period-closed unless an administrator reopened it)
      const period = random() < 0.75 ? OPEN_PERIOD : pick(PERIODS)!;
      const roll = random();
      const previous = recentKeys.filter((k) => k.institution === institution && k.period === period);
      // a replay (same key, same body), a reused key (another body: 409), or a new upload
      const reuse = roll < 0.3 ? pick(previous) : undefined;
      const body = reuse && roll < 0.25 ? reuse.body : metricsCsv(institutionId, 20 + Math.floor(random() * 50));
      const key = reuse?.key ?? `soak-${institution}-${period}-${nextResident}-${Math.floor(random() * 1e9)}`;
      const result = await call('upload', 'PUT', `/institutions/${institutionId}/metrics/${period}`, {
        token: token.clerks[institution],
        body,
        headers: { 'content-type': 'text/csv', 'idempotency-key': key },
      });
      if (result.status < 300 && !reuse) {
        recentKeys.push({ institution, period, key, body });
        if (recentKeys.length > 50) recentKeys.shift();
      }
    },
  ],
  [
    3,
    'evaluate',
    async () => {
      if (runs.length >= 40) return;
      // a rerun of an evaluated period needs its reason (422 rerun-reason-required without one: now and then)
      const reason = random() < 0.85 ? { reason: 'soak: metrics uploaded again' } : {};
      const result = await call('evaluate', 'POST', `/districts/${D}/evaluations`, {
        token: token.evaluator,
        body: { period: pick(PERIODS)!, criteriaVersion: 1, ...reason },
      });
      if (result.status === 202) runs.push((result.body as { evaluationId: string }).evaluationId);
    },
  ],
  [
    2,
    'publish',
    // publishes an evaluated period's official results through the lifecycle's conditional write, as the
    // helper test/support/period-lifecycle.ts does: published a review window ago, so the window has closed at
    // the soak's clock and the next write that reads the period (settlement create/approve, reopen, run start)
    // finalises it (shared/services/periods.ts readPeriodForUpdate). A reopen or rerun racing it wins or loses
    // on the stored state (409 period-state-conflict, counted as publish 409).
    async () => {
      const period = pick(PERIODS)!;
      const status = await periodStatus('publish-read', period);
      if (status.state !== 'evaluated') return;
      const at = NOW.toISOString();
      let outcome = 200;
      try {
        await transitionPeriod(db, {
          districtId: D,
          period,
          action: 'publish',
          by: 'soak-evaluator',
          at,
          deadlineAt: dataDeadlineAt(period),
          set: { publishedAt: new Date(NOW.getTime() - 7 * 86_400_000).toISOString(), reviewEndsAt: at, openAppeals: 0 },
        });
      } catch (error) {
        outcome = error instanceof DomainError && error.kind === 'conflict' ? 409 : 0;
        if (outcome === 0) failures.push(`publish ${period}: ${(error as Error).message}`);
      }
      const byStatus = counts.get('publish') ?? new Map<number, number>();
      byStatus.set(outcome, (byStatus.get(outcome) ?? 0) + 1);
      counts.set('publish', byStatus);
    },
  ],
  [
    6,
    'settle',
    async () => {
      // mostly the official run of a period (final once published), now and then any run (409 run-not-official or period-not-final)
      const official = (await periodStatus('settle-read', pick(PERIODS)!)).officialRunId;
      const evaluationId = random() < 0.8 && official ? official : pick(runs);
      if (!evaluationId) return;
      const run = await call('settle-read', 'GET', `/evaluations/${evaluationId}`, { token: token.financeA });
      if ((run.body as { status?: string }).status !== 'completed') return;
      const method = pick([
        { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
        { kind: 'score-weighted', sizeMeasure: 'weighted-residents', scoreFloor: '40' },
        { kind: 'value-per-point', fenPerPoint: 500 },
      ])!;
      const created = await call('settle', 'POST', `/districts/${D}/settlements`, {
        token: token.financeA,
        body: { evaluationId, poolFen: 1_000_000 + Math.floor(random() * 9_000_000), method },
      });
      if (created.status === 201) drafts.push((created.body as { settlementId: string }).settlementId);
    },
  ],
  [
    3,
    'recompute',
    async () => {
      const settlementId = pick(drafts);
      if (settlementId)
        await call('recompute', 'POST', `/settlements/${settlementId}/recompute`, {
          token: token.financeA,
          body: { poolFen: 2_000_000 + Math.floor(random() * 1_000_000) },
        });
    },
  ],
  [
    3,
    'approve',
    async () => {
      const settlementId = pick(drafts);
      if (settlementId)
        await call('approve', 'POST', `/settlements/${settlementId}/approve`, { token: token.financeB, body: { comment: 'checked against the evaluation' } });
    },
  ],
  [
    1,
    'reopen',
    // an administrator reopens a period now and then, with a reason: an evaluated or published one goes back to open
    // (uploads taken again, a new run needed), a final or settled one is refused (409 period-final), the open one stays open
    () =>
      call('reopen', 'POST', `/districts/${D}/periods/${pick(METRIC_PERIODS)}/reopen`, {
        token: token.admin,
        body: { reason: 'soak: an institution corrects its metrics' },
      }),
  ],
  [
    10,
    'read',
    async () => {
      const roll = random();
      if (roll < 0.3) await call('read', 'GET', `/teams/${pick(teams)!.teamId}/contracts?limit=20`, { token: token.admin });
      // results are shown once a period has ended (2026Q4, still being answered, would be 409 survey-period-open)
      else if (roll < 0.5) await call('read', 'GET', `/teams/${pick(teams)!.teamId}/survey-results?period=${PERIODS[1]}`, { token: token.evaluator });
      else if (roll < 0.7) await call('read', 'GET', `/institutions/${pick(institutionIds)}/metrics/${pick(PERIODS)}`, { token: token.admin });
      else if (roll < 0.85) {
        const settlementId = pick(drafts);
        if (settlementId)
          await call('read', 'GET', `/settlements/${settlementId}/lines?kind=${pick(['team', 'member', 'institution'])}`, { token: token.financeA });
      } else await call('read', 'GET', `/districts/${D}/settlements`, { token: token.financeA });
    },
  ],
];
const totalWeight = operations.reduce((sum, [w]) => sum + w, 0);
function chooseOperation(): () => Promise<unknown> {
  let roll = random() * totalWeight;
  for (const [weight, , run] of operations) {
    roll -= weight;
    if (roll < 0) return run;
  }
  return operations[0]![2];
}

const deadline = Date.now() + MINUTES * 60_000;
const started = Date.now();
let progressAt = Date.now();
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (Date.now() < deadline) {
      await chooseOperation()();
      if (Date.now() - progressAt > 30_000) {
        progressAt = Date.now();
        const done = [...counts.values()].reduce((sum, byStatus) => sum + [...byStatus.values()].reduce((a, b) => a + b, 0), 0);
        console.log(
          `soak: ${Math.round((Date.now() - started) / 1000)} s, ${done} requests, ${signed.length} contracts, ` +
            `${runs.length} runs, ${drafts.length} settlements`,
        );
      }
    }
  }),
);

// Evaluations run in this process in the background: let them finish before reading.
for (let i = 0; i < 600; i++) {
  const statuses = await Promise.all(
    runs.map(async (id) => ((await call('settle-read', 'GET', `/evaluations/${id}`, { token: token.admin })).body as { status?: string }).status),
  );
  if (statuses.every((s) => s === 'completed' || s === 'failed')) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

// ---------------------------------------------------------------------------------------------
// Reconcile

const mismatches: string[] = [];
const check = (ok: boolean, message: string) => {
  if (!ok) mismatches.push(message);
};

// contracts: counters equal the active contracts, within capacity, never two contracts of a resident on one day
const contractReport = await reconcileContracts(db, D, new Date().toISOString().slice(0, 10));
for (const d of contractReport.counterDrift) check(false, `team ${d.teamId}: activeContracts ${d.stored}, active contracts ${d.active}`);
for (const o of contractReport.overlaps) check(false, `resident ${o.identityMasked}: ${o.contractIds.join(' and ')} both in force ${o.from} to ${o.to}`);
let activeContracts = 0;
for await (const team of allTeamsOfDistrict(db, D)) {
  activeContracts += team.activeContracts;
  check(team.activeContracts <= team.capacity, `team ${team.teamId}: ${team.activeContracts} contracts above capacity ${team.capacity}`);
}

// surveys: aggregates equal their recomputation
const survey = await reconcileSurveyAggregates(db, D, SURVEY_PERIOD, false);
check(survey.teamsWithDrift === 0, `survey aggregates: ${survey.teamsWithDrift} teams drift: ${JSON.stringify(survey.drift).slice(0, 500)}`);

// settlements: lines sum to totals; one approved settlement in force per period
const settlements: Settlement[] = [];
let cursor: string | undefined;
do {
  const page = await listSettlements(db, D, 100, cursor);
  settlements.push(...page.items);
  cursor = page.nextCursor ?? undefined;
} while (cursor);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
for (const s of settlements) {
  const team: TeamLine[] = [];
  const member: MemberLine[] = [];
  const institution: InstitutionLine[] = [];
  for await (const line of allLines<TeamLine>(db, s.computationId, 'team')) team.push(line);
  for await (const line of allLines<MemberLine>(db, s.computationId, 'member')) member.push(line);
  for await (const line of allLines<InstitutionLine>(db, s.computationId, 'institution')) institution.push(line);
  const t = s.totals;
  const label = `settlement ${s.settlementId} (${s.status})`;
  check(
    team.length === s.lineCounts.team && member.length === s.lineCounts.member && institution.length === s.lineCounts.institution,
    `${label}: line counts ${team.length}/${member.length}/${institution.length}, header ${JSON.stringify(s.lineCounts)}`,
  );
  check(t.poolFen === t.paidFen + t.unallocatedFen, `${label}: pool ${t.poolFen} ≠ paid ${t.paidFen} + unallocated ${t.unallocatedFen}`);
  check(sum(team.map((l) => l.amount)) === t.paidFen, `${label}: team lines ${sum(team.map((l) => l.amount))} ≠ paid ${t.paidFen}`);
  check(
    sum(institution.map((l) => l.incentiveFen)) === t.paidFen,
    `${label}: institution incentives ${sum(institution.map((l) => l.incentiveFen))} ≠ paid ${t.paidFen}`,
  );
  check(sum(member.map((l) => l.amount)) === t.membersFen, `${label}: member lines ${sum(member.map((l) => l.amount))} ≠ members ${t.membersFen}`);
  check(
    t.membersFen + t.memberUnallocatedFen === t.paidFen,
    `${label}: members ${t.membersFen} + member-unallocated ${t.memberUnallocatedFen} ≠ paid ${t.paidFen}`,
  );
  check(
    sum(institution.map((l) => l.subsidyFen)) === t.subsidyFen,
    `${label}: institution subsidies ${sum(institution.map((l) => l.subsidyFen))} ≠ subsidy ${t.subsidyFen}`,
  );
}
for (const period of PERIODS) {
  const approved = settlements.filter((s) => s.period === period && s.status !== 'draft' && s.correctionOf === null);
  const inForce = await getInForce(db, D, period);
  check(approved.length <= 1, `${period}: ${approved.length} approved settlements`);
  check(
    (inForce?.settlementId ?? null) === (approved[0]?.settlementId ?? null),
    `${period}: in force ${inForce?.settlementId ?? 'none'}, approved ${approved[0]?.settlementId ?? 'none'}`,
  );
}

// metric versions: 1..n, the pointer on n
let versionsStored = 0;
for (const institutionId of institutionIds) {
  for (const period of METRIC_PERIODS) {
    const versions: number[] = [];
    let next: string | undefined;
    do {
      const page = await listMetricsVersions(db, institutionId, period, 100, next);
      versions.push(...page.items.map((v) => v.version));
      next = page.nextCursor ?? undefined;
    } while (next);
    versions.sort((a, b) => a - b);
    versionsStored += versions.length;
    check(
      versions.every((v, i) => v === i + 1),
      `${institutionId} ${period}: versions ${versions.join(',')} have a gap`,
    );
    const pointer = await getCurrentMetricsVersion(db, D, institutionId, period);
    check((pointer?.version ?? 0) === versions.length, `${institutionId} ${period}: pointer on ${pointer?.version}, ${versions.length} versions`);
  }
}

// the traffic reached the money: a soak whose uploads and settlements were all refused proves nothing
const approvedCount = settlements.filter((s) => s.status !== 'draft').length;
check(approvedCount > 0, `no settlement was approved (${settlements.length} settlements, ${runs.length} evaluation runs)`);
check(versionsStored > 0, 'no metric version was stored');

// ---------------------------------------------------------------------------------------------
// Report

const seconds = (Date.now() - started) / 1000;
const requests = [...counts.values()].reduce((total, byStatus) => total + [...byStatus.values()].reduce((a, b) => a + b, 0), 0);
console.log(`\nsoak: ${requests} requests in ${seconds.toFixed(0)} s (${(requests / seconds).toFixed(1)}/s)`);
for (const [kind, byStatus] of [...counts.entries()].sort()) {
  console.log(
    `  ${kind.padEnd(12)} ${[...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join('  ')}`,
  );
}
console.log(
  `  state: ${activeContracts} contracts in force of ${signed.length} signed, ${survey.teamsChecked} teams' survey aggregates, ` +
    `${settlements.length} settlements (${approvedCount} approved), ${runs.length} evaluation runs, ${versionsStored} metric versions`,
);
for (const failure of failures.slice(0, 20)) console.log(`  FAILED REQUEST ${failure}`);
for (const mismatch of mismatches.slice(0, 50)) console.log(`  MISMATCH ${mismatch}`);
const ok = mismatches.length === 0 && failures.length === 0;
console.log(ok ? 'soak: everything reconciles' : `soak: ${mismatches.length} mismatches, ${failures.length} failed requests`);
stop(ok ? 0 : 1);
