/**
 * A failed first deploy can be retried: no resource has a physical name of ours except the
 * documented ones (infra/names.ts FIXED_NAMES), and what production keeps is kept on delete and
 * replacement but not after a failed creation (RetainExceptOnCreate), so nothing left behind by
 * the first attempt blocks the next with "already exists". Checked for the Cognito and the
 * external-issuer configurations of a production stage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NAMES } from '../../infra/names.ts';
import { type CfnResource, type Synthesized, synthesize } from './support.ts';

/** Properties that name a resource physically, by resource type (a property absent here is not a name). */
const NAME_PROPERTIES: Record<string, string[]> = {
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::Policy': ['PolicyName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::StepFunctions::StateMachine': ['StateMachineName'],
  'AWS::Scheduler::Schedule': ['Name'],
  'AWS::Scheduler::ScheduleGroup': ['Name'],
  'AWS::Events::Rule': ['Name'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::Cognito::UserPool': ['UserPoolName'],
  'AWS::Cognito::UserPoolClient': ['ClientName'],
  'AWS::Cognito::UserPoolGroup': ['GroupName'],
  'AWS::Cognito::UserPoolDomain': ['Domain'],
  'AWS::ApiGatewayV2::Api': ['Name'],
  'AWS::ApiGatewayV2::Authorizer': ['Name'],
  'AWS::ApiGatewayV2::Stage': [],
  // FunctionName here refers to a function (Ref / GetAtt); it names nothing
  'AWS::Lambda::Permission': [],
  'AWS::Lambda::EventInvokeConfig': [],
};

const configurations = {
  cognito: { stage: 'prod' },
  'external issuer in cn-north-1': { stage: 'prod', region: 'cn-north-1', oidcIssuer: 'https://idaas.example.cn/oidc', oidcAudience: 'gk-web' },
};

const synthesized = new Map<string, Synthesized>();
beforeAll(() => {
  for (const [name, context] of Object.entries(configurations)) synthesized.set(name, synthesize({ context }));
}, 170_000);
afterAll(() => {
  for (const s of synthesized.values()) s.cleanup();
});

describe.each(Object.keys(configurations))('%s', (name) => {
  const resources = () => Object.entries(synthesized.get(name)!.template.toJSON().Resources as Record<string, CfnResource>);

  it('names nothing physically except the documented names', () => {
    const named: string[] = [];
    for (const [id, resource] of resources()) {
      const known = NAME_PROPERTIES[resource.Type];
      const properties = Object.keys(resource.Properties ?? {});
      const candidates = known ?? properties.filter((p) => /^(\w*Name|Name)$/.test(p) && !/^(Metric|Display|Index|Attribute|Key)/.test(p));
      for (const property of candidates.filter((p) => properties.includes(p))) {
        const key = `${resource.Type} ${property}`;
        if (!Object.hasOwn(FIXED_NAMES, key)) named.push(`${id}: ${key}`);
      }
    }
    expect(named).toEqual([]);
  });

  it('fixes a log group name only for the state machine, and that name is new with every stack creation', () => {
    const named = resources().filter(([, r]) => r.Type === 'AWS::Logs::LogGroup' && r.Properties?.LogGroupName !== undefined);
    expect(named).toHaveLength(1);
    expect(JSON.stringify(named[0]![1].Properties!.LogGroupName)).toContain('"Ref":"AWS::StackId"');
  });

  it('keeps data on delete and replacement, but not after a failed first creation', () => {
    const kept = resources().filter(([, r]) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete');
    expect(kept.length).toBeGreaterThan(0);
    for (const [id, resource] of kept) {
      expect(resource.DeletionPolicy, `${id} ${resource.Type}`).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy, `${id} ${resource.Type}`).toBe('Retain');
    }
    const types = new Set(kept.map(([, r]) => r.Type));
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup']) expect(types, type).toContain(type);
    expect(types.has('AWS::Cognito::UserPool')).toBe(name === 'cognito');
  });
});
