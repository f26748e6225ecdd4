/**
 * Evaluation runs after the data deadline: an EventBridge Scheduler schedule that invokes the
 * `period-close` function (functions/period-close/lambda.ts) every day, in China time. The
 * function starts the runs of the periods that closed last (the quarter, and in a first quarter
 * the year too) in every district whose data deadline for them has passed, with published
 * criteria and no run of the period yet; starting is idempotent, so a repeated delivery, a retry
 * or the next day's firing starts nothing twice.
 *
 * Scheduler invokes Lambda asynchronously: an invocation Scheduler cannot deliver, and one that
 * still fails after Lambda's retries, lands in the dead-letter queue, which raises an alarm.
 *
 * Each firing also runs the daily contract step first (shared/services/contracts.ts,
 * endContractsPastTheirTerm): contracts whose end date has passed are stored `ended` and give
 * their team places back; conditional, so repeated firings end nothing twice.
 *
 * Context: `periodClose=off` keeps the schedule but disables it; `periodCloseHour` (0-23, default
 * 2) is the hour of each day at which it fires.
 */
import { Duration, type RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ContextReader } from './config.ts';
import { type FunctionPermissions, unusedModules } from './function-permissions.ts';
import { HouseFunction } from './house-function.ts';

const DEAD_LETTER_ADVICE = 'runs may be missing (read the dead-letter queue, then invoke period-close again)';

/** The time zone periods end in (shared/domain/period-close.ts counts in the same UTC+8). */
export const PERIOD_CLOSE_TIME_ZONE = TimeZone.ASIA_SHANGHAI;
export const DEFAULT_PERIOD_CLOSE_HOUR = 2;
/** Lambda's own retries of a failed asynchronous invocation (at most 2), then the dead-letter queue. */
export const PERIOD_CLOSE_RETRIES = 2;
/** How long Scheduler keeps trying to deliver, and Lambda to run, one firing. */
export const PERIOD_CLOSE_MAX_EVENT_AGE = Duration.hours(6);

export interface PeriodCloseConfig {
  enabled: boolean;
  hour: number;
}

export function readPeriodCloseConfig(context: ContextReader): PeriodCloseConfig {
  const rawEnabled = context('periodClose');
  const enabled = rawEnabled === undefined || rawEnabled === null || rawEnabled === '' || rawEnabled === true || rawEnabled === 'on';
  if (!enabled && rawEnabled !== false && rawEnabled !== 'off') {
    throw new Error(`Context "periodClose" must be "on" or "off", got ${JSON.stringify(rawEnabled)}`);
  }
  const rawHour = context('periodCloseHour');
  const hour = rawHour === undefined || rawHour === null || rawHour === '' ? DEFAULT_PERIOD_CLOSE_HOUR : Number(rawHour);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23)
    throw new Error(`Context "periodCloseHour" must be an hour from 0 to 23, got ${JSON.stringify(rawHour)}`);
  return { enabled, hour };
}

export interface PeriodCloseScheduleProps {
  stage: string;
  table: dynamodb.ITable;
  stateMachine: sfn.IStateMachine;
  /** the `period-close` entry of infra/function-permissions.ts */
  permissions: FunctionPermissions;
  /** the stack's explicit statements for those permissions */
  grant: (fn: HouseFunction, permissions: FunctionPermissions) => void;
  alarmTopic: sns.ITopic;
  removalPolicy: RemovalPolicy;
}

export class PeriodCloseSchedule extends Construct {
  readonly function: HouseFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly config: PeriodCloseConfig;

  constructor(scope: Construct, id: string, props: PeriodCloseScheduleProps) {
    super(scope, id);
    this.config = readPeriodCloseConfig((key) => this.node.tryGetContext(key));

    this.function = new HouseFunction(this, 'PeriodCloseFunction', {
      name: 'period-close',
      // the task timeout: nothing waits for it, and it reads every district's criteria and runs
      invokedBy: 'step-functions',
      description: 'Gatekeeper period-close: starts the evaluation runs of the periods that just closed',
      removalPolicy: props.removalPolicy,
      unusedModules: unusedModules(props.permissions),
      environment: { TABLE_NAME: props.table.tableName, EVALUATION_STATE_MACHINE_ARN: props.stateMachine.stateMachineArn },
    });
    props.grant(this.function, props.permissions);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue of the period-close schedule and of the function's asynchronous " +
        'invocations; its messages are read by whoever handles the alarm on it, then the period close is invoked again by hand.',
    });
    this.function.function.configureAsyncInvoke({
      retryAttempts: PERIOD_CLOSE_RETRIES,
      maxEventAge: PERIOD_CLOSE_MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    // Our own role rather than the stack-wide one the target would share: assumed by Scheduler for
    // this account only, it may invoke this function and write to this queue, nothing else.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'Gatekeeper period-close schedule: invokes the period-close function',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Gatekeeper ${props.stage}: daily: starts the evaluation runs of closed periods past their data deadline (infra/period-close-schedule.ts)`,
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: String(this.config.hour),
        day: '*',
        month: '*',
        year: '*',
        timeZone: PERIOD_CLOSE_TIME_ZONE,
      }),
      enabled: this.config.enabled,
      target: new schedulerTargets.LambdaInvoke(this.function.function, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 8,
        maxEventAge: PERIOD_CLOSE_MAX_EVENT_AGE,
        deadLetterQueue: this.deadLetterQueue,
      }),
    });

    const functionId = Stack.of(this).resolve((this.function.function.node.defaultChild as lambda.CfnFunction).logicalId) as string;
    Validations.of(scheduleRole.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on the period-close function and its versions/aliases only (qualified ARNs), as the Scheduler target grants it.',
    });

    const action = new SnsAction(props.alarmTopic);
    const alarms = [
      this.function.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, 'ErrorsAlarm', {
        alarmDescription: `Gatekeeper ${props.stage}: the period-close function failed (it is retried; see its logs)`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      this.deadLetterQueue
        .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })
        .createAlarm(this, 'DeadLettersAlarm', {
          alarmDescription: `Gatekeeper ${props.stage}: a period close gave up; ${DEAD_LETTER_ADVICE}`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
