/**
 * What each function may do, derived from the code it runs: the HTTP functions of
 * functions/catalog.ts (their routes) and the TASK_FUNCTIONS below (Step Functions tasks).
 * The stack turns this into explicit IAM statements; a function missing here fails synth.
 * Add an action when the code starts using it, in the same change.
 *
 * DynamoDB transactions (TransactWriteItems / TransactGetItems) have no IAM action of their
 * own: each Put / Update / Delete / ConditionCheck inside is authorised as PutItem /
 * UpdateItem / DeleteItem / ConditionCheckItem. Scan is not in the type: no request path
 * lists with Scan (docs style guide, rule 5).
 */

export const DYNAMODB_ACTIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'ConditionCheckItem',
  'DescribeTable',
] as const;
export type DynamoDbAction = (typeof DYNAMODB_ACTIONS)[number];

/**
 * Lambdas that are not HTTP functions, so not in functions/catalog.ts: functions/<name>/lambda.ts
 * invoked by the evaluation state machine and its failure rule (infra/evaluation-state-machine.ts)
 * or by the period-close schedule (infra/period-close-schedule.ts), never by the API.
 */
export const TASK_FUNCTIONS = ['evaluation-runner', 'period-close'] as const;

/**
 * AWS SDK clients functions/lambda-deps.ts imports lazily, by the capability that reaches them.
 * A function without the capability cannot reach the import, so its bundle leaves the client out.
 */
export const LAZY_CLIENTS = {
  pepper: '@aws-sdk/client-secrets-manager',
  /** deps.launchEvaluation */
  evaluation: '@aws-sdk/client-sfn',
  /** shared/services/reports/runner-lambda.ts, settlements-job-runners.ts: report and settlement jobs run in an invocation of their own */
  selfInvoke: '@aws-sdk/client-lambda',
} as const;

/** Actions that also apply to the table's global secondary indexes (`${tableArn}/index/...`). */
export const INDEX_ACTIONS: readonly DynamoDbAction[] = ['Query'];

export interface FunctionPermissions {
  /** on the table (and, for INDEX_ACTIONS, its indexes) */
  dynamodb: readonly DynamoDbAction[];
  /** may read the identity-number pepper: only functions that hash identity numbers */
  readsPepper?: boolean;
  /** access to the reports bucket; REPORTS_BUCKET is set only for these functions */
  reportsBucket?: 'read' | 'write' | 'read-write';
  /**
   * calls deps.launchEvaluation: gets EVALUATION_STATE_MACHINE_ARN and states:StartExecution on
   * the evaluation state machine (and nothing else of Step Functions).
   */
  startsEvaluations?: boolean;
  /**
   * runs work in asynchronous invocations of itself (report jobs, settlement jobs): gets an explicit function
   * name, passed in REPORT_JOBS_FUNCTION, lambda:InvokeFunction on its own ARN (and no other
   * function's), and the job timeout (REPORT_JOB_TIMEOUT in infra/gatekeeper-stack.ts).
   */
  invokesItself?: boolean;
  /**
   * invites users (functions/registry/user-directory.ts): with a Cognito user pool in the stack, gets
   * USER_POOL_ID and cognito-idp:AdminCreateUser / AdminAddUserToGroup on that pool only; with an
   * external OIDC issuer, IDENTITY_PROVIDER=oidc and no Cognito grant (accounts are managed there).
   */
  invitesUsers?: boolean;
}

/** The packages a function's bundle leaves out: the lazily imported clients it has no grant for. */
export function unusedModules(granted: FunctionPermissions): string[] {
  return [
    ...(granted.readsPepper ? [] : [LAZY_CLIENTS.pepper]),
    ...(granted.startsEvaluations ? [] : [LAZY_CLIENTS.evaluation]),
    ...(granted.invokesItself ? [] : [LAZY_CLIENTS.selfInvoke]),
  ];
}

