/**
 * A production stage (context stage=prod with origins and an alarm e-mail), synthesized once
 * without bundling: what changes outside dev. Plus the data-driven reports-bucket grant and
 * the synth-time failures, which need no bundles either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCatalog } from '../../functions/catalog.ts';
import { AwsSolutionsChecks } from 'cdk-nag';
import { functionPermissions } from '../../infra/function-permissions.ts';
import { createGatekeeperApp } from '../../infra/gatekeeper-app.ts';
import { asArray, resourcesOf, type Synthesized, statementsOfRole, synthesize } from './support.ts';

const ORIGINS = ['https://gatekeeper.example.cn', 'https://admin.gatekeeper.example.cn'];

let prod: Synthesized;

beforeAll(() => {
  prod = synthesize({ context: { stage: 'prod', allowedOrigins: ORIGINS.join(','), alarmEmail: 'ops@example.cn' } });
}, 120_000);

afterAll(() => prod?.cleanup());

describe('prod stage', () => {
  it('is its own stack', () => {
    expect(prod.stack.stackName).toBe('Gatekeeper-prod');
  });

  // RetainExceptOnCreate: kept on delete and replacement, but removed when the stack's first creation fails, so a retry starts clean
  it('protects and retains the table', () => {
    const [table] = Object.values(resourcesOf(prod.template, 'AWS::DynamoDB::Table'));
    expect(table!.Properties!.DeletionProtectionEnabled).toBe(true);
    expect(table!.Properties!.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table!.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(table!.UpdateReplacePolicy).toBe('Retain');
  });

  it('retains users, the pepper, reports and logs', () => {
    for (const type of ['AWS::Cognito::UserPool', 'AWS::SecretsManager::Secret', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup']) {
      for (const [id, resource] of Object.entries(resourcesOf(prod.template, type)))
        expect(resource.DeletionPolicy, `${type} ${id}`).toBe('RetainExceptOnCreate');
    }
    prod.template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
  });

  it('allows CORS from the configured origins only, without credentials', () => {
    const [api] = Object.values(resourcesOf(prod.template, 'AWS::ApiGatewayV2::Api'));
    const cors = api!.Properties!.CorsConfiguration as Record<string, unknown>;
    expect(cors.AllowOrigins).toEqual(ORIGINS);
    expect(cors.AllowCredentials).toBe(false);
    const declared = [...prod.stack.routes.values()].flat().flatMap((r) => r.headers);
    expect(new Set(asArray(cors.AllowHeaders as string[]))).toEqual(new Set(['authorization', 'content-type', ...declared]));
    expect(cors.AllowHeaders).toContain('idempotency-key');
    const methods = new Set([...prod.stack.routes.values()].flat().map((r) => r.method));
    expect(new Set(cors.AllowMethods as string[])).toEqual(methods);
  });

  it('e-mails alarms to alarmEmail', () => {
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.cn' });
  });

  it('passes cdk-nag', () => {
    expect(new AwsSolutionsChecks().validateScope(prod.app).violations).toEqual([]);
  });
});

describe('reports bucket grant', () => {
  let granted: Synthesized;

  beforeAll(() => {
    granted = synthesize({
      stackProps: { permissions: { ...functionPermissions, registry: { ...functionPermissions.registry!, reportsBucket: 'write' } } },
    });
  }, 120_000);

  afterAll(() => granted?.cleanup());

  it('gives REPORTS_BUCKET and object access only to the functions granted it', () => {
    const bucketArn = { 'Fn::GetAtt': [granted.logicalId(granted.stack.reportsBucket), 'Arn'] };
    for (const { name } of functionCatalog) {
      const fn = granted.stack.functions.get(name)!;
      const resource = granted.template.toJSON().Resources[granted.logicalId(fn.function)];
      const env = resource.Properties.Environment.Variables as Record<string, unknown>;
      const reports = statementsOfRole(granted.template, granted.logicalId(fn.role)).filter((st) => st.Sid === 'Reports');
      if (name === 'registry') {
        expect(env.REPORTS_BUCKET).toEqual({ Ref: granted.logicalId(granted.stack.reportsBucket) });
        expect(reports).toEqual([
          expect.objectContaining({ Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: { 'Fn::Join': ['', [bucketArn, '/*']] } }),
        ]);
      } else if (name === 'reports') {
        // the reports function writes report files and signs download links (infra/function-permissions.ts)
        expect(env.REPORTS_BUCKET).toEqual({ Ref: granted.logicalId(granted.stack.reportsBucket) });
        expect(reports.flatMap((st) => asArray(st.Action as string | string[]))).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject']));
      } else {
        expect(env.REPORTS_BUCKET, name).toBeUndefined();
        expect(reports, name).toEqual([]);
      }
    }
  });

  it('acknowledges the object wildcard on that function only, so cdk-nag passes', () => {
    expect(new AwsSolutionsChecks().validateScope(granted.app).violations).toEqual([]);
  });
});

describe('synth-time failures', () => {
  it('fails, before bundling, when a function has no permissions entry', () => {
    const victim = functionCatalog.at(-1)!.name;
    const without = Object.fromEntries(Object.entries(functionPermissions).filter(([name]) => name !== victim));
    expect(() => createGatekeeperApp({ context: { 'aws:cdk:bundling-stacks': [] } }, { permissions: without })).toThrow(
      new RegExp(`infra/function-permissions\\.ts has no entry for function\\(s\\) ${victim}:`),
    );
  });

  it('rejects origins that are not https origins', () => {
    for (const allowedOrigins of ['*', 'http://app.example.cn', 'https://app.example.cn/path', 'app.example.cn']) {
      expect(() => createGatekeeperApp({ context: { allowedOrigins, 'aws:cdk:bundling-stacks': [] } }), allowedOrigins).toThrow(/allowedOrigins/);
    }
  });

  it('rejects a malformed stage or alarm e-mail', () => {
    expect(() => createGatekeeperApp({ context: { stage: 'Prod!' } })).toThrow(/stage/);
    expect(() => createGatekeeperApp({ context: { alarmEmail: 'ops' } })).toThrow(/alarmEmail/);
  });
});
