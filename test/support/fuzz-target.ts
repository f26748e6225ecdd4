/**
 * What the route fuzzer aims at and watches: the operations of /openapi.json, a tracker of the
 * DynamoDB writes a request attempts, an exact item count of the table, and the checks every
 * response must pass (no 5xx; errors as problem+json, or as an HTML page on page routes).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '#shared/data/db.ts';

export interface FuzzOperation {
  method: string;
  /** the OpenAPI path, e.g. /districts/{districtId}/teams */
  path: string;
  roles: string[];
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  /** request body media types declared (empty: no body declared) */
  bodyTypes: string[];
  /** a page route: answers (and may answer errors as) HTML */
  html: boolean;
}

interface OpenApiOperation {
  'x-roles'?: string[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

export function operationsOf(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): FuzzOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const parameters = op.parameters ?? [];
      const named = (where: string) => parameters.filter((p) => p.in === where).map((p) => p.name);
      const responseTypes = Object.values(op.responses ?? {}).flatMap((r) => Object.keys(r.content ?? {}));
      return {
        method: method.toUpperCase(),
        path,
        roles: op['x-roles'] ?? [],
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: named('query'),
        headerParams: named('header'),
        bodyTypes: Object.keys(op.requestBody?.content ?? {}),
        html: responseTypes.includes('text/html'),
      };
    }),
  );
}

const WRITE_COMMANDS = /^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)Command$/;

export interface WriteTracker {
  /** runs a request in its own context: commands it sends, and background work it starts, are its own */
  run: <T>(fn: () => Promise<T>) => Promise<{ result: T; origin: number }>;
  /** the write commands a request's context has sent so far (and forgets them) */
  take: (origin: number) => string[];
  /** waits until background work a request started (an in-process job) has no command in flight */
  settle: (origin: number) => Promise<void>;
}

/**
 * Records the write commands sent through a Db's client per request (reads pass unrecorded), by
 * AsyncLocalStorage, so writes of an in-process background job are charged to the request that
 * started it, not to whichever request happens to be running.
 */
export function trackWrites(db: Db): WriteTracker {
  const context = new AsyncLocalStorage<number>();
  const writes = new Map<number, string[]>();
  const inFlight = new Map<number, number>();
  const lastActivity = new Map<number, number>();
  let next = 0;
  db.doc.middlewareStack.add(
    (handler, handlerContext) => async (args) => {
      const origin = context.getStore() ?? -1;
      if (WRITE_COMMANDS.test(handlerContext.commandName ?? '')) writes.set(origin, [...(writes.get(origin) ?? []), handlerContext.commandName!]);
      inFlight.set(origin, (inFlight.get(origin) ?? 0) + 1);
      lastActivity.set(origin, Date.now());
      try {
        return await handler(args);
      } finally {
        inFlight.set(origin, (inFlight.get(origin) ?? 1) - 1);
        lastActivity.set(origin, Date.now());
      }
    },
    { step: 'initialize', name: 'fuzzWriteTracker', override: true },
  );
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    run: async (fn) => {
      const origin = next++;
      const result = await context.run(origin, fn);
      return { result, origin };
    },
    take: (origin) => {
      const taken = writes.get(origin) ?? [];
      writes.delete(origin);
      return taken;
    },
    settle: async (origin) => {
      await tick();
      await tick();
      if ((inFlight.get(origin) ?? 0) === 0) return;
      const deadline = Date.now() + 10_000;
      while ((inFlight.get(origin) ?? 0) > 0 || Date.now() - (lastActivity.get(origin) ?? 0) < 50) {
        if (Date.now() > deadline) throw new Error(`background work of request ${origin} did not settle`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** Every item of the table, counted with a paged Scan (a test may scan; request paths never do). */
export async function countItems(db: Db): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** What is wrong with a response, or null. */
/** What every response must carry (shared/web/security-headers.ts), or the first that is missing. */
export function securityHeaderProblem(response: Response): string | null {
  const csp = response.headers.get('content-security-policy') ?? '';
  if (!/frame-ancestors 'none'/.test(csp)) return `no Content-Security-Policy with frame-ancestors 'none' (got "${csp}")`;
  const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1] ?? '';
  if (scripts.includes("'unsafe-inline'") || scripts.includes("'unsafe-eval'")) return `the CSP lets inline script run: ${csp}`;
  if (response.headers.get('x-content-type-options') !== 'nosniff') return 'no X-Content-Type-Options: nosniff';
  if (!response.headers.get('referrer-policy')) return 'no Referrer-Policy';
  return null;
}

export async function responseProblem(op: Pick<FuzzOperation, 'html'>, response: Response): Promise<string | null> {
  const headers = securityHeaderProblem(response);
  if (headers) return `${response.status}: ${headers}`;
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (response.status >= 500) return `status ${response.status}: ${text.slice(0, 300)}`;
  if (/\n\s+at .+:\d+:\d+/.test(text) || text.includes('node_modules')) return `a stack trace leaked: ${text.slice(0, 300)}`;
  if (response.status < 400) {
    if (type.startsWith('application/json')) {
      try {
        JSON.parse(text);
      } catch {
        return `invalid JSON in a ${response.status}: ${text.slice(0, 200)}`;
      }
    }
    return null;
  }
  if (op.html && type.startsWith('text/html')) return null;
  if (type !== 'application/problem+json') return `error ${response.status} as ${type || 'no content type'}: ${text.slice(0, 200)}`;
  let body: { status?: unknown; type?: unknown; title?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `problem+json that is not JSON: ${text.slice(0, 200)}`;
  }
  if (body.status !== response.status) return `problem status ${String(body.status)} differs from ${response.status}`;
  if (typeof body.type !== 'string' || typeof body.title !== 'string') return `problem without type/title: ${text.slice(0, 200)}`;
  return null;
}

/** Object.prototype as it was at load: a request that pollutes it shows up as a new key. */
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

export function prototypePollution(): string | null {
  const added = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.has(k));
  const probe = {} as Record<string, unknown>;
  if (added.length > 0 || probe.polluted !== undefined || probe.isAdmin !== undefined) return `Object.prototype polluted: ${added.join(', ')}`;
  return null;
}
