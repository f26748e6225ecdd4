/**
 * Browser sign-in when deployed (infra/sign-in.ts, functions/sign-in): the sign-in routes are
 * reachable without the JWT authorizer (nobody has a token yet) while every other private
 * route keeps it, the app client runs the code flow back to those routes only, and the
 * sign-in function knows the Cognito domain and may not touch the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomainPrefix } from '../../infra/sign-in.ts';
import { asArray, type CfnResource, routeKeysOf, resourcesOf, type Synthesized, statementsOfRole, synthesize } from './support.ts';

const ORIGIN = 'https://gatekeeper.example.cn';
const SIGN_IN_ROUTES = ['GET /login', 'GET /auth/callback', 'POST /logout'];

let s: Synthesized;
let resources: Record<string, CfnResource>;

beforeAll(() => {
  s = synthesize({ context: { stage: 'staging', allowedOrigins: ORIGIN } });
  resources = s.template.toJSON().Resources as Record<string, CfnResource>;
}, 120_000);

afterAll(() => s?.cleanup());

/** The logical id of the Lambda a route's integration invokes. */
function functionOfRoute(route: CfnResource): string {
  const target = JSON.stringify(route.Properties!.Target);
  const integrationId = Object.keys(resourcesOf(s.template, 'AWS::ApiGatewayV2::Integration')).find((id) => target.includes(`"${id}"`))!;
  const uri = resources[integrationId]!.Properties!.IntegrationUri as { 'Fn::GetAtt': [string, string] };
  return uri['Fn::GetAtt'][0];
}

const routesByKey = () => new Map(Object.values(resourcesOf(s.template, 'AWS::ApiGatewayV2::Route')).map((r) => [r.Properties!.RouteKey as string, r]));

/** The API's URL as the template spells it: https://{api}.execute-api.{region}.{suffix}/ */
const apiUrlParts = () => ['https://', { Ref: s.logicalId(s.stack.httpApi) }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/'];

describe('sign-in routes', () => {
  it('reach the sign-in function without an authorizer', () => {
    const routes = routesByKey();
    const signInFunction = s.logicalId(s.stack.functions.get('sign-in')!.function);
    for (const key of SIGN_IN_ROUTES) {
      const route = routes.get(key);
      expect(route, key).toBeDefined();
      expect(route!.Properties!.AuthorizationType, key).toBe('NONE');
      expect(route!.Properties!.AuthorizerId, key).toBeUndefined();
      expect(functionOfRoute(route!), key).toBe(signInFunction);
    }
    expect([...s.stack.routes.get('sign-in')!].map((r) => `${r.method} ${r.path}`).sort()).toEqual([...SIGN_IN_ROUTES].sort());
  });

  it('leave the JWT authorizer on every other route that is neither public nor a page', () => {
    const [authorizerId] = Object.keys(resourcesOf(s.template, 'AWS::ApiGatewayV2::Authorizer'));
    const open = new Set([
      ...[...s.stack.routes.values()]
        .flat()
        .filter((r) => r.isPublic || r.isPage)
        .flatMap(routeKeysOf),
      '$default',
    ]);
    // only the start page, health, invitation links, sign-in, the cookie-authenticated pages and the fallback ($default: the app's 404) are open at the gateway
    for (const key of open) {
      expect(key, key).toMatch(
        new RegExp(
          String.raw`^((GET|HEAD) \/|(GET|HEAD) \/health|(GET|HEAD|POST) \/s\/\{token\}|(GET|HEAD) \/public\/districts\/\{districtId\}\/results\/\{period\}|` +
            String.raw`(GET|HEAD) \/login|(GET|HEAD) \/auth\/callback|POST \/logout|(GET|HEAD|POST) \/(finance|evaluator|clerk|admin)(\/.*)?|\$default)$`,
        ),
      );
    }
    let guarded = 0;
    for (const [key, route] of routesByKey()) {
      if (open.has(key)) continue;
      expect(route.Properties!.AuthorizationType, key).toBe('JWT');
      expect(route.Properties!.AuthorizerId, key).toEqual({ Ref: authorizerId });
      guarded += 1;
    }
    expect(guarded).toBeGreaterThan(30);
  });
});

describe('the app client', () => {
  it('runs the authorization-code flow only, back to the API and the allowed origins', () => {
    const [client] = Object.values(resourcesOf(s.template, 'AWS::Cognito::UserPoolClient'));
    const p = client!.Properties!;
    expect(p.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect(p.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(p.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(p.GenerateSecret).toBe(false);
    const callbacks = s.stack.resolve(p.CallbackURLs) as unknown[];
    expect(callbacks).toHaveLength(2);
    expect(callbacks).toContainEqual({ 'Fn::Join': ['', [...apiUrlParts().slice(0, -1), '/auth/callback']] });
    expect(callbacks).toContainEqual(`${ORIGIN}/auth/callback`);
    const logouts = s.stack.resolve(p.LogoutURLs) as unknown[];
    expect(logouts).toContainEqual({ 'Fn::Join': ['', [...apiUrlParts().slice(0, -1), '/login']] });
    expect(logouts).toContainEqual(`${ORIGIN}/login`);
  });

  it('has a Cognito domain named after the stage and the account', () => {
    const domains = Object.values(resourcesOf(s.template, 'AWS::Cognito::UserPoolDomain'));
    expect(domains).toHaveLength(1);
    expect(domains[0]!.Properties!.Domain).toEqual({ 'Fn::Join': ['', ['gatekeeper-staging-', { Ref: 'AWS::AccountId' }]] });
    expect(domains[0]!.Properties!.UserPoolId).toEqual({ Ref: s.logicalId(s.stack.userPool!) });
  });
});

describe('the sign-in function', () => {
  it('is told the Cognito domain and the client, and verifies ID tokens of this pool', () => {
    const fn = resources[s.logicalId(s.stack.functions.get('sign-in')!.function)]!;
    const env = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    const domainId = Object.keys(resourcesOf(s.template, 'AWS::Cognito::UserPoolDomain'))[0]!;
    expect(JSON.stringify(env.SIGN_IN_DOMAIN_URL)).toContain(`"Ref":"${domainId}"`);
    expect(JSON.stringify(env.SIGN_IN_DOMAIN_URL)).toContain('.amazoncognito.com');
    expect(env.JWT_AUDIENCE).toEqual({ Ref: s.logicalId(s.stack.userPoolClient!) });
    expect(env.JWT_ISSUER).toEqual({ 'Fn::GetAtt': [s.logicalId(s.stack.userPool!), 'ProviderURL'] });
  });

  it('may not touch DynamoDB', () => {
    const statements = statementsOfRole(s.template, s.logicalId(s.stack.functions.get('sign-in')!.role));
    expect(statements.flatMap((st) => asArray(st.Action)).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });
});

describe('signInDomainPrefix', () => {
  it('accepts what Cognito accepts and refuses the rest', () => {
    expect(checkDomainPrefix('haidian-gatekeeper')).toBe('haidian-gatekeeper');
    for (const bad of ['', '-lead', 'trail-', 'Upper', 'under_score', 'my-aws-login', 'amazon1', 'cognito-x', 'a'.repeat(64)]) {
      expect(() => checkDomainPrefix(bad), bad).toThrow(/signInDomainPrefix/);
    }
  });

  it('names the domain when given', () => {
    const named = synthesize({ context: { signInDomainPrefix: 'haidian-gatekeeper' } });
    try {
      named.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'haidian-gatekeeper' });
    } finally {
      named.cleanup();
    }
  });
});
