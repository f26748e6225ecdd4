/**
 * Evaluation runs as a Standard Step Functions state machine over one task Lambda,
 * functions/evaluation-runner (shared/services/evaluation/tasks.ts):
 *
 *   Plan → Values (Distributed Map over the plan's batches) → Statistics
 *        → Scores (Distributed Map over the same batches) → Ranking
 *
 * The evaluation function starts it (functions/lambda-deps.ts: execution name = evaluationId,
 * input `{ evaluationId }`). Every task is idempotent and moves the run record itself (phase,
 * once-only batch progress, completion), so nothing in the state machine carries results.
 *
 * Failures. Every task retries Lambda service errors and throttling, then any error a few
 * times, with exponential backoff and jitter. What still fails fails the execution *at the
 * failing state*: there is deliberately no Catch. A Catch would end every failed execution in
 * its handler's Fail state, and RedriveExecution restarts at the unsuccessful state, so a
 * redrive would only re-run that Fail state. Without it, `aws stepfunctions redrive-execution`
 * re-runs exactly the failed task, or a Map's failed batches, and carries on. The run record
 * is marked failed by the `fail` task from an EventBridge rule on the execution's status
 * change (FAILED, TIMED_OUT, ABORTED), which, unlike a Catch, also sees timeouts and aborts.
 */
