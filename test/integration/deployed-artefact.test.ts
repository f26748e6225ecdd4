/**
 * The deployed artefacts answer as the local server does. The stack is synthesized once with
 * its real bundles (infra/bundle.mjs, as `cdk deploy` builds them) and the configuration of a
 * Beijing deployment (an external OpenID Connect issuer); each function's bundle then runs in a
 * Node 22 process (the Lambda runtime's major version) with the environment the template gives
 * it, against DynamoDB Local, behind an API Gateway emulated from the template's routes and JWT
 * authorizer (test/support/deployed-api.ts). A sample of requests per function is sent to that
 * and to the local server (the same function apps in this process, same table and keys), and
 * the answers must be the same: status, body and the headers a client acts on. The only
 * differences allowed are the answers API Gateway gives itself: the authorizer's 401
 * `{"message":"Unauthorized"}` for a missing or bad bearer token (README, "Deployed answers").
 *
 * The evaluation state machine's definition, read from the template, is run over the runner's
 * bundle (test/support/state-machine-runner.ts) for the run the deployed evaluation function
 * started, and its results must equal an in-process run of the same inputs.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSignInApp, signInSettingsFromEnv } from '../../functions/sign-in/app.tsx';
import { batchPut } from '#shared/data/batch.ts';
import { ensureTable } from '#shared/data/create-table.ts';
import { createDb, type Db } from '#shared/data/db.ts';
import { getInstitution } from '#shared/data/institutions.ts';
import { writeMetricsVersion } from '#shared/data/metrics.ts';
import { aggregateItem } from '#shared/data/surveys.ts';
import type { Deps } from '#shared/deps.ts';
import { todayIso } from '#shared/domain/dates.ts';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { clerkInstitutionChecked, jwksVerifier } from '#shared/http/tokens.ts';
import { residentKeyer } from '#shared/security/resident-key.ts';
import { inProcessLauncher } from '#shared/services/evaluation/launch.ts';
import type { EvaluationTask } from '#shared/services/evaluation/tasks.ts';
import { createDevAuth } from '../../local/dev-auth.ts';
import { createLocalApp } from '../../local/server.ts';
import { synthesize, type Synthesized } from '../infra/support.ts';
import {
  type CfnResources,
  emulatedHttpApi,
  fakeAwsEndpoints,
  type FakeAws,
  gatewayRoutes,
  type HttpAnswer,
  type HttpRequest,
  localAnswer,
  resolveCfn,
} from '../support/deployed-api.ts';
import { type LambdaWorker, node22, startLambdaWorker } from '../support/lambda-workers.ts';
import { definitionOf, runDefinition, type TaskCall } from '../support/state-machine-runner.ts';
import { createTestDistrict, type TestDistrict, testIdentityNumber } from '../support/fixtures.ts';
import { TEST_PEPPER } from '../support/stack.ts';

const AUDIENCE = 'gatekeeper-web';
const D = 'art-d';
const OTHER = 'art-other';
const PERIOD = '2026Q3';
const STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:evaluation-test';
const RUNNER_PLACEHOLDER = 'arn:aws-cn:lambda:cn-north-1:000000000000:function:evaluation-runner';

const CRITERIA: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'htn',
      label: { zh: '高血压随访率', en: 'Hypertension follow-up rate' },
      weight: 60,
      source: { ratio: { numerator: 'htn-followup-done', denominator: 'htn-followup-due' } },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'threshold-linear', lower: 60, upper: 90, maxPoints: 10 },
    },
    {
      code: 'top-box',
      label: { zh: '非常满意占比', en: 'Very satisfied' },
      weight: 40,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      minN: 10,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
  ],
  gates: [{ kind: 'missing-upload', effect: 'void' }],
};

let aws: FakeAws;
let s: Synthesized;
let resources: CfnResources;
let db: Db;
let district: TestDistrict;
const workers = new Map<string, LambdaWorker>();
const idp = createDevAuth();
let deployed: (request: HttpRequest) => Promise<HttpAnswer>;
let local: (request: HttpRequest) => Promise<HttpAnswer>;
let signInLocal: (request: HttpRequest) => Promise<HttpAnswer>;
let runnerEnv: Record<string, string>;
const keyer = residentKeyer(TEST_PEPPER);
const resident = testIdentityNumber('1950-02-03', 7);

const token = (claims: Record<string, unknown>, lifetime?: number) => idp.issue({ iss: aws.url, aud: AUDIENCE, ...claims }, lifetime);
const tokens = {} as Record<'admin' | 'evaluator' | 'finance' | 'clerk' | 'resident' | 'foreignClerk' | 'mismatchedClerk' | 'otherFinance', string>;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const json = (t: string, body: unknown): Pick<HttpRequest, 'headers' | 'body'> => ({
  headers: { ...bearer(t), 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function functionId(name: string): string {
  return s.logicalId(name === 'evaluation-runner' ? s.stack.evaluationRunner.function : s.stack.functions.get(name)!.function);
}

function bundleDir(id: string): string {
  const code = resources[id]!.Properties!.Code as { S3Key: string };
  return join(s.assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
}

beforeAll(async () => {
  node22(); // fails with its explanation when the Node 22 package is missing, before anything slow
  aws = await fakeAwsEndpoints({ secretString: TEST_PEPPER.toString('hex') });
  aws.setKeys(idp.jwks);
  s = synthesize({ bundle: true, context: { stage: 'dev', oidcIssuer: aws.url, oidcAudience: AUDIENCE } });
  resources = s.template.toJSON().Resources as CfnResources;

  const endpoint = inject('dynamoDbEndpoint');
  const tableName = `artefact-${randomBytes(6).toString('hex')}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(client, tableName);
  client.destroy();
  db = createDb({ tableName, endpoint, region: 'local' });

  // the physical values CloudFormation would give the references the functions' environments hold
  const physical: Record<string, string> = {
    [s.logicalId(s.stack.table)]: tableName,
    [s.logicalId(s.stack.pepper)]: 'gatekeeper-identity-pepper',
    [s.logicalId(s.stack.reportsBucket)]: 'gatekeeper-reports-test',
    [s.logicalId(s.stack.evaluation.stateMachine)]: STATE_MACHINE_ARN,
  };
  const environmentOf = (id: string) =>
    Object.fromEntries(
      Object.entries((resources[id]!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables).map(([key, value]) => [
        key,
        resolveCfn(value, physical),
      ]),
    );
  const aroundLambda = (name: string) => ({
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'local',
    AWS_LAMBDA_FUNCTION_NAME: `Gatekeeper-dev-${name}`,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ENDPOINT_URL_SFN: aws.url,
    // the test residents carry the demo's fictional 99… numbers, which only a demo deployment accepts
    GATEKEEPER_DEMO: '1',
  });
  const names = [...s.stack.functions.keys(), 'evaluation-runner'];
  const started = await Promise.all(
    names.map((name) => startLambdaWorker(name, bundleDir(functionId(name)), { ...environmentOf(functionId(name)), ...aroundLambda(name) })),
  );
  for (const worker of started) workers.set(functionId(worker.name), worker);
  runnerEnv = environmentOf(functionId('evaluation-runner'));

  deployed = emulatedHttpApi({ routes: gatewayRoutes(resources, physical), workers, keys: () => idp.jwks });
  const deps: Deps = {
    db,
    verifyToken: clerkInstitutionChecked(
      jwksVerifier({ keys: idp.jwks, issuer: aws.url, audience: AUDIENCE }),
      async (id) => (await getInstitution(db, id))?.districtId ?? null,
    ),
    residentKeyer: async () => keyer,
    now: () => new Date(),
    launchEvaluation: inProcessLauncher(db, () => new Date()),
    demoIdentityNumbers: true,
  };
  const app = createLocalApp(deps, createDevAuth());
  local = (request) => localAnswer(app, request);
  const signIn = createSignInApp(deps, signInSettingsFromEnv(environmentOf(functionId('sign-in'))));
  signInLocal = (request) => localAnswer(signIn, request);

  // a small district: two institutions of three teams; the first uploads metrics; surveys for all
  district = await createTestDistrict(db, D, { institutions: 2, teamsPerInstitution: 3 });
  await createTestDistrict(db, OTHER);
  const teams = district.teams;
  await writeMetricsVersion(db, {
    districtId: D,
    institutionId: district.institutionIds[0]!,
    period: PERIOD,
    uploadedBy: 'clerk',
    uploadedAt: '2026-10-05T00:00:00.000Z',
    codes: ['htn-followup-due', 'htn-followup-done'],
    format: 'seed',
    catalogueVersion: 1,
    rows: teams.slice(0, 3).map((t, i) => ({ teamId: t.teamId, values: { 'htn-followup-due': 30, 'htn-followup-done': 18 + 4 * i } })),
  });
  await batchPut(
    db,
    teams.map((t, i) =>
      aggregateItem(
        { districtId: D, period: PERIOD, teamId: t.teamId, institutionId: t.institutionId },
        { n: 10 + i, 'q.overall.count': 10 + i, 'q.overall.top': 2 * i, 'q.overall.sum': (10 + i) * 4 },
      ),
    ),
  );
  Object.assign(tokens, {
    admin: await token({ role: 'admin', sub: 'admin-1' }),
    evaluator: await token({ role: 'evaluator', districtId: D, sub: 'evaluator-1' }),
    finance: await token({ role: 'finance', districtId: D, sub: 'finance-1' }),
    otherFinance: await token({ role: 'finance', districtId: OTHER, sub: 'finance-2' }),
    clerk: await token({ role: 'clerk', districtId: D, institutionId: district.institutionIds[0], sub: 'clerk-1' }),
    foreignClerk: await token({ role: 'clerk', districtId: OTHER, institutionId: `${OTHER}-inst-1`, sub: 'clerk-2' }),
    // signed by the issuer, so API Gateway lets it through; its institution is not in its district
    mismatchedClerk: await token({ role: 'clerk', districtId: OTHER, institutionId: district.institutionIds[0], sub: 'clerk-3' }),
    resident: await token({ role: 'resident', residentRef: keyer(resident), sub: 'resident-1' }),
  });
}, 170_000);

afterAll(async () => {
  for (const worker of workers.values()) worker.stop();
  await aws?.close();
  s?.cleanup();
});

/** What a client acts on: status, body and these headers. */
const COMPARED_HEADERS = ['content-type', 'location', 'cache-control', 'content-disposition', 'allow'];

