/**
 * The one way a function becomes a Lambda handler: hono's API Gateway adapter (or a task
 * handler) wrapped in middy for Lambda-level concerns: Powertools' Logger gets the invocation's
 * context, so every log line carries its request id, and the metrics the invocation recorded
 * are sent as one EMF line at its end (shared/observability/telemetry.ts). The access log line
 * carries method, route, status and duration only; bodies (which may hold identity numbers) are
 * never logged.
 *
 * A function that also runs work in invocations of its own (the reports function's jobs, which
 * it starts by invoking itself asynchronously) passes `background`: given the event, it returns
 * the work's promise when the event is such work, or null for an API Gateway request.
 *
 * A deployed function builds its routes when a request first needs them, not at cold start: it
 * passes groups of lazily built routes (`LazyRoutes`), e.g. its pages under their path prefixes
 * and its API for every other path. Each group's modules (route schemas, handlers, texts, the
 * page kit) load with the first request to it, into an app of its own that answers its requests
 * (the same error mapper and 404; the security headers come from the root as for every
 * response). The catalog's app (functions/catalog.ts: local server, tests, infra) registers
 * everything eagerly, in the same order; a test holds page prefixes to exactly the page routes
 * (test/infra/lazy-pages.test.ts).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { type Handler, Hono } from 'hono';
import { defaultIsContentTypeBinary, handle } from 'hono/aws-lambda';
import type { ApiEnv } from '#shared/http/api.ts';
import { notFoundRoute, onError } from '#shared/http/on-error.ts';
import { securityHeaders } from '#shared/web/security-headers.ts';
import { flushMetrics, logger } from '#shared/observability/telemetry.ts';

export type BackgroundWork = (event: unknown) => Promise<unknown> | null;

/** Routes a deployed function builds with the first request that needs them. */
export interface LazyRoutes {
  /** path prefixes ('/evaluator') under which there are only these routes, and all of them; none: every path no group before took */
  prefixes?: readonly string[];
  /** imports the routes' modules and builds their app */
  load: () => Promise<Hono<ApiEnv>>;
}

/** Answers from the group's app, built on first use (again after a failed import). */
function lazyHandler(group: LazyRoutes): Handler<ApiEnv> {
  let app: Promise<Hono<ApiEnv>> | undefined;
  const built = () => {
    app ??= group.load().catch((error: unknown) => {
      app = undefined;
      throw error;
    });
    return app;
  };
  return async (c) => (await built()).fetch(c.req.raw, c.env);
}

/** Logger context in, metrics out: around every invocation, whatever its event. */
function observed<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>(handler).use({
    before: (request) => {
      logger.addContext(request.context);
    },
    after: () => flushMetrics(),
    onError: () => flushMetrics(),
  });
}

/** A task Lambda (Step Functions task, schedule target): the same logging and metrics as the HTTP functions. */
export function taskEntry<E, R>(handler: (event: E) => Promise<R>) {
  return observed<E, R>((event) => handler(event));
}

/** `routes`: the function's app, or its groups of lazily built routes (those with prefixes first). */
export function lambdaEntry(routes: Hono<ApiEnv> | readonly LazyRoutes[], background?: BackgroundWork) {
  // CSV reports start with a byte-order mark (Excel on Chinese Windows needs it); a text body would lose it
  const isContentTypeBinary = (type: string) => defaultIsContentTypeBinary(type) || type.startsWith('text/csv');
  // the function app under a root that adds the security headers to every response (404s and errors too)
  const root = new Hono<ApiEnv>();
  root.use('*', securityHeaders());
  root.onError(onError);
  root.notFound(notFoundRoute);
  if (routes instanceof Hono) root.route('/', routes);
  else {
    for (const group of routes) {
      const toGroup = lazyHandler(group);
      if (group.prefixes) for (const prefix of group.prefixes) root.all(prefix, toGroup).all(`${prefix}/*`, toGroup);
      else root.all('*', toGroup);
    }
  }
  const handler = handle(root, { isContentTypeBinary }) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
  return observed<APIGatewayProxyEventV2, APIGatewayProxyResultV2 | undefined>(async (event, context) => {
    const startedAt = Date.now();
    const work = background?.(event);
    if (work) {
      await work;
      logger.info('background work done', { ms: Date.now() - startedAt });
      return undefined;
    }
    const result = (await handler(event, context)) as { statusCode?: number } | undefined;
    logger.info('request', { method: event.requestContext?.http?.method, route: event.routeKey, status: result?.statusCode, ms: Date.now() - startedAt });
    return result as APIGatewayProxyResultV2;
  });
}
