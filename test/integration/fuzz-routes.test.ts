/**
 * Hostile input, property-based: for every operation of /openapi.json (and the Swagger asset
 * route), fast-check generates requests: the route's valid sample (test/support/route-samples.ts)
 * and mutations of it (wrong types, unknown and prototype-polluting keys, repeated keys, huge and
 * odd strings, 1e309, -0, deep nesting), malformed JSON, wrong content types, form and CSV bodies,
 * path values with traversal, '#', '%' and unicode, and query strings with junk limits and forged
 * cursors, sent with a token of an allowed role in scope (and sometimes none, a forged one, a
 * foreign signer's, another role's, or the cookie from another origin).
 *
 * Every response: never 5xx, never a stack trace, always the security headers (CSP without inline
 * script, frame-ancestors 'none', nosniff, Referrer-Policy); an error is problem+json with status,
 * type and title (page routes may answer an HTML page). A GET never writes. A rejected request
 * (a cookie-authenticated one without this site's Origin or Sec-Fetch-Site included) leaves the table's item count
 * unchanged (counted with a Scan whenever the request attempted a write), and nothing pollutes
 * Object.prototype. The seed is fixed for CI; FUZZ_SEED=random draws one, and a failure is
 * reproduced with the seed it prints: FUZZ_SEED=<seed> (FUZZ_RUNS=<n>).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { ensureCatalogue } from '#shared/data/metric-catalogue.ts';
import type { Role } from '#shared/http/principal.ts';
import { createDevAuth } from '../../local/dev-auth.ts';
import { createTestDistrict, testIdentityNumber } from '../support/fixtures.ts';
import {
  CONTENT_TYPES,
  encode,
  formBody,
  formGroupOf,
  hostilePathValue,
  hostileString,
  type JsonTree,
  malformedJson,
  mutatedBody,
  queryString,
  render,
  treeOf,
} from '../support/fuzz-inputs.ts';
import { countItems, type FuzzOperation, operationsOf, prototypePollution, responseProblem, trackWrites } from '../support/fuzz-target.ts';
import { routeSamples } from '../support/route-samples.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { settlementCall, waitForSettlementJob } from '../support/settlement-jobs.ts';

// a fixed seed keeps CI reproducible; FUZZ_SEED=random explores (and prints the seed it drew)
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 725463139);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const HOME = 'home-d';
const NOW = new Date('2026-11-22T08:00:00Z');
/** 2026Q3's metrics arrive before its data deadline (10 October, issue 14); the fuzzing runs on NOW */
const BEFORE_Q3_DEADLINE = new Date('2026-10-08T08:00:00Z');
let clock = NOW;
const homeResident = testIdentityNumber('1961-01-01', 101);

let stack: TestStack;
let operations: FuzzOperation[];
let ids: Record<string, string>;
const tokens = new Map<string, string>();
let writes: ReturnType<typeof trackWrites>;
let knownCount = 0;
let countStale = true;
const stats = { requests: 0, rejected: 0, rejectedWithWrites: 0, scans: 0 };

/** signed by the right key but refused (#16 item 5): no exp, a Cognito access token, a clerk whose institution is in another district */
const REFUSED_SIGNED = ['no-exp', 'cognito-access', 'mismatched-clerk'] as const;
type TokenKind =
  | 'allowed'
  | 'none'
  | 'forged-none-alg'
  | 'foreign-signer'
  | 'garbage'
  | 'other-role'
  | 'cookie'
  | 'cookie-cross-site'
  | (typeof REFUSED_SIGNED)[number];

interface FuzzRequest {
  path: string;
  token: TokenKind;
  role: number;
  body?: { type: string | null; text: string };
  headers: Record<string, string>;
}