export const functionPermissions: Record<string, FunctionPermissions> = {
  /**
   * shared/data/{districts,institutions,teams}.ts: get*, create* (a transaction of the conditional
   * Put and its audit log Put; a team's with a ConditionCheck on its district's cap), list* (Query
   * on gsi1/gsi2), district settings (a transaction of the conditional UpdateItem and its audit log
   * Put), the audit log (Query); GET /health reads one fixed key (GetItem); user invitations.
   */
  registry: {
    dynamodb: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query'],
    invitesUsers: true,
  },
  /**
   * shared/data/contracts.ts: sign = transaction of Put (contract, current-contract item) +
   * Update (team counters) + ConditionChecks on what the checks read (e.g. the published packages);
   * renew and cancel = Updates with ConditionChecks (the current-contract item is never deleted),
   * and the end-schedule entry moved (Put + Delete); getContract / getTeam / requireDistrict =
   * GetItem; team listing = Query on gsi1.
   * POST /contracts hashes the identity number (shared/http/identity.ts), so it reads the pepper.
   */
  contracts: {
    dynamodb: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
    readsPepper: true,
  },
  /**
   * GET /me/contract, GET /me/survey, GET /s/{token}: current contract, team, instrument,
   * invitation and response marker, all GetItem. POST /surveys and POST /s/{token} record a
   * response in one transaction: Put (marker, answers) + Update (team aggregate, invitation) +
   * ConditionCheck (the current-contract item still names the contract read).
   * The residentRef comes from the token or the invitation: no hashing, no pepper.
   */
  resident: {
    dynamodb: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
  },
  /**
   * shared/data/surveys.ts and shared/services/survey-*.ts: instrument get / publish
   * (transaction of two Puts), invitations drawn per team (Query on gsi2 and gsi1 for teams
   * and contracts, BatchWriteItem for the invitations), results (GetItem), reconcile (Query
   * over aggregates and answers, PutItem to overwrite a drifted aggregate).
   */
  surveys: {
    dynamodb: ['GetItem', 'PutItem', 'Query', 'BatchWriteItem'],
  },
  /**
   * shared/data/metrics.ts (versioned uploads: transaction of Puts guarded by a ConditionCheck
   * on the period status in shared/data/period-status.ts, which also Updates it on close /
   * reopen), metric-catalogue.ts (PutItem), idempotency.ts (Put / Update / Delete of the
   * Idempotency-Key record), batch.ts (BatchWriteItem), listings by Query.
   */
  'institution-data': {
    dynamodb: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'BatchWriteItem'],
  },
  /**
   * shared/data/criteria.ts (create: conditional Put; save / publish: conditional Update),
   * evaluations.ts (runs: Put, Get; scorecards and the rank items joined into them: Get, Query), and the reads a preview needs:
   * districts, metric catalogue, survey instrument (GetItem), metrics (Query), the teams' survey
   * aggregates (BatchGetItem, shared/services/evaluation/facts.ts).
   * POST /districts/{districtId}/evaluations starts a Step Functions run. The period lifecycle
   * (publish, appeals and their decisions: conditional Updates with ConditionChecks on the period)
   * and an accepted appeal's corrected metric version (its rows written with BatchWriteItem).
   */
  evaluation: {
    dynamodb: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'BatchWriteItem'],
    startsEvaluations: true,
  },
  /**
   * Settlements and finance settings: drafts, recompute, approval and close as transactions of
   * Puts and Updates, lines written with BatchWriteItem, reads by GetItem and Query (settlements,
   * lines, audit, the evaluation run and the scorecards and ranks they settle). Report files are the reports
   * function's. Payees: a proposal is a Put, its approval a transaction that Deletes the proposal;
   * account numbers are encrypted under a key derived from the pepper, so it reads the pepper.
   * Previews, creations and recomputes are settlement jobs (shared/data/settlement-jobs.ts: Put, Get,
   * Update) the function runs by invoking itself asynchronously (InvokeCommand, shared/services/settlements-job-runners.ts).
   */
  finance: {
    dynamodb: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    readsPepper: true,
    invokesItself: true,
  },
  /**
   * The evaluation state machine's tasks (shared/services/evaluation/tasks.ts, phases.ts): GetItem
   * for the run, the criteria version, metric upload pointers and versions, survey aggregates
   * (BatchGetItem); Query for the district's teams (gsi2), the institutions' contracts (gsi3), metric
   * rows, the statistics, a batch's or every batch's team values and the batches' totals; BatchWriteItem
   * for values, statistics, scorecards, batch totals and ranks (whole items keyed by team or batch, so
   * a redriven batch rewrites them); UpdateItem for the run's
   * phase, status and once-only batch bookkeeping. No PutItem: the evaluation function creates
   * the run before it starts the execution.
   */
  /**
   * Settlement reports (shared/services/reports, shared/data/report-jobs.ts): reads the
   * settlement, its lines and the evaluation (GetItem, Query); report job records are put and
   * updated with their progress. Report files go to the reports bucket (PutObject and multipart
   * upload, AbortMultipartUpload on failure, GetObject for the presigned download links). A large
   * report is a job the function runs by invoking itself asynchronously (InvokeCommand). The
   * payment file decrypts payees' account numbers (a key derived from the pepper). Appeal
   * attachments (shared/services/appeal-attachments.ts): the appeal is read (GetItem) and the file's
   * entry appended with a conditional UpdateItem; the file goes to the same bucket under appeals/.
   */
  reports: {
    dynamodb: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
    readsPepper: true,
    reportsBucket: 'read-write',
    invokesItself: true,
  },
  /** a run that completes becomes the period's official run: that transition writes its audit log entry (PutItem) */
  'evaluation-runner': {
    dynamodb: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'BatchWriteItem', 'PutItem'],
  },
  /** functions/sign-in: Cognito's token endpoint over HTTPS and the JWKS; never the table. */
  'sign-in': {
    dynamodb: [],
  },
  /**
   * shared/services/evaluation/period-close.ts: lists districts, each district's criteria and runs
   * and counts its teams (Query, gsi1 / gsi2); reads the criteria version and, after a lost race,
   * the run (GetItem); creates the run record (conditional PutItem) and starts its execution.
   * The period record's lifecycle state is moved with a conditional UpdateItem (shared/data/period-status.ts).
   * The daily contract step (shared/data/contracts.ts, endContract) is a transaction of UpdateItem
   * (contract, team counter) and DeleteItem (the end-schedule entry).
   */
  'period-close': {
    dynamodb: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
    startsEvaluations: true,
  },
};

