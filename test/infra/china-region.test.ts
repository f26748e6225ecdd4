/**
 * Beijing (cn-north-1) with an external OpenID Connect issuer, next to a global region with
 * Cognito: the China template has no Cognito resource and no `arn:aws:` literal (every ARN is
 * built on AWS::Partition), and the authorizer, the functions and the page sign-in all use the
 * configured issuer, audience and claim names. Both pass cdk-nag (synth runs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIONS_WITHOUT_COGNITO } from '../../infra/config.ts';
import { asArray, type CfnResource, resourcesOf, statementsOfRole, type Synthesized, synthesize } from './support.ts';

const ISSUER = 'https://idaas.example.cn/oidc';
const CHINA = {
  stage: 'prod',
  region: 'cn-north-1',
  oidcIssuer: ISSUER,
  oidcAudience: 'gatekeeper-web,gatekeeper-cli',
  oidcRoleClaim: 'realm_access.roles',
  oidcDistrictClaim: 'gk_district',
  oidcInstitutionClaim: 'gk_institution',
};

let china: Synthesized;
let global: Synthesized;

beforeAll(() => {
  china = synthesize({ context: CHINA });
  global = synthesize({ context: { stage: 'prod', region: 'eu-west-1' } });
}, 170_000);

afterAll(() => {
  china?.cleanup();
  global?.cleanup();
});

const text = (s: Synthesized) => JSON.stringify(s.template.toJSON());
const functions = (s: Synthesized) => Object.values(resourcesOf(s.template, 'AWS::Lambda::Function'));
const envOf = (fn: CfnResource) => (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
const httpFunctions = (s: Synthesized) => [...s.stack.functions.values()].map((f) => s.template.toJSON().Resources[s.logicalId(f.function)] as CfnResource);

describe('cn-north-1 with an external OpenID Connect issuer', () => {
  it('is a stack in cn-north-1 without any Cognito resource', () => {
    expect(REGIONS_WITHOUT_COGNITO).toContain('cn-north-1');
    expect(china.stack.region).toBe('cn-north-1');
    expect(china.stack.userPool).toBeUndefined();
    const types = new Set(Object.values(china.template.toJSON().Resources as Record<string, CfnResource>).map((r) => r.Type));
    expect([...types].filter((t) => t.startsWith('AWS::Cognito::'))).toEqual([]);
    expect(text(china)).not.toMatch(/cognito/i);
  });

  it('has no arn:aws: literal: every ARN is built on AWS::Partition', () => {
    const template = text(china);
    expect(template).not.toContain('arn:aws:');
    expect(template).not.toMatch(/"arn:aws-cn:/);
    // ARNs the stack builds itself start with "arn:" and the partition reference
    expect(template).toMatch(/"arn:",\{"Ref":"AWS::Partition"\}/);
    expect(template).not.toMatch(/amazonaws\.com\//);
  });

  it("checks the issuer's tokens at the gateway", () => {
    china.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: ['gatekeeper-web', 'gatekeeper-cli'] },
    });
  });

  it('tells every function the issuer, the audience and the claim names; the key set is discovered', () => {
    for (const fn of httpFunctions(china)) {
      const env = envOf(fn);
      expect(env.JWT_ISSUER).toBe(ISSUER);
      expect(env.JWT_AUDIENCE).toBe('gatekeeper-web');
      expect(env.JWKS_URL).toBeUndefined();
      expect(JSON.parse(env.JWT_CLAIMS as string)).toEqual({
        role: 'realm_access.roles',
        districtId: 'gk_district',
        institutionId: 'gk_institution',
        residentRef: 'residentRef',
      });
    }
  });

  it('signs in to the pages at the issuer, and says which callback URLs to register there', () => {
    const signIn = china.template.toJSON().Resources[china.logicalId(china.stack.functions.get('sign-in')!.function)] as CfnResource;
    expect(envOf(signIn).SIGN_IN_ISSUER).toBe(ISSUER);
    expect(envOf(signIn).SIGN_IN_DOMAIN_URL).toBeUndefined();
    const outputs = china.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.SignInCallbackUrls?.Value)).toContain('/auth/callback');
    expect(outputs.UserPoolId).toBeUndefined();
  });

  it('tells the registry that accounts are managed in the identity provider, with no Cognito grant', () => {
    const registry = china.stack.functions.get('registry')!;
    const env = envOf(china.template.toJSON().Resources[china.logicalId(registry.function)] as CfnResource);
    expect(env.IDENTITY_PROVIDER).toBe('oidc');
    expect(env.USER_POOL_ID).toBeUndefined();
    const actions = statementsOfRole(china.template, china.logicalId(registry.role)).flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.startsWith('cognito-idp:'))).toEqual([]);
  });

  it("builds the API's URL on the region's domain suffix", () => {
    const outputs = china.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.ApiUrl!.Value)).toContain('{"Ref":"AWS::URLSuffix"}');
  });
});

describe('a global region with Cognito', () => {
  it('has the user pool, and the authorizer and functions use it', () => {
    expect(global.stack.region).toBe('eu-west-1');
    global.template.resourceCountIs('AWS::Cognito::UserPool', 1);
    global.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: { 'Fn::GetAtt': [global.logicalId(global.stack.userPool!), 'ProviderURL'] } },
    });
    for (const fn of httpFunctions(global)) {
      expect(envOf(fn).JWKS_URL).toBeDefined();
      expect(envOf(fn).JWT_CLAIMS).toBeUndefined();
    }
  });

  it('gives the registry (user invitations) USER_POOL_ID and AdminCreateUser / AdminAddUserToGroup on that pool only; no other function either', () => {
    const pool = global.logicalId(global.stack.userPool!);
    for (const [name, fn] of global.stack.functions) {
      const env = envOf(global.template.toJSON().Resources[global.logicalId(fn.function)] as CfnResource);
      const statements = statementsOfRole(global.template, global.logicalId(fn.role)).filter((s) =>
        asArray(s.Action).some((a) => a.startsWith('cognito-idp:')),
      );
      if (name !== 'registry') {
        expect(env.USER_POOL_ID, name).toBeUndefined();
        expect(statements, name).toEqual([]);
        continue;
      }
      expect(env.USER_POOL_ID).toEqual({ Ref: pool });
      expect(env.IDENTITY_PROVIDER).toBeUndefined();
      expect(statements).toEqual([
        {
          Sid: 'InviteUsers',
          Effect: 'Allow',
          Action: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup'],
          Resource: { 'Fn::GetAtt': [pool, 'Arn'] },
        },
      ]);
    }
  });

  it('requires MFA (TOTP) of every account, administrators and finance officers included', () => {
    global.template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  });

  it('builds its ARNs on AWS::Partition too', () => {
    expect(text(global)).not.toContain('arn:aws:');
    expect(functions(global).length).toBeGreaterThan(0);
  });
});
