/**
 * The HTTP API routes of a function, read from its hono app: adding a route or a function
 * needs no infra change. The app is built with inert deps (nothing connects at construction;
 * anything that would touch AWS throws). From each route's OpenAPI operation:
 * - public: `x-roles: ['public']`; no authorizer.
 * - page: a signed-in route answering HTML (text/html responses). Browsers sign in to pages
 *   with the gk_token cookie (shared/http/api.ts), which API Gateway's JWT authorizer cannot
 *   read (it takes a bare token from one header), so the function's own token check (the
 *   same JWKS, issuer and audience) is the only one; no API Gateway authorizer.
 * - everything else, documented or not: the Cognito JWT authorizer, then the function's check.
 */
import type { FunctionEntry } from '../functions/catalog.ts';
import type { Deps } from '#shared/deps.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethodName = (typeof HTTP_METHODS)[number];

export interface FunctionRoute {
  method: HttpMethodName;
  /** API Gateway form: /contracts/{contractId} */
  path: string;
  isPublic: boolean;
  /** a signed-in HTML page, authenticated by the function (cookie or bearer), not by API Gateway */
  isPage: boolean;
  /** request headers the operation declares (OpenAPI `in: header`), lower-case: CORS must allow them */
  headers: string[];
}

function inert(what: string): never {
  throw new Error(`${what} is not available while synthesizing the infrastructure`);
}

/** Deps for building an app only to read its routes. */
export function synthDeps(): Deps {
  const doc = new Proxy({}, { get: (_target, property) => inert(`DynamoDB client (${String(property)})`) });
  return {
    db: { doc: doc as Deps['db']['doc'], tableName: 'synth-only' },
    verifyToken: async () => inert('Token verification'),
    residentKeyer: async () => inert('The identity-number pepper'),
    now: () => new Date(0),
    launchEvaluation: async () => inert('Starting an evaluation'),
  };
}

/** hono path → API Gateway path: `/:id` → `/{id}`, `/:id{[0-9]+}` → `/{id}`, trailing `*` → `{proxy+}`. */
export function toApiGatewayPath(honoPath: string): string {
  const segments = honoPath.split('/').map((segment, index, all) => {
    if (segment.startsWith(':')) {
      const name = segment.slice(1).replace(/\{.*\}$/, '');
      if (name.endsWith('?')) throw new Error(`Optional path parameter in "${honoPath}" has no API Gateway equivalent; declare two routes`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Unsupported path parameter "${segment}" in "${honoPath}"`);
      return `{${name}}`;
    }
    if (segment === '*') {
      if (index !== all.length - 1) throw new Error(`Wildcard must be the last segment: "${honoPath}"`);
      return '{proxy+}';
    }
    if (segment.includes('*') || segment.includes(':')) throw new Error(`Unsupported path segment "${segment}" in "${honoPath}"`);
    return segment;
  });
  return segments.join('/') || '/';
}

type OpenApiOperation = {
  'x-roles'?: unknown;
  parameters?: { in?: string; name?: string }[];
  responses?: Record<string, { content?: Record<string, unknown> } | undefined>;
};
type OpenApiDocument = { paths?: Record<string, Record<string, OpenApiOperation | undefined> | undefined> };

export function functionRoutes(entry: FunctionEntry, deps: Deps = synthDeps()): FunctionRoute[] {
  const app = entry.createApp(deps);
  const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: entry.name, version: '1' } }) as OpenApiDocument;
  const routes = new Map<string, FunctionRoute>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL') continue; // middleware registered with app.use()
    if (!(HTTP_METHODS as readonly string[]).includes(method)) throw new Error(`Function ${entry.name}: unsupported method ${method} on ${path}`);
    const apiPath = toApiGatewayPath(path);
    const operation = doc.paths?.[apiPath]?.[method.toLowerCase()];
    const roles = operation?.['x-roles'];
    const isPublic = Array.isArray(roles) && roles.includes('public');
    const isHtml = Object.values(operation?.responses ?? {}).some((response) =>
      Object.keys(response?.content ?? {}).some((type) => type.startsWith('text/html')),
    );
    const headers = (operation?.parameters ?? []).filter((p) => p.in === 'header' && p.name).map((p) => p.name!.toLowerCase());
    routes.set(`${method} ${apiPath}`, { method: method as HttpMethodName, path: apiPath, isPublic, isPage: isHtml && !isPublic, headers });
  }
  if (routes.size === 0) throw new Error(`Function ${entry.name} declares no routes`);
  return [...routes.values()];
}

/** Every function's routes; two functions claiming the same method and path is an error. */
export function catalogRoutes(catalog: readonly FunctionEntry[]): Map<string, FunctionRoute[]> {
  const owner = new Map<string, string>();
  const result = new Map<string, FunctionRoute[]>();
  for (const entry of catalog) {
    const routes = functionRoutes(entry);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const previous = owner.get(key);
      if (previous) throw new Error(`Route ${key} is declared by both ${previous} and ${entry.name}`);
      owner.set(key, entry.name);
    }
    result.set(entry.name, routes);
  }
  return result;
}
