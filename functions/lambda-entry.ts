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
 * A function whose pages live under path prefixes of their own passes `pages`: their route
 * modules (handlers, texts, forms, the page kit) load with the first request under one of the
 * prefixes instead of at cold start, into an app of their own that answers those requests (the
 * same error mapper and 404; the security headers come from the root as for every response). The
 * catalog's app (functions/catalog.ts: local server, tests, infra) registers them eagerly; a test
 * holds the prefixes to exactly the page routes (test/infra/lazy-pages.test.ts).
 */
import middy from '@middy/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Handler } from 'hono';
import { defaultIsContentTypeBinary, handle } from 'hono/aws-lambda';
import { type ApiEnv, createApiApp } from '#shared/http/api.ts';
import { notFoundRoute, onError } from '#shared/http/on-error.ts';
import { securityHeaders } from '#shared/web/security-headers.ts';
import { flushMetrics, logger } from '#shared/observability/telemetry.ts';

export type BackgroundWork = (event: unknown) => Promise<unknown> | null;

export interface LazyPages {
  /** path prefixes ('/evaluator') under which there are only page routes, and all of them */
  prefixes: readonly string[];
  /** imports the page routes' module; what it returns registers them on the app it is given */
  load: () => Promise<(app: OpenAPIHono<ApiEnv>) => void>;
}

/** The page routes' own app, built on first use (again after a failed import). */
function lazyPagesHandler(pages: LazyPages): Handler<ApiEnv> {
  let app: Promise<OpenAPIHono<ApiEnv>> | undefined;
  const pagesApp = () => {
    app ??= pages
      .load()
      .then((register) => {
        const built = createApiApp();
        register(built);
        return built;
      })
      .catch((error: unknown) => {
        app = undefined;
        throw error;
      });
    return app;
  };
  return async (c) => (await pagesApp()).fetch(c.req.raw, c.env);
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

export function lambdaEntry(app: OpenAPIHono<ApiEnv>, background?: BackgroundWork, pages?: LazyPages) {
  // CSV reports start with a byte-order mark (Excel on Chinese Windows needs it); a text body would lose it
  const isContentTypeBinary = (type: string) => defaultIsContentTypeBinary(type) || type.startsWith('text/csv');
  // the function app under a root that adds the security headers to every response (404s and errors too)
  const root = new OpenAPIHono<ApiEnv>();
  root.use('*', securityHeaders());
  root.onError(onError);
  root.notFound(notFoundRoute);
  if (pages) {
    const toPages = lazyPagesHandler(pages);
    for (const prefix of pages.prefixes) root.all(prefix, toPages).all(`${prefix}/*`, toPages);
  }
  root.route('/', app);
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
