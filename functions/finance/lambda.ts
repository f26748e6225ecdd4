import { settlementJobEventOf } from '#shared/services/settlements-job-event.ts';
import { jobsFunctionFromEnv, selfInvokeSettlementRunner } from '#shared/services/settlements-job-runners.ts';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createFinanceApp, FINANCE_PAGE_PREFIXES, settlementJobRunner } from './app.tsx';

const deps = lambdaDeps();
const jobsFunction = jobsFunctionFromEnv();
const jobs = settlementJobRunner(deps, jobsFunction ? { settlementJobs: selfInvokeSettlementRunner({ functionName: jobsFunction }) } : {});

// API Gateway requests go to the app (its pages load with the first request under their prefix, not
// at cold start); a settlement job event (the function invoking itself, see
// shared/services/settlements-job-runners.ts) computes that job to completion in this invocation.
export const handler = lambdaEntry(
  createFinanceApp(deps, { settlementJobs: jobs }),
  (event) => {
    const job = settlementJobEventOf(event);
    return job ? import('#shared/services/settlements-job-run.ts').then((jobs) => jobs.runSettlementJob(deps, job.settlementJobId)) : null;
  },
  {
    prefixes: FINANCE_PAGE_PREFIXES,
    load: () =>
      import('./pages/routes.tsx').then(
        ({ registerFinancePageRoutes }) =>
          (app) =>
            registerFinancePageRoutes(app, deps, jobs),
      ),
  },
);