function json<T>(response: Response): Promise<T> {
  return response.json() as Promise<T>;
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => clock });
  // Runs are recorded, not executed: an evaluation in the background would write during other requests.
  stack.deps.launchEvaluation = async () => undefined;
  const home = await createTestDistrict(stack.db, HOME, { institutions: 1, teamsPerInstitution: 2 });
  await createTestDistrict(stack.db, 'away-d');
  const institutionId = home.institutionIds[0]!;
  const teamId = home.teams[0]!.teamId;
  const admin = await stack.token('admin');
  const evaluator = await stack.token('evaluator', { districtId: HOME, sub: 'evaluator-setup' });
  const clerk = await stack.token('clerk', { districtId: HOME, institutionId, sub: 'clerk-setup' });
  const creator = await stack.token('finance', { districtId: HOME, sub: 'finance-creator' });

  const contract = await json<{ contractId: string }>(
    await stack.request('POST', '/contracts', {
      token: admin,
      body: { teamId, identityNumber: homeResident, insured: true, startDate: '2026-07-01', correction: { reason: 'history entered for the test' } },
    }),
  );
  // A rejected upload must not be what first stores the district's catalogue (a lazy, one-time write).
  await ensureCatalogue(stack.db, HOME, NOW.toISOString());
  clock = BEFORE_Q3_DEADLINE;
  const upload = await stack.request('PUT', `/institutions/${institutionId}/metrics/2026Q3`, {
    token: clerk,
    body: { rows: home.teams.map((t) => ({ teamId: t.teamId, values: Object.fromEntries(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => [d.code, 4])) })) },
  });
  clock = NOW;
  expect(upload.status, await upload.clone().text()).toBe(201);
  const samples = routeSamples({ homeResident, teamId });
  const criteria = await stack.request('POST', `/districts/${HOME}/criteria`, {
    token: evaluator,
    body: samples['POST /districts/{districtId}/criteria']!.body,
  });
  expect(criteria.status, await criteria.clone().text()).toBe(201);
  expect((await stack.request('POST', `/districts/${HOME}/criteria/1/publish`, { token: evaluator, body: {} })).status).toBe(200);
  await createRun(stack.db, {
    evaluationId: 'eval-home',
    districtId: HOME,
    period: '2026Q3',
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: 2, total: 2 },
    startedBy: 'fuzz',
    createdAt: '2026-10-01T00:00:00.000Z',
    fingerprint: '0'.repeat(64),
  });
  await finalizePeriod(stack.db, HOME, '2026Q3', 'eval-home');
  await putScores(
    stack.db,
    home.teams.map((t, i) => ({
      evaluationId: 'eval-home',
      teamId: t.teamId,
      institutionId: t.institutionId,
      score: {
        teamId: t.teamId,
        status: 'scored',
        total: i === 0 ? '80.00' : '60.00',
        indicators: [],
        domains: [],
        gates: [],
        eligibility: 'eligible',
        capPercent: 100,
      } as never,
      rank: i + 1,
      percentile: null,
    })),
  );
  const settlement = await json<{ settlementId: string }>(
    await settlementCall(stack, 'POST', `/districts/${HOME}/settlements`, {
      token: creator,
      body: { evaluationId: 'eval-home', poolFen: 100_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
    }),
  );
  const invitations = await json<{ invitations: { link: string }[] }>(
    await stack.request('POST', `/districts/${HOME}/survey-invitations`, { token: evaluator, body: { period: '2026Q4', samplePerTeam: 1 } }),
  );
  ids = {
    districtId: HOME,
    institutionId,
    teamId,
    contractId: contract.contractId,
    evaluationId: 'eval-home',
    version: '1',
    settlementId: settlement.settlementId,
    period: '2026Q3',
    token: new URL(invitations.invitations[0]!.link).pathname.slice(3),
    file: 'swagger-ui.css',
  };

  const scoped = (role: Role, scope: 'home' | 'away', sub: string) =>
    role === 'admin'
      ? stack.token('admin', { sub })
      : role === 'resident'
        ? stack.token('resident', { identityNumber: scope === 'home' ? homeResident : testIdentityNumber('1962-02-02', 202), sub })
        : role === 'clerk'
          ? stack.token('clerk', { districtId: scope === 'home' ? HOME : 'away-d', institutionId: scope === 'home' ? institutionId : 'away-d-inst-1', sub })
          : stack.token(role, { districtId: scope === 'home' ? HOME : 'away-d', sub });
  for (const role of ['resident', 'clerk', 'evaluator', 'finance', 'admin'] as const) tokens.set(role, await scoped(role, 'home', `${role}-fuzzer`));
  const header = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  tokens.set('forged-none-alg', `${header({ alg: 'none', typ: 'JWT' })}.${header({ sub: 'x', role: 'admin', iss: 'gatekeeper-local', exp: 9e9 })}.`);
  tokens.set('foreign-signer', await createDevAuth().issue({ role: 'admin' }));
  tokens.set('no-exp', await stack.issue({ role: 'admin', exp: undefined }));
  tokens.set('cognito-access', await stack.issue({ role: 'admin', token_use: 'access', 'cognito:groups': ['admin'] }));
  tokens.set('mismatched-clerk', await stack.token('clerk', { districtId: HOME, institutionId: 'away-d-inst-1', sub: 'clerk-mismatched' }));

  operations = operationsOf(await json((await stack.request('GET', '/openapi.json')) as Response));
  // Served outside the OpenAPI document: the Swagger UI assets, read from disk by name.
  operations.push({
    method: 'GET',
    path: '/docs/assets/{file}',
    roles: ['public'],
    pathParams: ['file'],
    queryParams: [],
    headerParams: [],
    bodyTypes: [],
    html: false,
  });
  writes = trackWrites(stack.db);
});

