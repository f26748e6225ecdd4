/**
 * The one way a function app becomes a Lambda handler: hono's API Gateway adapter wrapped in
 * middy for Lambda-level concerns. The access log line carries method, route, status and
 * duration only; bodies (which may hold identity numbers) are never logged.
 *
 * A function that also runs work in invocations of its own (the reports function's jobs, which
 * it starts by invoking itself asynchronously) passes `background`: given the event, it returns
 * the work's promise when the event is such work, or null for an API Gateway request.
 */
import middy from '@middy/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { defaultIsContentTypeBinary, handle } from 'hono/aws-lambda';
import type { ApiEnv } from '#shared/http/api.ts';
import { notFoundRoute, onError } from '#shared/http/on-error.ts';
import { securityHeaders } from '#shared/web/security-headers.ts';

export type BackgroundWork = (event: unknown) => Promise<unknown> | null;

export function lambdaEntry(app: OpenAPIHono<ApiEnv>, background?: BackgroundWork) {
  // CSV reports start with a byte-order mark (Excel on Chinese Windows needs it); a text body would lose it
  const isContentTypeBinary = (type: string) => defaultIsContentTypeBinary(type) || type.startsWith('text/csv');
  // the function app under a root that adds the security headers to every response (404s and errors too)
  const root = new OpenAPIHono<ApiEnv>();
  root.use('*', securityHeaders());
  root.onError(onError);
  root.notFound(notFoundRoute);
  root.route('/', app);
  const handler = handle(root, { isContentTypeBinary }) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
  const http = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(handler).use({
    before: (request) => {
      (request.internal as Record<string, unknown>).startedAt = Date.now();
    },
    after: (request) => {
      const result = request.response as { statusCode?: number } | undefined;
      console.log(
        JSON.stringify({
          level: 'info',
          requestId: request.context.awsRequestId,
          method: request.event.requestContext?.http?.method,
          route: request.event.routeKey,
          status: result?.statusCode,
          ms: Date.now() - Number((request.internal as Record<string, unknown>).startedAt),
        }),
      );
    },
  });
  if (!background) return http;
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyResultV2 | undefined> => {
    const work = background(event);
    if (!work) return http(event, context);
    const startedAt = Date.now();
    await work;
    console.log(JSON.stringify({ level: 'info', requestId: context.awsRequestId, background: true, ms: Date.now() - startedAt }));
    return undefined;
  };
}
