/**
 * Every Lambda function: its folder under functions/ and the factory of its hono app.
 * The local server mounts them all except the deployedOnly ones; infra/ deploys one Lambda per
 * entry and routes each of the app's paths to it; the authorization matrix test walks what the
 * local server mounts.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '#shared/deps.ts';
import type { ApiEnv } from '#shared/http/api.ts';
import { createContractsApp } from './contracts/app.ts';
import { createEvaluationApp } from './evaluation/app.ts';
import { registerEvaluationPages } from './evaluation/pages/routes.ts';
import { createFinanceApp } from './finance/app.tsx';
import { settlementJobRunner } from './finance/job-runner.ts';
import { registerFinancePageRoutes } from './finance/pages/routes.tsx';
import { createReportsApp } from './reports/app.tsx';
import { createInstitutionDataApp } from './institution-data/app.ts';
import { createRegistryApp } from './registry/app.ts';
import { createResidentApp } from './resident/app.tsx';
import { createSignInApp } from './sign-in/app.tsx';
import { createSurveysApp } from './surveys/app.ts';

export interface FunctionEntry {
  /** folder name under functions/, also the Lambda's logical name */
  name: string;
  createApp: (deps: Deps) => OpenAPIHono<ApiEnv>;
  /** deployed only: `npm start` serves a local stand-in on the same paths (local/dev-auth.ts) and does not mount it */
  deployedOnly?: true;
}

/** A function's API and its pages, which its Lambda loads lazily (functions/lambda-entry.ts `pages`), in one app. */
function withPages(app: OpenAPIHono<ApiEnv>, deps: Deps, register: (app: OpenAPIHono<ApiEnv>, deps: Deps) => void): OpenAPIHono<ApiEnv> {
  register(app, deps);
  return app;
}

export const functionCatalog: FunctionEntry[] = [
  { name: 'registry', createApp: createRegistryApp },
  { name: 'contracts', createApp: createContractsApp },
  { name: 'resident', createApp: createResidentApp },
  { name: 'surveys', createApp: createSurveysApp },
  { name: 'evaluation', createApp: (deps) => withPages(createEvaluationApp(deps), deps, registerEvaluationPages) },
  { name: 'institution-data', createApp: createInstitutionDataApp },
  {
    name: 'finance',
    createApp: (deps) => {
      const jobs = settlementJobRunner(deps);
      return withPages(createFinanceApp(deps, { settlementJobs: jobs }), deps, (app) => registerFinancePageRoutes(app, deps, jobs));
    },
  },
  { name: 'reports', createApp: createReportsApp },
  { name: 'sign-in', createApp: createSignInApp, deployedOnly: true },
];