afterAll(() => {
  console.log(`fuzz-routes: seed ${SEED}, ${RUNS} runs per route, ${JSON.stringify(stats)}`);
});

// ---------------------------------------------------------------------------------------------
// Requests

const tokenKind: fc.Arbitrary<TokenKind> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<TokenKind>('allowed') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<TokenKind>(
      'none',
      'forged-none-alg',
      'foreign-signer',
      'garbage',
      'other-role',
      'cookie',
      'cookie-cross-site',
      ...REFUSED_SIGNED,
    ),
  },
);

/** Header values must be byte strings; hostile ones are squeezed into printable Latin-1. */
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e\xa0-\xff]/g, '?').trim();

function pathArbitrary(op: FuzzOperation): fc.Arbitrary<string> {
  if (op.pathParams.length === 0) return fc.constant(op.path);
  const value = (name: string) =>
    fc.oneof(
      { weight: 5, arbitrary: fc.constant(encodeURIComponent(ids[name] ?? `unknown-${name.toLowerCase()}`)) },
      { weight: 1, arbitrary: fc.constant(`unknown-${name.toLowerCase()}`) },
      { weight: 3, arbitrary: hostilePathValue.map((v) => (v.raw ? v.text : encode(v.text))) },
    );
  return fc.tuple(...op.pathParams.map(value)).map((values) => {
    let i = 0;
    return op.path.replace(/\{\w+\}/g, () => values[i++]!);
  });
}

function bodyLimitOf(op: FuzzOperation): number {
  return op.path.includes('/metrics/') ? 8 * 1024 * 1024 : 256 * 1024;
}

