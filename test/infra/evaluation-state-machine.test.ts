/**
 * The evaluation state machine (infra/evaluation-state-machine.ts) and what connects to it, read
 * from the dev template (synthesized once, without bundles). The definition is parsed from the
 * DefinitionString, an Fn::Join whose tokens (ARNs, the partition) become placeholders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCatalog } from '../../functions/catalog.ts';
import { BATCH_PHASES, EVALUATION_MAP_MAX_CONCURRENCY, EVALUATION_TIMEOUT, TASK_RETRIES, UNSUCCESSFUL_STATUSES } from '../../infra/evaluation-state-machine.ts';
import { functionPermissions, INDEX_ACTIONS } from '../../infra/function-permissions.ts';
import { HOUSE_DEFAULTS } from '../../infra/house-function.ts';
import { asArray, type CfnResource, resourcesOf, type Statement, type Synthesized, statementsOfRole, synthesize } from './support.ts';

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; JitterStrategy?: string }[];
  Catch?: unknown[];
  ResultPath?: string | null;
  ResultSelector?: Record<string, string>;
  ItemsPath?: string;
  MaxConcurrency?: number;
  Label?: string;
  ItemProcessor?: { ProcessorConfig?: { Mode?: string; ExecutionType?: string }; StartAt: string; States: Record<string, AslState> };
}
interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

let s: Synthesized;
let stateMachine: CfnResource;
let definition: Asl;
/** placeholder → the CloudFormation token it stands for */
let tokens: Map<string, unknown>;

/** Fn::Join ['', parts] → the JSON text, each token replaced by `__token<i>__` (tokens always sit inside JSON strings). */
function parseDefinition(definitionString: unknown): { asl: Asl; tokens: Map<string, unknown> } {
  const found = new Map<string, unknown>();
  const join = (definitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  expect(join[0]).toBe('');
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const placeholder = `__token${found.size}__`;
      found.set(placeholder, part);
      return placeholder;
    })
    .join('');
  return { asl: JSON.parse(text) as Asl, tokens: found };
}

