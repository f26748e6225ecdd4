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
 */
import middy from '@middy/core';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { defaultIsContentTypeBinary, handle } from 'hono/aws-lambda';
import type { ApiEnv } from '#shared/http/api.ts';
import { flushMetrics, logger } from '#shared/observability/telemetry.ts';

export type BackgroundWork = (event: unknown) => Promise<unknown> | null;

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

export function lambdaEntry(app: OpenAPIHono<ApiEnv>, background?: BackgroundWork) {
  // CSV reports start with a byte-order mark (Excel on Chinese Windows needs it); a text body would lose it
  const isContentTypeBinary = (type: string) => defaultIsContentTypeBinary(type) || type.startsWith('text/csv');
  const handler = handle(app, { isContentTypeBinary }) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
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