function comparable(answer: HttpAnswer) {
  return {
    status: answer.status,
    headers: Object.fromEntries(COMPARED_HEADERS.filter((h) => answer.headers[h] !== undefined).map((h) => [h, answer.headers[h]])),
    setCookies: answer.setCookies,
    body: answer.body.toString('utf8'),
  };
}

async function expectSameAnswer(request: HttpRequest, expectedStatus: number): Promise<HttpAnswer> {
  const [fromDeployed, fromLocal] = await Promise.all([deployed(request), local(request)]);
  const label = `${request.method} ${request.url}`;
  expect(fromDeployed.answeredBy, label).not.toBe('api-gateway');
  expect(comparable(fromDeployed), label).toEqual(comparable(fromLocal));
  expect(fromDeployed.status, `${label}: ${fromDeployed.body.toString('utf8').slice(0, 300)}`).toBe(expectedStatus);
  return fromDeployed;
}

/** API Gateway answers itself: the authorizer's 401; the local server answers 401 problem+json. */
async function expectAuthorizer401(request: HttpRequest): Promise<void> {
  const [fromDeployed, fromLocal] = await Promise.all([deployed(request), local(request)]);
  expect(fromDeployed.answeredBy).toBe('api-gateway');
  expect(comparable(fromDeployed)).toEqual({
    status: 401,
    headers: { 'content-type': 'application/json' },
    setCookies: [],
    body: '{"message":"Unauthorized"}',
  });
  expect(fromLocal.status).toBe(401);
  expect(fromLocal.headers['content-type']).toContain('application/problem+json');
}

