/**
 * The local server: every function app mounted on one hono app (the same code the Lambdas
 * run), plus what only exists locally: the dev-token route, /openapi.json and /docs with
 * Swagger UI served from the installed swagger-ui-dist package.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { functionCatalog } from '../functions/catalog.ts';
import type { Deps } from '#shared/deps.ts';
import type { ApiEnv } from '#shared/http/api.ts';
import { notFoundRoute, onError } from '#shared/http/on-error.ts';
import { type DevAuth, devAuthRoutes } from './dev-auth.ts';

const swaggerDir = dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));
const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui-standalone-preset.js': 'text/javascript',
};

export function createLocalApp(deps: Deps, auth: DevAuth): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();
  app.onError(onError);
  app.notFound(notFoundRoute);
  for (const fn of functionCatalog) if (!fn.deployedOnly) app.route('/', fn.createApp(deps));
  app.route('/', devAuthRoutes(deps, auth));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Gatekeeper API',
      version: '0.1.0',
      description: 'Quality evaluation and incentive payments for family-doctor teams. `x-roles` on each operation lists who may call it.',
    },
  });

  app.get('/docs', (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatekeeper API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });</script>
</body></html>`),
  );
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = Object.hasOwn(SWAGGER_FILES, file) ? SWAGGER_FILES[file] : undefined; // not __proto__, constructor…
    if (!type) return notFoundRoute(c);
    return c.body(await readFile(join(swaggerDir, file)), 200, { 'content-type': type, 'cache-control': 'max-age=3600' });
  });
  return app;
}
