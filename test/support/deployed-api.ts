/**
 * What API Gateway and the AWS services around the functions do, built from a synthesized
 * template, for the deployed-artefact test (test/integration/deployed-artefact.test.ts):
 * - `emulatedHttpApi`: the HTTP API's routes (route keys, `$default`, which function each
 *   integration invokes), its JWT authorizer (a route with one answers 401
 *   `{"message":"Unauthorized"}` itself unless the bearer token verifies against the issuer's
 *   keys, issuer and audience, as API Gateway does) and the payload-v2 events it sends,
 *   with the verified claims in requestContext.authorizer.jwt.claims.
 * - `fakeAwsEndpoints`: one loopback HTTP server playing the OpenID Connect issuer (discovery,
 *   JWKS), Secrets Manager's GetSecretValue (the pepper) and Step Functions' StartExecution
 *   (recorded, so the test can run the execution itself). The functions reach it through the
 *   SDK's AWS_ENDPOINT_URL_<SERVICE> variables; DynamoDB is DynamoDB Local the same way.
 * - `resolveCfn`: a template value (Ref, Fn::GetAtt, Fn::Join) with the physical values given.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWithJwks } from 'hono/jwt';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import type { LambdaWorker } from './lambda-workers.ts';

type CfnValue = unknown;
export type CfnResources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A template value with Refs and GetAtts replaced by `physical` (keys: logical id, or `id.Attribute`); anything else unresolved throws. */
export function resolveCfn(value: CfnValue, physical: Record<string, string>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') {
      const found = physical[v.Ref];
      if (found === undefined) throw new Error(`No physical value for Ref ${v.Ref}`);
      return found;
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [id, attribute] = v['Fn::GetAtt'] as [string, string];
      const found = physical[`${id}.${attribute}`];
      if (found === undefined) throw new Error(`No physical value for Fn::GetAtt ${id}.${attribute}`);
      return found;
    }
    if (Array.isArray(v['Fn::Join'])) {
      const [separator, parts] = v['Fn::Join'] as [string, CfnValue[]];
      return parts.map((part) => resolveCfn(part, physical)).join(separator);
    }
  }
  throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
}

export interface StartedExecution {
  stateMachineArn: string;
  name: string;
  input: unknown;
}

export interface FakeAws {
  url: string;
  /** the issuer's signing keys (public) */
  setKeys: (keys: HonoJsonWebKey[]) => void;
  executions: StartedExecution[];
  secretReads: string[];
  close: () => Promise<void>;
}

export async function fakeAwsEndpoints(options: { secretString: string }): Promise<FakeAws> {
  let keys: HonoJsonWebKey[] = [];
  const executions: StartedExecution[] = [];
  const secretReads: string[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const json = (status: number, body: unknown, type = 'application/json') => res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
      if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: url,
          jwks_uri: `${url}/jwks`,
          authorization_endpoint: `${url}/authorize`,
          token_endpoint: `${url}/token`,
          end_session_endpoint: `${url}/logout`,
        });
      }
      if (req.method === 'GET' && req.url === '/jwks') return json(200, { keys });
      const target = req.headers['x-amz-target'];
      if (req.method === 'POST' && target === 'secretsmanager.GetSecretValue') {
        const { SecretId } = JSON.parse(raw) as { SecretId: string };
        secretReads.push(SecretId);
        return json(200, { ARN: SecretId, Name: SecretId, SecretString: options.secretString, VersionId: 'v1' }, 'application/x-amz-json-1.1');
      }
      if (req.method === 'POST' && target === 'AWSStepFunctions.StartExecution') {
        const { stateMachineArn, name, input } = JSON.parse(raw) as { stateMachineArn: string; name: string; input: string };
        executions.push({ stateMachineArn, name, input: JSON.parse(input) });
        return json(
          200,
          { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, startDate: Date.now() / 1000 },
          'application/x-amz-json-1.0',
        );
      }
      json(404, { message: `fake AWS: nothing at ${req.method} ${req.url} (${String(target)})` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    setKeys: (k) => {
      keys = k;
    },
    executions,
    secretReads,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface GatewayRoute {
  routeKey: string;
  method: string;
  /** path segments; `{name}` a parameter */
  segments: string[];
  /** the logical id of the function its integration invokes */
  functionId: string;
  jwt?: { issuer: string; audience: string[] };
}

/** The HTTP API's routes as the template declares them. */
export function gatewayRoutes(resources: CfnResources, physical: Record<string, string>): GatewayRoute[] {
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const integrations = new Map(
    of('AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, (r.Properties!.IntegrationUri as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]]),
  );
  const authorizers = new Map(
    of('AWS::ApiGatewayV2::Authorizer').map(([id, r]) => {
      const config = r.Properties!.JwtConfiguration as { Issuer: CfnValue; Audience: CfnValue[] };
      return [id, { issuer: resolveCfn(config.Issuer, physical), audience: config.Audience.map((a) => resolveCfn(a, physical)) }];
    }),
  );
  return of('AWS::ApiGatewayV2::Route').map(([, r]) => {
    const p = r.Properties!;
    const routeKey = p.RouteKey as string;
    const integrationId = ((p.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1] as { Ref: string }).Ref;
    const [method, path] = routeKey === '$default' ? ['*', ''] : routeKey.split(' ');
    const authorizerId = (p.AuthorizerId as { Ref: string } | undefined)?.Ref;
    return {
      routeKey,
      method: method!,
      segments: path!.split('/').slice(1),
      functionId: integrations.get(integrationId)!,
      ...(p.AuthorizationType === 'JWT' ? { jwt: authorizers.get(authorizerId!)! } : {}),
    };
  });
}

/** API Gateway's choice: the matching route with the most literal segments, else `$default`. */
export function matchRoute(routes: GatewayRoute[], method: string, path: string): { route: GatewayRoute; pathParameters: Record<string, string> } | undefined {
  const parts = path.split('/').slice(1);
  let best: { route: GatewayRoute; pathParameters: Record<string, string>; literals: number } | undefined;
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const pathParameters: Record<string, string> = {};
    let literals = 0;
    const matches = route.segments.every((segment, i) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        if (parts[i] === '') return false;
        pathParameters[param[1]!] = decodeURIComponent(parts[i]!);
        return true;
      }
      literals += 1;
      return segment === parts[i];
    });
    if (matches && (!best || literals > best.literals)) best = { route, pathParameters, literals };
  }
  if (best) return best;
  const fallback = routes.find((r) => r.routeKey === '$default');
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

export interface HttpRequest {
  method: string;
  /** path and query, e.g. /districts/d1/teams?limit=5 */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  setCookies: string[];
  body: Buffer;
  /** who answered: a function's name, or `api-gateway` */
  answeredBy: string;
}

const HOST = 'api.gatekeeper.test';

/** How API Gateway passes JWT claims to the integration: every value as a string. */
function claimStrings(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );
}