describe('the bundles', () => {
  it('run on Node 22, the Lambda runtime', () => {
    expect(workers.size).toBe(s.stack.functions.size + 1);
    for (const worker of workers.values()) expect(worker.nodeVersion, worker.name).toMatch(/^v22\./);
  });
});

describe('answers deployed and local, per function', () => {
  it('registry: health (also HEAD), scope, validation, and unknown routes through $default', async () => {
    await expectSameAnswer({ method: 'GET', url: '/health' }, 200);
    await expectSameAnswer({ method: 'HEAD', url: '/health' }, 200);
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/institutions`, headers: bearer(tokens.evaluator) }, 200);
    await expectSameAnswer({ method: 'HEAD', url: `/districts/${D}/institutions`, headers: bearer(tokens.evaluator) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}`, headers: bearer(tokens.foreignClerk) }, 403);
    await expectSameAnswer({ method: 'GET', url: `/teams/${district.teams[0]!.teamId}`, headers: bearer(tokens.clerk) }, 200);
    await expectSameAnswer({ method: 'POST', url: '/districts', ...json(tokens.admin, { districtId: 'Not An Id' }) }, 400);
    // a clerk whose institution is not in the district the token names: refused by the function itself
    await expectSameAnswer({ method: 'GET', url: `/teams/${district.teams[0]!.teamId}`, headers: bearer(tokens.mismatchedClerk) }, 401);
    await expectSameAnswer({ method: 'GET', url: '/no/such/route' }, 404);
    await expectSameAnswer({ method: 'DELETE', url: '/health' }, 404);
    await expectSameAnswer({ method: 'GET', url: '/districts/' }, 404);
  });

  it('registry: the answers API Gateway gives itself', async () => {
    await expectAuthorizer401({ method: 'GET', url: '/districts' });
    await expectAuthorizer401({ method: 'GET', url: '/districts', headers: bearer('not-a-token') });
    await expectAuthorizer401({ method: 'GET', url: '/districts', headers: bearer(await token({ role: 'admin', aud: 'another-client' })) });
    await expectAuthorizer401({ method: 'GET', url: '/districts', headers: bearer(await token({ role: 'admin' }, -60)) });
  });

  it('contracts: signing (the pepper from Secrets Manager), reading back, refusals', async () => {
    const body = { teamId: district.teams[0]!.teamId, identityNumber: resident, insured: true, keyPopulations: ['hypertension'], startDate: todayIso() };
    const created = await deployed({ method: 'POST', url: '/contracts', ...json(tokens.clerk, body) });
    expect(created.status, created.body.toString()).toBe(201);
    expect(aws.secretReads).toContain('gatekeeper-identity-pepper');
    const { contractId } = JSON.parse(created.body.toString()) as { contractId: string };
    await expectSameAnswer({ method: 'GET', url: `/contracts/${contractId}`, headers: bearer(tokens.clerk) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/contracts/${contractId}`, headers: bearer(tokens.foreignClerk) }, 404);
    await expectSameAnswer({ method: 'GET', url: `/teams/${district.teams[0]!.teamId}/contracts`, headers: bearer(tokens.clerk) }, 200);
    // the same resident again: refused the same way (the identity number hashed with the same pepper)
    await expectSameAnswer({ method: 'POST', url: '/contracts', ...json(tokens.clerk, body) }, 409);
    await expectSameAnswer({ method: 'POST', url: '/contracts', ...json(tokens.clerk, { ...body, identityNumber: '110101199001011234' }) }, 400);
  });

  it('resident: their contract and survey, invitation links', async () => {
    await expectSameAnswer({ method: 'GET', url: '/me/contract', headers: bearer(tokens.resident) }, 200);
    await expectSameAnswer({ method: 'GET', url: '/me/survey', headers: bearer(tokens.resident) }, 200);
    await expectSameAnswer({ method: 'GET', url: '/me/contract', headers: bearer(tokens.clerk) }, 403);
    await expectSameAnswer({ method: 'GET', url: '/s/no-such-invitation-token-000000' }, 404);
  });

  it('surveys: instrument and results', async () => {
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/survey-instrument`, headers: bearer(tokens.evaluator) }, 200);
    await expectSameAnswer(
      { method: 'GET', url: `/teams/${district.teams[0]!.teamId}/survey-results?period=${PERIOD}`, headers: bearer(tokens.evaluator) },
      200,
    );
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/survey-instrument`, headers: bearer(tokens.otherFinance) }, 403);
  });

  it('institution-data: definitions, uploads and period status', async () => {
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/metric-definitions`, headers: bearer(tokens.clerk) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/institutions/${district.institutionIds[0]}/metrics/${PERIOD}`, headers: bearer(tokens.clerk) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/institutions/${district.institutionIds[1]}/metrics/${PERIOD}`, headers: bearer(tokens.clerk) }, 404);
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/periods/${PERIOD}/status`, headers: bearer(tokens.evaluator) }, 200);
  });

  it('finance: settings, settlements and the cookie-authenticated pages', async () => {
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/finance-settings`, headers: bearer(tokens.finance) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/settlements`, headers: bearer(tokens.finance) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/settlements`, headers: bearer(tokens.otherFinance) }, 403);
    await expectSameAnswer({ method: 'GET', url: `/finance/districts/${D}/settlements`, headers: { cookie: `gk_token=${tokens.finance}` } }, 200);
    await expectSameAnswer({ method: 'GET', url: `/finance/districts/${D}/settlements` }, 401);
  });

  it('reports: unknown settlements and jobs, API and pages', async () => {
    await expectSameAnswer({ method: 'GET', url: '/settlements/no-such-settlement/report.csv', headers: bearer(tokens.finance) }, 404);
    await expectSameAnswer({ method: 'GET', url: '/report-jobs/rpt-nosuchjob', headers: bearer(tokens.finance) }, 404);
    await expectSameAnswer({ method: 'GET', url: '/finance/report-jobs/rpt-nosuchjob', headers: { cookie: `gk_token=${tokens.finance}` } }, 404);
    await expectSameAnswer({ method: 'GET', url: '/settlements/no-such-settlement/report.csv', headers: bearer(tokens.clerk) }, 403);
  });

  it('evaluation: criteria through the API and the pages', async () => {
    const created = await deployed({
      method: 'POST',
      url: `/districts/${D}/criteria`,
      ...json(tokens.evaluator, { name: '部署测试', periodType: 'quarter', document: CRITERIA }),
    });
    expect(created.status, created.body.toString()).toBe(201);
    const { version } = JSON.parse(created.body.toString()) as { version: number };
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/criteria`, headers: bearer(tokens.evaluator) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/districts/${D}/criteria/${version}`, headers: bearer(tokens.evaluator) }, 200);
    await expectSameAnswer({ method: 'GET', url: `/evaluator/districts/${D}/criteria`, headers: { cookie: `gk_token=${tokens.evaluator}` } }, 200);
    await expectSameAnswer(
      { method: 'POST', url: `/districts/${D}/evaluations`, ...json(tokens.evaluator, { period: PERIOD, criteriaVersion: version }) },
      422,
    );
  });

  it("sign-in: to the issuer's endpoints from its discovery document, as the same app in process", async () => {
    const login = { method: 'GET', url: '/login?next=%2Ffinance%2Fdistricts%2Fart-d%2Fsettlements' };
    const [fromDeployed, fromLocal] = await Promise.all([deployed(login), signInLocal(login)]);
    expect(fromDeployed.status).toBe(302);
    // state and PKCE verifier are random per sign-in: compare everything else
    const normalise = (answer: HttpAnswer) => {
      const location = new URL(answer.headers.location!);
      for (const random of ['state', 'code_challenge']) location.searchParams.set(random, '…');
      return { status: answer.status, location: location.toString(), cookies: answer.setCookies.map((c) => c.replace(/=[^;]*/, '=…')) };
    };
    expect(normalise(fromDeployed)).toEqual(normalise(fromLocal));
    expect(fromDeployed.headers.location).toMatch(new RegExp(`^${aws.url}/authorize\\?`));
    for (const request of [
      { method: 'POST', url: '/logout' },
      { method: 'GET', url: '/auth/callback?code=x&state=y' },
    ]) {
      const [a, b] = await Promise.all([deployed(request), signInLocal(request)]);
      expect(a.answeredBy).toBe('sign-in');
      expect(comparable(a), request.url).toEqual(comparable(b));
    }
  });
});