/** Every state, including the ones inside Map item processors. */
function allStates(asl: { States: Record<string, AslState> }): [string, AslState][] {
  return Object.entries(asl.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

const runnerArn = () => ({ 'Fn::GetAtt': [s.logicalId(s.stack.evaluationRunner.function), 'Arn'] });
const stateMachineRef = () => ({ Ref: s.logicalId(s.stack.evaluation.stateMachine) });

beforeAll(() => {
  s = synthesize();
  const machines = Object.values(resourcesOf(s.template, 'AWS::StepFunctions::StateMachine'));
  expect(machines).toHaveLength(1);
  stateMachine = machines[0]!;
  ({ asl: definition, tokens } = parseDefinition(stateMachine.Properties!.DefinitionString));
}, 120_000);

afterAll(() => s?.cleanup());

describe('evaluation state machine', () => {
  it('is a Standard state machine (redrivable) that runs plan → values → statistics → scores → ranking', () => {
    expect(stateMachine.Properties!.StateMachineType).toBe('STANDARD');
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name; name = definition.States[name]!.Next) order.push(name);
    expect(order).toEqual(['Plan', 'Values', 'Statistics', 'Scores', 'Ranking']);
    expect(definition.States.Ranking!.End).toBe(true);
    expect(definition.TimeoutSeconds).toBe(EVALUATION_TIMEOUT.toSeconds());
  });

  it("passes the plan's batches on: `{ evaluationId, batches }` is the input of both Maps", () => {
    expect(definition.States.Plan!.Parameters!.Payload).toEqual({ task: 'plan', 'evaluationId.$': '$.evaluationId' });
    expect(definition.States.Plan!.ResultSelector).toEqual({ 'evaluationId.$': '$.Payload.evaluationId', 'batches.$': '$.Payload.batches' });
    expect(definition.States.Plan!.ResultPath).toBe('$');
    for (const name of ['Values', 'Statistics', 'Scores', 'Ranking']) expect(definition.States[name]!.ResultPath, name).toBeNull();
  });

  it('runs values and scores as Distributed Maps over $.batches with bounded concurrency', () => {
    expect(EVALUATION_MAP_MAX_CONCURRENCY).toBe(10);
    for (const [name, phase] of [
      ['Values', 'values'],
      ['Scores', 'scores'],
    ] as const) {
      const map = definition.States[name]!;
      expect(map.Type, name).toBe('Map');
      expect(map.ItemProcessor!.ProcessorConfig, name).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
      expect(map.ItemsPath, name).toBe('$.batches');
      expect(map.MaxConcurrency, name).toBe(EVALUATION_MAP_MAX_CONCURRENCY);
      expect(map.Label, name).toBe(phase);
      expect(BATCH_PHASES).toContain(phase);
      const batchStates = Object.values(map.ItemProcessor!.States);
      expect(batchStates, name).toHaveLength(1);
      expect(batchStates[0]!.Parameters!.Payload, name).toEqual({ task: phase, 'evaluationId.$': '$.evaluationId', 'batch.$': '$.batch' });
      // each child returns its small input, not the Lambda response: the Map's results stay small
      expect(batchStates[0]!.ResultPath, name).toBeNull();
    }
  });

  it('invokes the evaluation runner in every task, naming the task', () => {
    const taskStates = allStates(definition).filter(([, state]) => state.Type === 'Task');
    expect(taskStates.map(([name]) => name).sort()).toEqual(['Plan', 'Ranking', 'ScoresBatch', 'Statistics', 'ValuesBatch']);
    for (const [name, state] of taskStates) {
      expect(state.Resource, name).toMatch(/^arn:__token\d+__:states:::lambda:invoke$/);
      expect(tokens.get(state.Parameters!.FunctionName!), name).toEqual(runnerArn());
      expect(['plan', 'values', 'statistics', 'scores', 'ranking'], name).toContain(state.Parameters!.Payload!.task);
    }
  });

  it('retries every task with exponential backoff: Lambda service errors and throttling, then any task failure', () => {
    const taskStates = allStates(definition).filter(([, state]) => state.Type === 'Task');
    expect(taskStates.length).toBe(5);
    for (const [name, state] of taskStates) {
      const retry = state.Retry ?? [];
      expect(retry, name).toHaveLength(TASK_RETRIES.length);
      expect(retry[0]!.ErrorEquals, name).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']));
      expect(retry.at(-1)!.ErrorEquals, name).toEqual(['States.TaskFailed']);
      for (const r of retry) {
        expect(r.BackoffRate, name).toBeGreaterThan(1);
        expect(r.IntervalSeconds, name).toBeGreaterThan(0);
        expect(r.MaxAttempts, name).toBeGreaterThanOrEqual(3);
        expect(r.JitterStrategy, name).toBe('FULL');
      }
    }
  });

  it('catches nothing: a failure stops the execution at the failing state, where a redrive resumes', () => {
    for (const [name, state] of allStates(definition)) {
      expect(state.Catch, name).toBeUndefined();
      expect(state.Type, name).not.toBe('Fail');
    }
  });

  it('logs every event with execution data to its own log group, without X-Ray', () => {
    const logGroupId = s.logicalId(s.stack.evaluation.logGroup);
    expect(stateMachine.Properties!.LoggingConfiguration).toEqual({
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      IncludeExecutionData: true,
      Level: 'ALL',
    });
    expect(stateMachine.Properties!.TracingConfiguration).toBeUndefined();
    const logGroup = resourcesOf(s.template, 'AWS::Logs::LogGroup')[logGroupId]!;
    expect(logGroup.Properties!.RetentionInDays).toBe(HOUSE_DEFAULTS.logRetention);
    // a new name for every stack creation: the stack id's UUID, so a log group kept from a failed attempt never collides
    expect(logGroup.Properties!.LogGroupName).toEqual({
      'Fn::Join': ['', ['/aws/vendedlogs/states/gatekeeper-dev-evaluation-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]],
    });
  });
});

describe('failed executions', () => {
  it('run the fail task with the run id (the execution name) when an execution fails, times out or is aborted', () => {
    const rules = Object.values(resourcesOf(s.template, 'AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    const rule = rules[0]!.Properties!;
    expect(rule.State).toBe('ENABLED');
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [stateMachineRef()], status: [...UNSUCCESSFUL_STATUSES] },
    });
    expect(UNSUCCESSFUL_STATUSES).toEqual(['FAILED', 'TIMED_OUT', 'ABORTED']);
    const [target] = rule.Targets as {
      Arn: unknown;
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
      RetryPolicy: unknown;
    }[];
    expect(target!.Arn).toEqual(runnerArn());
    const { InputPathsMap: paths, InputTemplate: template } = target!.InputTransformer;
    // what the runner receives for a failed execution named eval-1: EventBridge puts a value in
    // value position as JSON, and inside a string as text
    const sample: Record<string, string> = { '$.detail.name': 'eval-1', '$.detail.status': 'FAILED', '$.detail.error': 'States.TaskFailed' };
    const event = template.replace(/(:?)<([\w-]+)>/g, (_match, colon: string, variable: string) => {
      const value = sample[paths[variable]!]!;
      return colon ? `${colon}${JSON.stringify(value)}` : value;
    });
    expect(JSON.parse(event)).toEqual({ task: 'fail', evaluationId: 'eval-1', error: 'Step Functions execution FAILED: States.TaskFailed' });
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: runnerArn(),
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Object.keys(resourcesOf(s.template, 'AWS::Events::Rule'))[0], 'Arn'] },
    });
  });

  it('alarm on failed and on timed-out executions, to the alarm topic', () => {
    const topic = { Ref: s.logicalId(s.stack.monitoring.topic) };
    for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      const alarms = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm')).filter((a) => a.Properties!.MetricName === metricName);
      expect(alarms, metricName).toHaveLength(1);
      const alarm = alarms[0]!.Properties!;
      expect(alarm.Namespace, metricName).toBe('AWS/States');
      expect(alarm.Dimensions, metricName).toEqual([{ Name: 'StateMachineArn', Value: stateMachineRef() }]);
      expect(alarm.Threshold, metricName).toBe(1);
      expect(alarm.ComparisonOperator, metricName).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.AlarmActions, metricName).toEqual([topic]);
    }
  });
});

