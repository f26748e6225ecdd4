/**
 * The evaluation function's pages and the public results page, all under
 * EVALUATION_PAGE_PREFIXES (functions/page-prefixes.ts): the catalog's app registers them after the API
 * (functions/catalog.ts), the deployed function with the first request under those prefixes
 * (../lambda.ts), so that their modules are not loaded at its cold start.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, createApiApp } from '#shared/http/api.ts';
import { registerPublicResults } from '../public-results.tsx';
import { registerClerkAppealPages } from './clerk-appeal-routes.tsx';
import { createClerkResultPages } from './clerk-routes.tsx';
import { registerPeriodPages } from './period-routes.tsx';
import { registerEvaluatorPages } from './register.tsx';

export function registerEvaluationPages(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  registerPublicResults(app, deps);
  registerPeriodPages(app, deps);
  registerEvaluatorPages(app, deps);
  registerClerkAppealPages(app, deps);
  app.route('/', createClerkResultPages(deps));
}

/** The pages alone, as the deployed function builds them. */
export function createEvaluationPages(deps: Deps): OpenAPIHono<ApiEnv> {
  const app = createApiApp();
  registerEvaluationPages(app, deps);
  return app;
}
