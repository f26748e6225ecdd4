import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createEvaluationApp, EVALUATION_PAGE_PREFIXES } from './app.ts';

const deps = lambdaDeps();

// the pages load with the first request under their prefixes, not at cold start
export const handler = lambdaEntry(createEvaluationApp(deps), undefined, {
  prefixes: EVALUATION_PAGE_PREFIXES,
  load: () =>
    import('./pages/routes.ts').then(
      ({ registerEvaluationPages }) =>
        (app) =>
          registerEvaluationPages(app, deps),
    ),
});