function csvBody(sample: unknown): fc.Arbitrary<string> {
  const rows = (sample as { rows?: { teamId: string; values: Record<string, number> }[] } | undefined)?.rows ?? [];
  const codes = Object.keys(rows[0]?.values ?? {});
  const lines = [`teamId,${codes.join(',')}`, ...rows.map((r) => [r.teamId, ...codes.map((c) => String(r.values[c]))].join(','))];
  return fc.oneof(
    fc.constant(lines.join('\r\n')),
    fc.tuple(fc.nat(), fc.nat(), hostileString).map(([line, cell, value]) => {
      const grid = lines.map((l) => l.split(','));
      const row = grid[line % grid.length]!;
      row[cell % row.length] = value.includes(',') || value.includes('"') ? `"${value.replaceAll('"', '""')}"` : value;
      return grid.map((r) => r.join(',')).join('\n');
    }),
    fc.constantFrom('\uFEFF', '"', 'teamId\n"unclosed', 'a,b\n1,2,3,4\n', '\n\n\n', `teamId,${'x,'.repeat(5000)}\n`, 'teamId;htn-followup-due\n1;2'),
    // upload bombs (#16): a header repeating one column past the line limit, too many columns, a row of empty cells, a quoted cell over many lines
    fc.constantFrom(
      `teamId,${'htn-followup-due,'.repeat(20_000)}\nt,1\n`,
      `teamId,${Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')}\nt,1\n`,
      `${lines[0]}\nt,${','.repeat(40_000)}\n`,
      `${lines[0]}\nt,"${'1\n'.repeat(20_000)}"\n`,
    ),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

function bodyArbitrary(op: FuzzOperation, sample: unknown): fc.Arbitrary<FuzzRequest['body'] | undefined> {
  if (op.method === 'GET') return fc.constant(undefined);
  const jsonText = (tree: JsonTree) => ({ type: 'application/json', text: render(tree) });
  const options: fc.WeightedArbitrary<FuzzRequest['body'] | undefined>[] = [
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...CONTENT_TYPES), formBody(formGroupOf(op.path))).map(([type, text]) => ({ type, text })) },
  ];
  if (op.bodyTypes.includes('application/json')) {
    const base = sample ?? {};
    options.push(
      { weight: 3, arbitrary: fc.constant(jsonText(treeOf(base))) },
      { weight: 8, arbitrary: mutatedBody(base).map(jsonText) },
      { weight: 3, arbitrary: malformedJson(base).map((text) => ({ type: 'application/json', text })) },
      { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES, null).map((type) => ({ type, text: JSON.stringify(base) })) },
      { weight: 1, arbitrary: fc.constant({ type: 'application/json', text: JSON.stringify({ ...(base as object), filler: 'x'.repeat(bodyLimitOf(op)) }) }) },
    );
  } else {
    options.push({
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=----x'), formBody(formGroupOf(op.path)))
        .map(([type, text]) => ({ type, text })),
    });
  }
  if (op.bodyTypes.includes('text/csv')) {
    options.push({
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom('text/csv', 'text/csv; charset=utf-8', 'text/csv; charset=latin1', 'text/csv;charset="UTF-8"'), csvBody(sample))
        .map(([type, text]) => ({ type, text })),
    });
  }
  return fc.oneof(...options);
}

function requestArbitrary(op: FuzzOperation): fc.Arbitrary<FuzzRequest> {
  const sample = routeSamples({ homeResident, ...ids })[`${op.method} ${op.path}`];
  const headers: fc.Arbitrary<Record<string, string>> = op.headerParams.includes('idempotency-key')
    ? fc
        .option(fc.oneof(fc.uuid(), hostileString.map(headerSafe), fc.constant('fixed-key')), { nil: undefined })
        .map((key) => (key ? { 'idempotency-key': key } : {}))
    : fc.constant({});
  return fc
    .record({
      path: pathArbitrary(op),
      query: queryString(op.queryParams, sample?.query),
      token: tokenKind,
      role: fc.nat(),
      body: bodyArbitrary(op, sample?.body),
      headers,
    })
    .map(({ query, path, ...rest }) => ({ ...rest, path: `${path}${query}` }));
}

function authorization(op: FuzzOperation, request: FuzzRequest): Record<string, string> {
  const allowed = op.roles.filter((r) => r !== 'public');
  const role = allowed.length > 0 ? allowed[request.role % allowed.length]! : (['admin', 'finance', 'resident'][request.role % 3] as string);
  const others = ['resident', 'clerk', 'evaluator', 'finance', 'admin'].filter((r) => !allowed.includes(r));
  switch (request.token) {
    case 'allowed':
      return { authorization: `Bearer ${tokens.get(role)}` };
    case 'none':
      return {};
    case 'forged-none-alg':
    case 'foreign-signer':
    case 'no-exp':
    case 'cognito-access':
    case 'mismatched-clerk':
      return { authorization: `Bearer ${tokens.get(request.token)}` };
    case 'garbage':
      return { authorization: ['Bearer', 'Bearer x.y.z', `Bearer ${'A'.repeat(9000)}`, 'Basic YTpi', 'bearer lower-case'][request.role % 5]! };
    case 'other-role':
      return others.length > 0 ? { authorization: `Bearer ${tokens.get(others[request.role % others.length]!)}` } : {};
    case 'cookie':
      return { cookie: `gk_token=${tokens.get(role)}` };
    case 'cookie-cross-site':
      return { cookie: `gk_token=${tokens.get(role)}`, origin: 'https://evil.example' };
  }
}

function describeRequest(op: FuzzOperation, request: FuzzRequest): string {
  const body = request.body
    ? ` [${request.body.type ?? 'no content-type'}] ${request.body.text.slice(0, 300)}` +
      `${request.body.text.length > 300 ? `… (${request.body.text.length} chars)` : ''}`
    : '';
  return (
    `${op.method} ${request.path.slice(0, 300)} token=${request.token}` +
    `${Object.keys(request.headers).length ? ` ${JSON.stringify(request.headers)}` : ''}${body}`
  );
}

