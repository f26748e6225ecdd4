import { settlementJobEventOf } from '#shared/services/settlements-job-event.ts';
import { jobsFunctionFromEnv, selfInvokeSettlementRunner } from '#shared/services/settlements-job-runners.ts';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createFinanceApp } from './app.tsx';

const deps = lambdaDeps();
const jobsFunction = jobsFunctionFromEnv();

// API Gateway requests go to the app; a settlement job event (the function invoking itself, see
// shared/services/settlements-job-runners.ts) computes that job to completion in this invocation.
export const handler = lambdaEntry(
  createFinanceApp(deps, jobsFunction ? { settlementJobs: selfInvokeSettlementRunner({ functionName: jobsFunction }) } : {}),
  (event) => {
    const job = settlementJobEventOf(event);
    return job ? import('#shared/services/settlements-job-run.ts').then((jobs) => jobs.runSettlementJob(deps, job.settlementJobId)) : null;
  },
);