describe('the evaluation state machine over the deployed runner', () => {
  const TASKS = new Set(['plan', 'values', 'statistics', 'scores', 'ranking', 'fail']);

  /** The runner's input type (shared/services/evaluation/tasks.ts EvaluationTask), checked on every payload the definition builds. */
  function asEvaluationTask(payload: unknown): EvaluationTask {
    const p = payload as Record<string, unknown>;
    expect(Object.keys(p).sort()).toEqual(p.task === 'values' || p.task === 'scores' ? ['batch', 'evaluationId', 'task'] : ['evaluationId', 'task']);
    expect(TASKS.has(p.task as string), String(p.task)).toBe(true);
    expect(typeof p.evaluationId).toBe('string');
    if ('batch' in p) expect(Number.isInteger(p.batch)).toBe(true);
    return p as EvaluationTask;
  }

  it('runs the run the deployed evaluation function started, phase by phase, with the results of an in-process run', async () => {
    const published = await (async () => {
      const created = await deployed({
        method: 'POST',
        url: `/districts/${D}/criteria`,
        ...json(tokens.evaluator, { name: '评估', periodType: 'quarter', document: CRITERIA }),
      });
      const { version } = JSON.parse(created.body.toString()) as { version: number };
      const publish = await deployed({ method: 'POST', url: `/districts/${D}/criteria/${version}/publish`, ...json(tokens.evaluator, {}) });
      expect(publish.status, publish.body.toString()).toBe(200);
      return version;
    })();
    const start = { method: 'POST', url: `/districts/${D}/evaluations`, ...json(tokens.evaluator, { period: PERIOD, criteriaVersion: published }) };

    // deployed: the evaluation function starts an execution named after the run
    const startedDeployed = await deployed(start);
    expect(startedDeployed.status, startedDeployed.body.toString()).toBe(202);
    const deployedRun = (JSON.parse(startedDeployed.body.toString()) as { evaluationId: string }).evaluationId;
    const execution = aws.executions.find((e) => e.name === deployedRun)!;
    expect(execution).toEqual({ stateMachineArn: STATE_MACHINE_ARN, name: deployedRun, input: { evaluationId: deployedRun } });

    // Step Functions: the template's definition, each task an invocation of the runner's bundle
    const stateMachineId = s.logicalId(s.stack.evaluation.stateMachine);
    const runnerId = functionId('evaluation-runner');
    const definition = definitionOf(resources[stateMachineId]!.Properties!.DefinitionString, (reference) => {
      if (JSON.stringify(reference) === JSON.stringify({ Ref: 'AWS::Partition' })) return 'aws-cn';
      expect(reference).toEqual({ 'Fn::GetAtt': [runnerId, 'Arn'] });
      return RUNNER_PLACEHOLDER;
    });
    expect(runnerEnv.TABLE_NAME).toBe(db.tableName);
    const calls: TaskCall[] = [];
    const output = await runDefinition(
      definition,
      execution.input,
      async (functionName, payload) => {
        expect(functionName).toBe(RUNNER_PLACEHOLDER);
        return workers.get(runnerId)!.invoke(asEvaluationTask(payload));
      },
      calls,
    );
    expect(calls.map((c) => `${c.state}:${(c.payload as { task: string }).task}`)).toEqual([
      'Plan:plan',
      'ValuesBatch:values',
      'Statistics:statistics',
      'ScoresBatch:scores',
      'Ranking:ranking',
    ]);
    expect(output).toEqual({ evaluationId: deployedRun, batches: [{ evaluationId: deployedRun, batch: 0 }] });

    // local: the same request, run in this process; the deployed run's results are now official, so this rerun gives a reason
    const startedLocal = await local({
      ...start,
      ...json(tokens.evaluator, { period: PERIOD, criteriaVersion: published, reason: 'the same run in process, to compare with the deployed one' }),
    });
    expect(startedLocal.status, startedLocal.body.toString()).toBe(202);
    const localRun = (JSON.parse(startedLocal.body.toString()) as { evaluationId: string }).evaluationId;
    let localStatus = '';
    for (let i = 0; i < 200 && localStatus !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      localStatus = (
        JSON.parse((await local({ method: 'GET', url: `/evaluations/${localRun}`, headers: bearer(tokens.evaluator) })).body.toString()) as { status: string }
      ).status;
    }
    expect(localStatus).toBe('completed');

    const runOf = async (id: string) =>
      JSON.parse((await deployed({ method: 'GET', url: `/evaluations/${id}`, headers: bearer(tokens.evaluator) })).body.toString()) as Record<string, unknown>;
    const [a, b] = [await runOf(deployedRun), await runOf(localRun)];
    expect(a.status).toBe('completed');
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(b.reason).toBe('the same run in process, to compare with the deployed one');
    const strip = ({ evaluationId: _e, createdAt: _c, completedAt: _d, reason: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(a)).toEqual(strip(b));
    const scoresOf = async (id: string) => {
      const body = JSON.parse(
        (await deployed({ method: 'GET', url: `/evaluations/${id}/scores?limit=100`, headers: bearer(tokens.evaluator) })).body.toString(),
      ) as { items: Record<string, unknown>[] };
      return body.items.map(({ evaluationId: _e, ...rest }) => rest);
    };
    const [deployedScores, localScores] = [await scoresOf(deployedRun), await scoresOf(localRun)];
    expect(deployedScores).toHaveLength(district.teams.length);
    expect(deployedScores).toEqual(localScores);
  });
});