export function emulatedHttpApi(options: {
  routes: GatewayRoute[];
  /** by function logical id */
  workers: Map<string, LambdaWorker>;
  /** the keys the issuer publishes */
  keys: () => HonoJsonWebKey[];
}) {
  let requestNumber = 0;
  return async function send(request: HttpRequest): Promise<HttpAnswer> {
    const url = new URL(request.url, `https://${HOST}`);
    const matched = matchRoute(options.routes, request.method, url.pathname);
    if (!matched) return gatewayAnswer(404, { message: 'Not Found' });
    const { route, pathParameters } = matched;
    const headers: Record<string, string> = {
      host: HOST,
      'x-forwarded-proto': 'https',
      ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
    let claims: Record<string, unknown> | undefined;
    if (route.jwt) {
      const authorization = headers.authorization ?? '';
      const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : authorization;
      try {
        claims = await verifyWithJwks(token, {
          keys: options.keys(),
          allowedAlgorithms: ['ES256', 'RS256'],
          verification: { iss: route.jwt.issuer, aud: route.jwt.audience },
        });
        if (typeof claims.exp !== 'number') throw new Error('API Gateway requires exp');
      } catch {
        return gatewayAnswer(401, { message: 'Unauthorized' });
      }
    }
    const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
    delete headers.cookie;
    requestNumber += 1;
    const event = {
      version: '2.0',
      routeKey: route.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(cookies ? { cookies } : {}),
      headers,
      ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
      ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'emulated',
        domainName: HOST,
        domainPrefix: 'api',
        http: {
          method: request.method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: headers['user-agent'] ?? 'deployed-artefact-test',
        },
        requestId: `req-${requestNumber}`,
        routeKey: route.routeKey,
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
        ...(claims ? { authorizer: { jwt: { claims: claimStrings(claims), scopes: null } } } : {}),
      },
      ...(request.body !== undefined ? { body: request.body } : {}),
      isBase64Encoded: false,
    };
    const worker = options.workers.get(route.functionId);
    if (!worker) throw new Error(`No worker for function ${route.functionId} (route ${route.routeKey})`);
    const result = (await worker.invoke(event)) as {
      statusCode: number;
      headers?: Record<string, string>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    return {
      status: result.statusCode,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
      setCookies: result.cookies ?? [],
      body: Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8'),
      answeredBy: worker.name,
    };
  };
}

function gatewayAnswer(status: number, body: unknown): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json' }, setCookies: [], body: Buffer.from(JSON.stringify(body)), answeredBy: 'api-gateway' };
}

/** The same request answered by an in-process hono app (the local server). */
export async function localAnswer(
  app: { request: (url: string, init: RequestInit) => Response | Promise<Response> },
  request: HttpRequest,
): Promise<HttpAnswer> {
  const response = await app.request(`https://${HOST}${request.url}`, {
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  return {
    status: response.status,
    headers,
    setCookies: response.headers.getSetCookie(),
    body: Buffer.from(await response.arrayBuffer()),
    answeredBy: 'local',
  };
}
