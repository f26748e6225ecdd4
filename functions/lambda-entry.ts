/**
 * The one way a function app becomes a Lambda handler: hono's API Gateway adapter wrapped in
 * middy for Lambda-level concerns. The access log line carries method, route, status and
 * duration only; bodies (which may hold identity numbers) are never logged.
 */
import middy from '@middy/core';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { defaultIsContentTypeBinary, handle } from 'hono/aws-lambda';
import type { ApiEnv } from '#shared/http/api.ts';

export function lambdaEntry(app: OpenAPIHono<ApiEnv>) {
  // CSV reports start with a byte-order mark (Excel on Chinese Windows needs it); a text body would lose it
  const isContentTypeBinary = (type: string) => defaultIsContentTypeBinary(type) || type.startsWith('text/csv');
  const handler = handle(app, { isContentTypeBinary }) as (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(handler).use({
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
}
