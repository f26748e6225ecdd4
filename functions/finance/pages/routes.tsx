/**
 * The finance function's pages, all under FINANCE_PAGE_PREFIXES (functions/page-prefixes.ts): the catalog's app
 * registers them after the API (functions/catalog.ts), the deployed function with the first
 * request under those prefixes (../lambda.ts), so that their modules are not loaded at its cold start.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, createApiApp } from '#shared/http/api.ts';
import type { SettlementJobRunner } from '#shared/services/settlements-job-event.ts';
import { registerFinancePages } from '../finance-pages-routes.tsx';
import { createFinanceHomePages } from './home-routes.tsx';
import { registerSettlementJobPage } from './settlement-job-routes.tsx';
import { registerSettlementPages } from './settlement-routes.tsx';

/** `jobs`: where the settlement jobs the forms start run, the same runner as the API's */
export function registerFinancePageRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps, jobs: SettlementJobRunner): void {
  registerFinancePages(app, deps);
  registerSettlementJobPage(app, deps);
  app.route('/', createFinanceHomePages(deps));
  registerSettlementPages(app, deps, jobs);
}

/** The pages alone, as the deployed function builds them. */
export function createFinancePages(deps: Deps, jobs: SettlementJobRunner): OpenAPIHono<ApiEnv> {
  const app = createApiApp();
  registerFinancePageRoutes(app, deps, jobs);
  return app;
}