async function send(op: FuzzOperation, request: FuzzRequest): Promise<{ response: Response; attemptedWrites: string[] }> {
  const headers: Record<string, string> = { ...authorization(op, request), ...request.headers };
  if (request.body?.type) headers['content-type'] = request.body.type;
  const { result: response, origin } = await writes.run(async () => {
    const response = await stack.app.request(request.path, { method: op.method, headers, ...(request.body ? { body: request.body.text } : {}) });
    // a streamed body finishes its work while it is read
    await response.clone().arrayBuffer();
    return response;
  });
  await writes.settle(origin);
  return { response, attemptedWrites: writes.take(origin) };
}

/** One request and every check; throws with a description of the request on any failure. */
async function check(op: FuzzOperation, request: FuzzRequest): Promise<void> {
  if (countStale) {
    knownCount = await countItems(stack.db);
    stats.scans++;
    countStale = false;
  }
  const { response, attemptedWrites } = await send(op, request);
  stats.requests++;
  // a settlement job runs in a worker thread with its own client, unseen by the write tracker: wait for it
  const job = /\/settlement-jobs\/([^/?]+)/.exec(response.headers.get('location') ?? '');
  if (job && response.status < 400) await waitForSettlementJob(stack, job[1]!, tokens.get('finance')!);
  const label = describeRequest(op, request);
  const problem = await responseProblem(op, response);
  if (problem) throw new Error(`${label}\n  → ${problem}`);
  const polluted = prototypePollution();
  if (polluted) throw new Error(`${label}\n  → ${polluted}`);
  if (response.status >= 400) stats.rejected++;
  // no GET has side effects (#16): not even a report job or a lazily stored default
  if (op.method === 'GET' && attemptedWrites.length > 0) throw new Error(`${label}\n  → a GET wrote (${attemptedWrites.join(', ')})`);
  if (attemptedWrites.length === 0) return;
  if (response.status < 400) {
    countStale = true;
    return;
  }
  stats.rejectedWithWrites++;
  const after = await countItems(stack.db);
  stats.scans++;
  if (after !== knownCount)
    throw new Error(`${label}\n  → rejected with ${response.status} but the table went from ${knownCount} to ${after} items (${attemptedWrites.join(', ')})`);
}