/** The permissions of every function named, or an error naming the ones missing / unknown. */
export function permissionsFor(
  functionNames: readonly string[],
  permissions: Record<string, FunctionPermissions> = functionPermissions,
): Map<string, FunctionPermissions> {
  const missing = functionNames.filter((name) => !Object.hasOwn(permissions, name));
  if (missing.length > 0) {
    throw new Error(
      `infra/function-permissions.ts has no entry for function(s) ${missing.join(', ')}: ` +
        'add the DynamoDB actions their code sends (`npx vitest run --project infra test/infra/function-permissions.test.ts` lists them).',
    );
  }
  const unknown = Object.keys(permissions).filter((name) => !functionNames.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `infra/function-permissions.ts lists ${unknown.join(', ')}, which neither functions/catalog.ts nor TASK_FUNCTIONS does: remove the stale entry.`,
    );
  }
  const result = new Map<string, FunctionPermissions>();
  for (const name of functionNames) {
    const entry = permissions[name]!;
    const invalid = entry.dynamodb.filter((action) => !(DYNAMODB_ACTIONS as readonly string[]).includes(action));
    if (invalid.length > 0) throw new Error(`Function ${name}: DynamoDB action(s) not allowed here: ${invalid.join(', ')}`);
    if (new Set(entry.dynamodb).size !== entry.dynamodb.length) throw new Error(`Function ${name}: duplicate DynamoDB actions`);
    result.set(name, entry);
  }
  return result;
}
