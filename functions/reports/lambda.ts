import type { ReportOptions } from '#shared/services/reports/index.ts';
import { reportJobEventOf } from '#shared/services/reports/job-event.ts';
import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';

const deps = lambdaDeps();
// the report services (and the options they read from the environment) load with the first request or job, not at cold start
const services = () => import('#shared/services/reports/index.ts');
let options: Promise<ReportOptions> | undefined;
const reports = () => {
  options ??= services()
    .then((s) => s.reportOptionsFromEnv())
    .catch((error: unknown) => {
      options = undefined;
      throw error;
    });
  return options;
};

// API Gateway requests go to the app (built with the first request); a report job event (the function
// invoking itself, see shared/services/reports/runner-lambda.ts) runs that job to completion in this invocation.
export const handler = lambdaEntry([{ load: async () => (await import('./app.tsx')).createReportsApp(deps, await reports()) }], (event) => {
  const job = reportJobEventOf(event);
  return job ? Promise.all([services(), reports()]).then(([s, r]) => s.runReportJob(deps.db, r.storage, job.reportJobId, deps.now)) : null;
});
