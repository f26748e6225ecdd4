/**
 * The period-close schedule (infra/period-close-schedule.ts), read from the dev template
 * (synthesized without bundles): when it fires, what it invokes, what that function may do, and
 * where failures go.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodsClosedAt } from '#shared/domain/period-close.ts';
import { functionPermissions, INDEX_ACTIONS } from '../../infra/function-permissions.ts';
import { PERIOD_CLOSE_RETRIES, readPeriodCloseConfig } from '../../infra/period-close-schedule.ts';
import { asArray, type CfnResource, resourcesOf, type Synthesized, statementsOfRole, synthesize } from './support.ts';

let s: Synthesized;

beforeAll(() => {
  s = synthesize();
}, 170_000);

afterAll(() => s?.cleanup());

const periodClose = () => s.stack.periodClose;
const functionArn = () => ({ 'Fn::GetAtt': [s.logicalId(periodClose().function.function), 'Arn'] });
const stateMachineRef = () => ({ Ref: s.logicalId(s.stack.evaluation.stateMachine) });

function onlySchedule(synthesized: Synthesized): CfnResource {
  const schedules = Object.values(resourcesOf(synthesized.template, 'AWS::Scheduler::Schedule'));
  expect(schedules).toHaveLength(1);
  return schedules[0]!;
}

describe('the schedule', () => {
  it("fires daily at 02:00 Beijing time (runs start once a period's data deadline has passed)", () => {
    const props = onlySchedule(s).Properties!;
    expect(props.ScheduleExpression).toBe('cron(0 2 * * ? *)');
    expect(props.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(props.State).toBe('ENABLED');
    expect(props.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    // the firings of a year close exactly the four quarters and the year before
    const firings = ['01', '04', '07', '10'].map((month) => new Date(`2027-${month}-01T02:00:00+08:00`));
    expect(firings.map(periodsClosedAt)).toEqual([['2026Q4', '2026'], ['2027Q1'], ['2027Q2'], ['2027Q3']]);
  });

  it('invokes the period-close function with an empty request, retries, and sends what it cannot deliver to the dead-letter queue', () => {
    const target = onlySchedule(s).Properties!.Target as Record<string, unknown>;
    expect(target.Arn).toEqual(functionArn());
    expect(target.Input).toBe('{}');
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 8 });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [s.logicalId(periodClose().deadLetterQueue), 'Arn'] } });
    const role = (target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const actions = statementsOfRole(s.template, role).flatMap((st) => asArray(st.Action));
    expect([...new Set(actions)].sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
  });

  it("sends a firing that still fails after Lambda's retries to the same queue, and alarms on it and on errors", () => {
    const configs = Object.values(resourcesOf(s.template, 'AWS::Lambda::EventInvokeConfig')).filter(
      (c) => JSON.stringify(c.Properties!.FunctionName) === JSON.stringify({ Ref: s.logicalId(periodClose().function.function) }),
    );
    expect(configs).toHaveLength(1);
    expect(configs[0]!.Properties).toMatchObject({
      FunctionName: { Ref: s.logicalId(periodClose().function.function) },
      MaximumRetryAttempts: PERIOD_CLOSE_RETRIES,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [s.logicalId(periodClose().deadLetterQueue), 'Arn'] } } },
    });
    const alarms = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm'));
    const topic = [{ Ref: s.logicalId(s.stack.monitoring.topic) }];
    const on = (metric: string, dimension: string) =>
      alarms.filter((a) => a.Properties!.MetricName === metric && JSON.stringify(a.Properties!.Dimensions).includes(dimension));
    expect(on('Errors', s.logicalId(periodClose().function.function)).map((a) => a.Properties!.AlarmActions)).toEqual([topic]);
    expect(on('ApproximateNumberOfMessagesVisible', s.logicalId(periodClose().deadLetterQueue)).map((a) => a.Properties!.AlarmActions)).toEqual([topic]);
  });

  it('keeps the dead-letter queue encrypted and TLS-only', () => {
    const queue = resourcesOf(s.template, 'AWS::SQS::Queue')[s.logicalId(periodClose().deadLetterQueue)]!;
    expect(queue.Properties!.SqsManagedSseEnabled).toBe(true);
    const [policy] = Object.values(resourcesOf(s.template, 'AWS::SQS::QueuePolicy'));
    expect(JSON.stringify(policy!.Properties!.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('raises no cdk-nag finding that is not acknowledged', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(periodClose());
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('the period-close function', () => {
  it('may start executions of the evaluation state machine only, and knows its ARN', () => {
    const statements = statementsOfRole(s.template, s.logicalId(periodClose().function.role));
    const states = statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('states:')));
    expect(states).toEqual([{ Sid: 'StartEvaluation', Effect: 'Allow', Action: 'states:StartExecution', Resource: stateMachineRef() }]);
    const env = (
      resourcesOf(s.template, 'AWS::Lambda::Function')[s.logicalId(periodClose().function.function)]!.Properties!.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(env).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      TABLE_NAME: { Ref: s.logicalId(s.stack.table) },
      EVALUATION_STATE_MACHINE_ARN: stateMachineRef(),
    });
  });

  it('may do exactly its DynamoDB actions and nothing of Secrets Manager or S3', () => {
    const statements = statementsOfRole(s.template, s.logicalId(periodClose().function.role));
    const granted = functionPermissions['period-close']!.dynamodb;
    expect(new Set(asArray(statements.find((st) => st.Sid === 'TableAccess')!.Action))).toEqual(new Set(granted.map((a) => `dynamodb:${a}`)));
    expect(asArray(statements.find((st) => st.Sid === 'IndexAccess')!.Action)).toEqual(
      granted.filter((a) => INDEX_ACTIONS.includes(a)).map((a) => `dynamodb:${a}`),
    );
    const actions = statements.flatMap((st) => asArray(st.Action));
    expect(actions.filter((a) => !/^(dynamodb|logs|xray|states|sqs):/.test(a))).toEqual([]);
    // sqs: only to put a failed invocation in its dead-letter queue
    expect(statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('sqs:'))).map((st) => st.Resource)).toEqual([
      { 'Fn::GetAtt': [s.logicalId(periodClose().deadLetterQueue), 'Arn'] },
    ]);
  });

  it('is invoked by the scheduler only, never through the HTTP API', () => {
    const fnId = s.logicalId(periodClose().function.function);
    expect(JSON.stringify(resourcesOf(s.template, 'AWS::ApiGatewayV2::Integration'))).not.toContain(fnId);
    const invokers = Object.values(resourcesOf(s.template, 'AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties!.FunctionName).includes(fnId));
    expect(invokers).toEqual([]);
  });
});

describe('context', () => {
  it('reads periodClose and periodCloseHour, refusing anything else', () => {
    const read = (values: Record<string, unknown>) => readPeriodCloseConfig((key) => values[key]);
    expect(read({})).toEqual({ enabled: true, hour: 2 });
    expect(read({ periodClose: 'off', periodCloseHour: '0' })).toEqual({ enabled: false, hour: 0 });
    expect(read({ periodClose: false, periodCloseHour: 23 })).toEqual({ enabled: false, hour: 23 });
    expect(() => read({ periodClose: 'no' })).toThrow(/periodClose/);
    expect(() => read({ periodCloseHour: '24' })).toThrow(/periodCloseHour/);
    expect(() => read({ periodCloseHour: '2.5' })).toThrow(/periodCloseHour/);
  });

  it('keeps the schedule but disables it with periodClose=off, at the hour asked', () => {
    const off = synthesize({ context: { periodClose: 'off', periodCloseHour: '5' } });
    try {
      const props = onlySchedule(off).Properties!;
      expect(props.State).toBe('DISABLED');
      expect(props.ScheduleExpression).toBe('cron(0 5 * * ? *)');
    } finally {
      off.cleanup();
    }
  });
});
