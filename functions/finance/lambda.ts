import { settlementJobEventOf } from '#shared/services/settlements-job-event.ts';
import { jobsFunctionFromEnv, selfInvokeSettlementRunner } from '#shared/services/settlements-job-runners.ts';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { FINANCE_PAGE_PREFIXES } from '../page-prefixes.ts';
import { settlementJobRunner } from './job-runner.ts';

const deps = lambdaDeps();
const jobsFunction = jobsFunctionFromEnv();
const jobs = settlementJobRunner(deps, jobsFunction ? { settlementJobs: selfInvokeSettlementRunner({ functionName: jobsFunction }) } : {});

// API Gateway requests go to the pages (built with the first request under their prefix) or the API
// (built with the first other request); a settlement job event (the function invoking itself, see
// shared/services/settlements-job-runners.ts) computes that job to completion in this invocation.
export const handler = lambdaEntry(
  [
    { prefixes: FINANCE_PAGE_PREFIXES, load: () => import('./pages/routes.tsx').then((pages) => pages.createFinancePages(deps, jobs)) },
    { load: () => import('./app.tsx').then((api) => api.createFinanceApp(deps, { settlementJobs: jobs })) },
  ],
  (event) => {
    const job = settlementJobEventOf(event);
    return job ? import('#shared/services/settlements-job-run.ts').then((jobs) => jobs.runSettlementJob(deps, job.settlementJobId)) : null;
  },
);
