/**
 * Alarms that say something is wrong for users, all notifying one SNS topic (with an e-mail
 * subscription when `alarmEmail` is set): the API's 5xx rate, each function's errors
 * (unhandled failures and timeouts: hono already turns handler errors into 500s, which the
 * 5xx alarm sees), evaluation executions that failed or timed out (each one is a run to look
 * at and redrive), and DynamoDB throttling on the table and its indexes.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { pascal } from './names.ts';

export const ALARM_SETTINGS = {
  period: Duration.minutes(5),
  /** percentage of requests answered with 5xx */
  api5xxRatePercent: 5,
  /** below this many requests in a period the 5xx rate is not judged (one error in three calls is noise) */
  api5xxMinRequests: 20,
  lambdaErrors: 1,
  /** failed or timed-out evaluation executions (each metric has its own alarm) */
  executionsFailed: 1,
  throttleEvents: 1,
} as const;

/** CloudWatch allows at most 10 metrics in one alarm's math expression. */
const MAX_METRICS_PER_ALARM = 10;

export interface MonitoringProps {
  stage: string;
  api: apigwv2.HttpApi;
  functions: ReadonlyMap<string, lambda.IFunction>;
  table: dynamodb.ITable;
  indexNames: readonly string[];
  /** DynamoDB operations the functions perform (ThrottledRequests has an Operation dimension) */
  tableOperations: readonly string[];
  /** the evaluation state machine: alarms on failed and timed-out executions */
  stateMachine?: sfn.IStateMachine;
  alarmEmail?: string;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { period } = ALARM_SETTINGS;

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Gatekeeper ${props.stage} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    // API: share of requests answered 5xx, judged only once there is enough traffic.
    const { api5xxMinRequests: minRequests } = ALARM_SETTINGS;
    this.add(
      'Api5xxRate',
      new cloudwatch.MathExpression({
        expression: `IF(requests >= ${minRequests}, 100 * errors / requests, 0)`,
        usingMetrics: {
          errors: props.api.metricServerError({ period, statistic: cloudwatch.Stats.SUM }),
          requests: props.api.metricCount({ period, statistic: cloudwatch.Stats.SUM }),
        },
        label: 'API 5xx rate (%)',
        period,
      }),
      ALARM_SETTINGS.api5xxRatePercent,
      `More than ${ALARM_SETTINGS.api5xxRatePercent}% of API requests answered 5xx in ${period.toMinutes()} minutes (with at least ${minRequests} requests)`,
    );

    for (const [name, fn] of props.functions) {
      this.add(
        `${pascal(name)}Errors`,
        fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
        ALARM_SETTINGS.lambdaErrors,
        `Function ${name} failed (unhandled error or timeout) in the last ${period.toMinutes()} minutes`,
      );
    }

    if (props.stateMachine) {
      const sm = props.stateMachine;
      this.add(
        'EvaluationExecutionsFailed',
        sm.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
        ALARM_SETTINGS.executionsFailed,
        `An evaluation run's execution failed in the last ${period.toMinutes()} minutes (its run is marked failed): ` +
          `fix the cause, then redrive it (docs/deploy.md)`,
      );
      this.add(
        'EvaluationExecutionsTimedOut',
        sm.metricTimedOut({ period, statistic: cloudwatch.Stats.SUM }),
        ALARM_SETTINGS.executionsFailed,
        `An evaluation run's execution timed out in the last ${period.toMinutes()} minutes (its run is marked failed): redrive it (docs/deploy.md)`,
      );
    }

    // DynamoDB: read/write throttle events on the table and on every index ...
    const tableName = props.table.tableName;
    const throttleEvents: cloudwatch.IMetric[] = [];
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      throttleEvents.push(dynamoMetric(metricName, { TableName: tableName }));
      for (const indexName of props.indexNames) {
        throttleEvents.push(dynamoMetric(metricName, { TableName: tableName, GlobalSecondaryIndexName: indexName }));
      }
    }
    this.addSum('TableThrottleEvents', throttleEvents, 'DynamoDB read/write throttle events on the table or an index');

    // ... and throttled requests per operation the functions use.
    const throttledRequests = props.tableOperations.map((operation) => dynamoMetric('ThrottledRequests', { TableName: tableName, Operation: operation }));
    this.addSum('TableThrottledRequests', throttledRequests, 'DynamoDB requests throttled');
  }

  private add(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  /** One alarm per group of at most 10 metrics, on the sum of the group. */
  private addSum(id: string, metrics: cloudwatch.IMetric[], description: string): void {
    const { period } = ALARM_SETTINGS;
    for (let start = 0, part = 1; start < metrics.length; start += MAX_METRICS_PER_ALARM, part++) {
      const group = metrics.slice(start, start + MAX_METRICS_PER_ALARM);
      const usingMetrics = Object.fromEntries(group.map((metric, i) => [`m${i}`, metric]));
      const expression = `SUM([${group.map((_m, i) => `FILL(m${i}, 0)`).join(', ')}])`;
      const alarmId = metrics.length > MAX_METRICS_PER_ALARM ? `${id}${part}` : id;
      this.add(alarmId, new cloudwatch.MathExpression({ expression, usingMetrics, period, label: description }), ALARM_SETTINGS.throttleEvents, description);
    }
  }
}

function dynamoMetric(metricName: string, dimensionsMap: Record<string, string>): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensionsMap,
    statistic: cloudwatch.Stats.SUM,
    period: ALARM_SETTINGS.period,
  });
}