describe('every route under hostile input', () => {
  it('covers the routes of /openapi.json', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((o) => o.bodyTypes.includes('application/json')).length).toBeGreaterThan(15);
  });

  it('never answers 5xx, answers errors as problem+json, and writes nothing when it rejects', async () => {
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op), (request) => check(op, request)),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
  }, 240_000);

  it('answers the hostile requests that once gave a 5xx (or a malformed problem) with a clean 4xx or redirect', async () => {
    const form = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
      stack.app.request(path, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: [string, Response | Promise<Response>, number][] = [
      ['a multipart body that cannot be parsed', form(`/s/${ids.token}`, '------x\r\ngarbage', 'multipart/form-data; boundary=----x'), 400],
      ['a login redirect with CR LF', form('/login', `role=admin&next=${encodeURIComponent('/a\r\nSet-Cookie: x=y')}`), 303],
      ['an asset named __proto__', stack.app.request('/docs/assets/__proto__'), 404],
      ['an asset named constructor', stack.app.request('/docs/assets/constructor'), 404],
      [
        'a 7.8 MB CSV whose header repeats one column (the upload bomb)',
        stack.app.request(`/institutions/${ids.institutionId}/metrics/2026Q4`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${tokens.get('clerk')}`, 'content-type': 'text/csv' },
          body: `teamId,${'htn-followup-due,'.repeat(460_000)}\n`,
        }),
        422,
      ],
      [
        'closing a draft (a domain error whose details name a status)',
        stack.app.request(`/settlements/${ids.settlementId}/close`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get('finance')}` } }),
        409,
      ],
    ];
    for (const [label, pending, status] of cases) {
      const response = await pending;
      expect(await responseProblem({ html: false }, response.clone()), label).toBeNull();
      expect(response.status, label).toBe(status);
    }
    const login = await form('/login', `role=admin&next=${encodeURIComponent('/a\r\nb')}`);
    expect(login.headers.get('location')).toBe('/');
  });

  it('answers unknown routes and methods with a 404 problem', async () => {
    const methods = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS');
    const unknownPath = fc.oneof(
      fc.constantFrom(
        '/',
        '/admin',
        '/.env',
        '/../../etc/passwd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/contracts/x/delete',
        '/districts/home-d/secret',
        '/openapi.json/..',
        '//',
      ),
      hostileString.map((s) => `/${encode(s)}`),
    );
    await fc.assert(
      fc.asyncProperty(methods, unknownPath, async (method, path) => {
        const known = operations.some((op) => op.method === method && new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path));
        const normalised = URL.canParse(`http://x${path}`) ? new URL(`http://x${path}`).pathname : path; // /openapi.json/.. is /
        if (known || normalised === '/' || path === '/docs') return;
        const response = await stack.app.request(path, { method, headers: { authorization: `Bearer ${tokens.get('admin')}` } });
        const problem = await responseProblem({ html: false }, response);
        if (problem) throw new Error(`${method} ${path} → ${problem}`);
        expect([404, 405]).toContain(response.status);
      }),
      { numRuns: 60, seed: SEED },
    );
  });

  it('answers 401 on every signed-in route to a token without exp, a Cognito access token, and a clerk of an institution in another district', async () => {
    const accepted: string[] = [];
    for (const op of operations.filter((o) => !o.roles.includes('public') && o.roles.length > 0)) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? 'x'));
      for (const kind of REFUSED_SIGNED) {
        const response = await stack.app.request(path, {
          method: op.method,
          headers: { authorization: `Bearer ${tokens.get(kind)}`, 'content-type': 'application/json' },
          ...(op.method === 'GET' ? {} : { body: '{}' }),
        });
        if (response.status !== 401) accepted.push(`${op.method} ${op.path} ${kind} → ${response.status}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('writes nothing for a batch of requests every route must reject', async () => {
    const before = await countItems(stack.db);
    const writers = operations.filter((op) => op.method !== 'GET' && !op.roles.includes('public'));
    const rejected: string[] = [];
    for (const op of writers) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? 'x'));
      const admin = `Bearer ${tokens.get(op.roles.find((r) => r !== 'public') ?? 'admin')}`;
      const attempts: RequestInit[] = [
        { headers: {} },
        { headers: { authorization: `Bearer ${tokens.get('forged-none-alg')}` } },
        { headers: { authorization: `Bearer ${tokens.get('foreign-signer')}` } },
        ...REFUSED_SIGNED.map((kind) => ({ headers: { authorization: `Bearer ${tokens.get(kind)}` } })),
        { headers: { cookie: `gk_token=${admin.slice(7)}`, origin: 'https://evil.example' } },
        // a cookie with no evidence of coming from this site, or with a browser saying it does not
        { headers: { cookie: `gk_token=${admin.slice(7)}` } },
        { headers: { cookie: `gk_token=${admin.slice(7)}`, 'sec-fetch-site': 'cross-site' } },
        { headers: { cookie: `gk_token=${admin.slice(7)}`, origin: 'null' } },
      ];
      if (op.bodyTypes.includes('application/json')) {
        attempts.push(
          { headers: { authorization: admin, 'content-type': 'application/json' }, body: '{"unclosed": ' },
          { headers: { authorization: admin, 'content-type': 'application/json' }, body: '[]' },
          {
            headers: { authorization: admin, 'content-type': 'application/json' },
            body: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}',
          },
          { headers: { authorization: admin, 'content-type': 'application/json' }, body: JSON.stringify({ filler: 'x'.repeat(bodyLimitOf(op) + 1) }) },
        );
      }
      for (const init of attempts) {
        const response = await stack.app.request(path, { method: op.method, ...init });
        const problem = await responseProblem(op, response.clone());
        if (problem || response.status < 400) rejected.push(`${op.method} ${op.path} ${JSON.stringify(init.headers)} → ${response.status} ${problem ?? ''}`);
      }
    }
    expect(rejected).toEqual([]);
    expect(await countItems(stack.db)).toBe(before);
  });
});
