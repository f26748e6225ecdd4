/** The pure parts of the infra: hono paths to API Gateway routes, and context parsing. */
import { describe, expect, it } from 'vitest';
import { functionCatalog } from '../../functions/catalog.ts';
import { DEFAULT_THROTTLE, readConfig } from '../../infra/config.ts';
import { catalogRoutes, functionRoutes, synthDeps, toApiGatewayPath } from '../../infra/function-routes.ts';

describe('toApiGatewayPath', () => {
  it('turns hono parameters into API Gateway ones', () => {
    expect(toApiGatewayPath('/health')).toBe('/health');
    expect(toApiGatewayPath('/contracts/:contractId/renew')).toBe('/contracts/{contractId}/renew');
    expect(toApiGatewayPath('/teams/:teamId{[a-z0-9-]+}')).toBe('/teams/{teamId}');
    expect(toApiGatewayPath('/files/*')).toBe('/files/{proxy+}');
  });

  it('refuses what API Gateway cannot express', () => {
    expect(() => toApiGatewayPath('/a/:id?')).toThrow(/Optional/);
    expect(() => toApiGatewayPath('/a/*/b')).toThrow(/Wildcard/);
  });
});

describe('function routes', () => {
  const routes = catalogRoutes(functionCatalog);

  it('reads every function app, without duplicates across functions', () => {
    expect([...routes.keys()]).toEqual(functionCatalog.map((f) => f.name));
    const keys = [...routes.values()].flat().map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).not.toMatch(/:/);
  });

  it("makes public only what the OpenAPI document marks x-roles ['public']", () => {
    const registry = routes.get('registry')!;
    expect(registry.find((r) => r.path === '/health')).toEqual({ method: 'GET', path: '/health', isPublic: true, isPage: false, headers: [] });
    expect(registry.find((r) => r.method === 'POST' && r.path === '/districts')?.isPublic).toBe(false);
    for (const [name, list] of routes) {
      const entry = functionCatalog.find((f) => f.name === name)!;
      const doc = entry.createApp(synthDeps()).getOpenAPI31Document({ openapi: '3.1.0', info: { title: name, version: '1' } }) as unknown as {
        paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
      };
      for (const route of list) {
        expect(route.isPublic, `${name} ${route.method} ${route.path}`).toBe(
          doc.paths[route.path]?.[route.method.toLowerCase()]?.['x-roles']?.includes('public') ?? false,
        );
      }
    }
  });

  it('treats signed-in routes answering HTML as pages (cookie sign-in), and nothing else', () => {
    for (const [name, list] of routes) {
      const entry = functionCatalog.find((f) => f.name === name)!;
      const doc = entry.createApp(synthDeps()).getOpenAPI31Document({ openapi: '3.1.0', info: { title: name, version: '1' } }) as unknown as {
        paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
      };
      for (const route of list) {
        const responses = Object.values(doc.paths[route.path]?.[route.method.toLowerCase()]?.responses ?? {});
        const html = responses.some((r) => Object.keys(r.content ?? {}).includes('text/html'));
        expect(route.isPage, `${name} ${route.method} ${route.path}`).toBe(html && !route.isPublic);
      }
    }
  });

  it('fails when two functions declare the same route', () => {
    const registry = functionCatalog.find((f) => f.name === 'registry')!;
    expect(() => catalogRoutes([registry, { ...registry, name: 'copy' }])).toThrow(/GET \/health is declared by both registry and copy/);
  });

  it('builds apps with inert deps: anything that would reach AWS throws', async () => {
    const deps = synthDeps();
    expect(() => deps.db.doc.send).toThrow(/not available while synthesizing/);
    await expect(deps.residentKeyer()).rejects.toThrow(/pepper/);
    expect(functionRoutes(functionCatalog[0]!, deps).length).toBeGreaterThan(0);
  });
});

describe('readConfig', () => {
  const read = (context: Record<string, unknown>) => readConfig((key) => context[key]);

  it('defaults to a dev stage without CORS or alarm e-mail', () => {
    expect(read({})).toEqual({ stage: 'dev', allowedOrigins: [], throttle: DEFAULT_THROTTLE, identity: { kind: 'cognito' } });
  });

  it('parses origins, e-mail and throttling', () => {
    expect(
      read({
        stage: 'prod',
        allowedOrigins: ' https://a.example.cn, http://localhost:5173 ',
        alarmEmail: 'ops@example.cn',
        throttleRate: '20',
        throttleBurst: 40,
      }),
    ).toEqual({
      stage: 'prod',
      allowedOrigins: ['https://a.example.cn', 'http://localhost:5173'],
      alarmEmail: 'ops@example.cn',
      throttle: { rateLimit: 20, burstLimit: 40 },
      identity: { kind: 'cognito' },
    });
  });

  it('reads an external OpenID Connect issuer, its audience and claim names', () => {
    expect(
      read({
        region: 'cn-north-1',
        oidcIssuer: 'https://idaas.example.cn/oidc/',
        oidcAudience: 'gk-web, gk-api',
        oidcRoleClaim: 'realm_access.roles',
        oidcDistrictClaim: 'gk_district',
      }),
    ).toMatchObject({
      region: 'cn-north-1',
      identity: {
        kind: 'oidc',
        issuer: 'https://idaas.example.cn/oidc',
        audience: ['gk-web', 'gk-api'],
        claims: { role: 'realm_access.roles', districtId: 'gk_district', institutionId: 'institutionId', residentRef: 'residentRef' },
      },
    });
  });

  it('requires an external issuer where Cognito does not exist, and refuses half an OIDC configuration', () => {
    expect(() => read({ region: 'cn-north-1' })).toThrow(/Cognito user pools do not exist in cn-north-1.*oidcIssuer/);
    expect(() => read({ region: 'cn-northwest-1' })).toThrow(/cn-northwest-1/);
    expect(read({ region: 'eu-west-1' }).identity).toEqual({ kind: 'cognito' });
    expect(() => read({ oidcIssuer: 'https://idp.example.cn' })).toThrow(/oidcAudience/);
    expect(() => read({ oidcAudience: 'x' })).toThrow(/needs "oidcIssuer"/);
    expect(() => read({ oidcIssuer: 'http://idp.example.cn', oidcAudience: 'x' })).toThrow(/https/);
    expect(() => read({ oidcIssuer: 'https://idp.example.cn', oidcAudience: 'x', oidcRoleClaim: 'a b' })).toThrow(/oidcRoleClaim/);
    expect(() => read({ region: 'beijing' })).toThrow(/region/);
  });

  it('rejects nonsense', () => {
    expect(() => read({ stage: 'Prod' })).toThrow(/stage/);
    expect(() => read({ allowedOrigins: '*' })).toThrow(/allowedOrigins/);
    expect(() => read({ allowedOrigins: 'http://example.cn' })).toThrow(/https/);
    expect(() => read({ alarmEmail: 'nobody' })).toThrow(/alarmEmail/);
    expect(() => read({ throttleRate: '0' })).toThrow(/throttleRate/);
  });
});