import { Aws, type CfnElement, Duration, Fn, Token, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { HOUSE_DEFAULTS } from './house-function.ts';

/**
 * Batches (of DEFAULT_BATCH_SIZE = 100 teams, shared/services/evaluation/phases.ts) in flight
 * at once in each Distributed Map. A run's values and scores each live under one partition key,
 * so 10 batches × 100 teams bounds a wave at ~1,000 item writes, spread over the seconds each
 * batch spends reading facts: under the 1,000 WCU/s one partition takes. A bigger district
 * takes more waves instead of throttling; raise this only with the batch size in mind.
 */
export const EVALUATION_MAP_MAX_CONCURRENCY = 10;

/**
 * An execution still running after this is stopped as TIMED_OUT (alarmed, run marked failed,
 * redrivable; a redrive restarts the clock). A 500-team district takes minutes.
 */
export const EVALUATION_TIMEOUT = Duration.hours(2);

/** The phases that run per batch of teams, each as a Distributed Map labelled with its name. */
export const BATCH_PHASES = ['values', 'scores'] as const;

/** Execution statuses after which the run record is marked failed. */
export const UNSUCCESSFUL_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * Retries of every task, first match wins. Lambda's own transient errors and throttling are
 * retried longer than errors of our code (DynamoDB throttling the SDK gave up on, a timeout):
 * States.TaskFailed matches those, and everything else except States.Timeout.
 */
export const TASK_RETRIES: readonly (sfn.RetryProps & { errors: string[] })[] = [
  {
    errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.minutes(1),
    jitterStrategy: sfn.JitterType.FULL,
  },
  {
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(5),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  },
];

export interface EvaluationStateMachineProps {
  /** functions/evaluation-runner */
  runner: lambda.IFunction;
  stage: string;
  removalPolicy: RemovalPolicy;
}

export class EvaluationStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** marks the run failed when an execution ends unsuccessfully */
  readonly failureRule: events.Rule;

  constructor(scope: Construct, id: string, props: EvaluationStateMachineProps) {
    super(scope, id);
    const { runner } = props;

    /** One runner task: `{ task, evaluationId, batch? }` in, nothing kept but what `output` selects. */
    const task = (stateId: string, name: string, fields: Record<string, unknown>, output: Partial<tasks.LambdaInvokeJsonPathProps> = {}) => {
      const invoke = tasks.LambdaInvoke.jsonPath(this, stateId, {
        lambdaFunction: runner,
        payload: sfn.TaskInput.fromObject({ task: name, evaluationId: sfn.JsonPath.stringAt('$.evaluationId'), ...fields }),
        retryOnServiceExceptions: false,
        resultPath: sfn.JsonPath.DISCARD,
        comment: `runEvaluationTask { task: '${name}' }`,
        ...output,
      });
      for (const retry of TASK_RETRIES) invoke.addRetry(retry);
      return invoke;
    };

    /** A Distributed Map running one batch task per `$.batches` item, keeping its input as output. */
    const overBatches = (stateId: string, name: (typeof BATCH_PHASES)[number]) =>
      sfn.DistributedMap.jsonPath(this, stateId, {
        comment: `the ${name} phase, one child execution per batch of teams`,
        itemsPath: '$.batches',
        maxConcurrency: EVALUATION_MAP_MAX_CONCURRENCY,
        label: name,
        // children return their input, not the Lambda response, and the Map drops their results,
        // so the state output stays `{ evaluationId, batches }` at any district size
        resultPath: sfn.JsonPath.DISCARD,
      }).itemProcessor(task(`${stateId}Batch`, name, { batch: sfn.JsonPath.numberAt('$.batch') }));

    const definition = task(
      'Plan',
      'plan',
      {},
      {
        // PlanResult: { evaluationId, batches: [{ evaluationId, batch }] }
        resultSelector: { 'evaluationId.$': '$.Payload.evaluationId', 'batches.$': '$.Payload.batches' },
        resultPath: '$',
      },
    )
      .next(overBatches('Values', 'values'))
      .next(task('Statistics', 'statistics', {}))
      .next(overBatches('Scores', 'scores'))
      .next(task('Ranking', 'ranking', {}));

    // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' account-wide resource policy, which
    // Step Functions log delivery edits, from growing with every log group. The name ends in the
    // stack's own id (a UUID per stack creation), so a log group kept from an earlier attempt
    // never blocks the next one ("already exists").
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/gatekeeper-${props.stage}-evaluation-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      retention: HOUSE_DEFAULTS.logRetention,
      removalPolicy: props.removalPolicy,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'Gatekeeper evaluation run: plan, values per batch, statistics, scores per batch, ranking (infra/evaluation-state-machine.ts)',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: EVALUATION_TIMEOUT,
      // Inputs and outputs are run ids and batch numbers; no personal data passes through.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    this.acknowledgeGeneratedPolicies(runner);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'No X-Ray: the functions record no SDK calls in traces, so a trace would show only task timings, which the ' +
        "execution history and the ALL-level logs (SF1) already show. Logs carry each invocation's request id.",
    });

    // Child executions of the Distributed Maps have their own state machine ARN (with the Map
    // Run's suffix), so only whole evaluation executions match, whose name is the evaluationId.
    this.failureRule = new events.Rule(this, 'FailedExecutions', {
      description: `Gatekeeper ${props.stage}: marks an evaluation run failed when its execution fails, times out or is aborted`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [this.stateMachine.stateMachineArn], status: [...UNSUCCESSFUL_STATUSES] },
      },
      targets: [
        new targets.LambdaFunction(runner, {
          event: events.RuleTargetInput.fromObject({
            task: 'fail',
            evaluationId: events.EventField.fromPath('$.detail.name'),
            error: `Step Functions execution ${events.EventField.fromPath('$.detail.status')}: ${events.EventField.fromPath('$.detail.error')}`,
          }),
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /** cdk-nag findings on the policies CDK generates for the state machine's role, each with its reason. */
  private acknowledgeGeneratedPolicies(runner: lambda.IFunction): void {
    const stack = Stack.of(this);
    const logicalId = (construct: Construct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
    const roleDefaultPolicy = this.stateMachine.role.node.findChild('DefaultPolicy');
    Validations.of(roleDefaultPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the CloudWatch Logs log-delivery actions (logs:*LogDelivery*, PutResourcePolicy, DescribeResourcePolicies, ' +
        'DescribeLogGroups) that Step Functions logging needs use Resource "*": they have no resource-level ' +
        'permissions. An infra test asserts no other statement of this role uses "*".',
    });
    Validations.of(roleDefaultPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(runner)}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on the evaluation-runner function and its versions/aliases only (qualified ARNs), added by the LambdaInvoke tasks.',
    });
    // how cdk-nag prints the execution ARNs CDK builds from this state machine's name
    // (the region is a literal when the stack has one, `-c region=…`; partition and account stay references)
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const executions =
      `arn:<AWS::Partition>:states:${region}:<AWS::AccountId>:` + `execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(this.stateMachine)}"}]}]}`;
    const distributedMapPolicy = this.stateMachine.node.findChild('DistributedMapPolicy');
    Validations.of(distributedMapPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executions}:*]`,
      reason:
        'states:DescribeExecution / StopExecution on executions of this state machine only: the Distributed Maps start ' +
        'child executions whose names Step Functions generates, so they cannot be listed in advance.',
    });
    for (const label of BATCH_PHASES) {
      Validations.of(distributedMapPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${executions}/${label}:*]`,
        reason:
          `states:RedriveExecution on the child executions of this state machine's "${label}" ` +
          `Map Runs only, so redriving a failed evaluation also redrives its failed batches.`,
      });
    }
  }
}
