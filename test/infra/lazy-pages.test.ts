/**
 * The finance and evaluation Lambdas load their pages with the first request under the pages'
 * path prefixes (functions/page-prefixes.ts, functions/lambda-entry.ts), into an app of their own. That is the same
 * set of routes as the catalog's app only if the prefixes hold every page route and no API route.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { functionCatalog } from '../../functions/catalog.ts';
import { createEvaluationApp } from '../../functions/evaluation/app.ts';
import { createFinanceApp } from '../../functions/finance/app.tsx';
import { settlementJobRunner } from '../../functions/finance/job-runner.ts';
import { createFinancePages } from '../../functions/finance/pages/routes.tsx';
import { createEvaluationPages } from '../../functions/evaluation/pages/routes.ts';
import { EVALUATION_PAGE_PREFIXES, FINANCE_PAGE_PREFIXES } from '../../functions/page-prefixes.ts';
import { synthDeps } from '../../infra/function-routes.ts';
import type { ApiEnv } from '#shared/http/api.ts';

const routesOf = (app: OpenAPIHono<ApiEnv>) => new Set(app.routes.map((r) => `${r.method} ${r.path}`));
const underAny = (route: string, prefixes: readonly string[]) => {
  const path = route.slice(route.indexOf(' ') + 1);
  return prefixes.some((p) => path === p || path.startsWith(`${p}/`));
};

describe.each([
  { name: 'evaluation', api: createEvaluationApp, pages: createEvaluationPages, prefixes: EVALUATION_PAGE_PREFIXES },
  {
    name: 'finance',
    api: createFinanceApp,
    pages: (deps: ReturnType<typeof synthDeps>) => createFinancePages(deps, settlementJobRunner(deps)),
    prefixes: FINANCE_PAGE_PREFIXES,
  },
])('$name: pages under their prefixes', ({ name, api, pages: createPages, prefixes }) => {
  const full = routesOf(functionCatalog.find((f) => f.name === name)!.createApp(synthDeps()));
  const apiOnly = routesOf(api(synthDeps()));

  it('has no API route under a page prefix', () => {
    expect([...apiOnly].filter((r) => underAny(r, prefixes))).toEqual([]);
  });

  it('has every other route of the catalog app, and only those, under the prefixes', () => {
    const pages = [...full].filter((r) => !apiOnly.has(r));
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.filter((r) => !underAny(r, prefixes))).toEqual([]);
    expect([...apiOnly].filter((r) => !full.has(r))).toEqual([]);
  });

  it('builds, as the deployed function does, exactly the page routes of the catalog app', () => {
    const pages = [...full].filter((r) => !apiOnly.has(r)).sort();
    expect([...routesOf(createPages(synthDeps()))].sort()).toEqual(pages);
  });
});
