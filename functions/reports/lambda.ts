import { reportJobEventOf, reportOptionsFromEnv, runReportJob } from '#shared/services/reports/index.ts';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createReportsApp } from './app.tsx';

const deps = lambdaDeps();
const reports = reportOptionsFromEnv();

// API Gateway requests go to the app; a report job event (the function invoking itself, see
// shared/services/reports/runner-lambda.ts) runs that job to completion in this invocation.
export const handler = lambdaEntry(createReportsApp(deps, reports), (event) => {
  const job = reportJobEventOf(event);
  return job ? runReportJob(deps.db, reports.storage, job.reportJobId, deps.now) : null;
});
