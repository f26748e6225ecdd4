import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { EVALUATION_PAGE_PREFIXES } from '../page-prefixes.ts';

const deps = lambdaDeps();

// the pages are built with the first request under their prefixes, the API with the first other request
export const handler = lambdaEntry([
  { prefixes: EVALUATION_PAGE_PREFIXES, load: () => import('./pages/routes.ts').then((pages) => pages.createEvaluationPages(deps)) },
  { load: () => import('./app.ts').then((api) => api.createEvaluationApp(deps)) },
]);