describe('who may do what', () => {
  const statesStatements = (statements: Statement[]) => statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('states:')));

  it('gives the evaluation function EVALUATION_STATE_MACHINE_ARN and StartExecution on that state machine only', () => {
    const starters = functionCatalog.map((f) => f.name).filter((name) => functionPermissions[name]!.startsEvaluations);
    expect(starters).toEqual(['evaluation']);
    for (const { name } of functionCatalog) {
      const fn = s.stack.functions.get(name)!;
      const env = (
        resourcesOf(s.template, 'AWS::Lambda::Function')[s.logicalId(fn.function)]!.Properties!.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      const granted = statesStatements(statementsOfRole(s.template, s.logicalId(fn.role)));
      if (starters.includes(name)) {
        expect(env.EVALUATION_STATE_MACHINE_ARN, name).toEqual(stateMachineRef());
        expect(granted, name).toEqual([{ Sid: 'StartEvaluation', Effect: 'Allow', Action: 'states:StartExecution', Resource: stateMachineRef() }]);
      } else {
        expect(env.EVALUATION_STATE_MACHINE_ARN, name).toBeUndefined();
        expect(granted, name).toEqual([]);
      }
    }
  });

  it('deploys the runner with the house defaults for a Step Functions task: Node.js 22 on arm64, its own logs, no X-Ray', () => {
    const props = resourcesOf(s.template, 'AWS::Lambda::Function')[s.logicalId(s.stack.evaluationRunner.function)]!.Properties!;
    expect(props.Runtime).toBe('nodejs22.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Handler).toBe('index.handler');
    expect(props.MemorySize).toBe(HOUSE_DEFAULTS.memorySize);
    expect(props.Timeout).toBe(HOUSE_DEFAULTS.taskTimeout.toSeconds());
    expect(props.TracingConfig).toBeUndefined();
    expect(props.LoggingConfig).toEqual({ LogGroup: { Ref: s.logicalId(s.stack.evaluationRunner.logGroup) } });
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      TABLE_NAME: { Ref: s.logicalId(s.stack.table) },
    });
  });

  it('lets the runner do exactly its DynamoDB actions (never Scan) and nothing of Step Functions, Secrets Manager or S3', () => {
    const statements = statementsOfRole(s.template, s.logicalId(s.stack.evaluationRunner.role));
    const granted = functionPermissions['evaluation-runner']!.dynamodb;
    expect(granted).not.toContain('Scan');
    const onTable = statements.find((st) => st.Sid === 'TableAccess')!;
    expect(new Set(asArray(onTable.Action))).toEqual(new Set(granted.map((a) => `dynamodb:${a}`)));
    expect(onTable.Resource).toEqual({ 'Fn::GetAtt': [s.logicalId(s.stack.table), 'Arn'] });
    const onIndexes = statements.find((st) => st.Sid === 'IndexAccess');
    expect(asArray(onIndexes?.Action ?? [])).toEqual(granted.filter((a) => INDEX_ACTIONS.includes(a)).map((a) => `dynamodb:${a}`));
    const actions = statements.flatMap((st) => asArray(st.Action));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => !/^(dynamodb|logs):/.test(a))).toEqual([]);
  });

  it('is not reachable through the HTTP API: no integration targets the runner', () => {
    const runnerId = s.logicalId(s.stack.evaluationRunner.function);
    expect(JSON.stringify(resourcesOf(s.template, 'AWS::ApiGatewayV2::Integration'))).not.toContain(runnerId);
    const invokers = Object.values(resourcesOf(s.template, 'AWS::Lambda::Permission'))
      .filter((p) => JSON.stringify(p.Properties!.FunctionName).includes(runnerId))
      .map((p) => p.Properties!.Principal);
    expect(invokers).toEqual(['events.amazonaws.com']);
  });

  it('lets the state machine invoke only the runner, and manage only its own child executions', () => {
    const role = s.logicalId(s.stack.evaluation.stateMachine.role);
    const statements = statementsOfRole(s.template, role);
    const invoke = statements.filter((st) => asArray(st.Action).includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0]!.Resource).toEqual([runnerArn(), { 'Fn::Join': ['', [runnerArn(), ':*']] }]);
    const states = statesStatements(statements);
    expect(states.find((st) => st.Action === 'states:StartExecution')?.Resource).toEqual(stateMachineRef());
    for (const st of states) expect(JSON.stringify(st.Resource), JSON.stringify(st.Action)).toContain(JSON.stringify(stateMachineRef()));
  });
});
