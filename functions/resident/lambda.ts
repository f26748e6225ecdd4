import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';

const deps = lambdaDeps();

// the app (its route schemas, handlers and pages) is built with the first request, not at cold start
export const handler = lambdaEntry([{ load: () => import('./app.tsx').then((app) => app.createResidentApp(deps)) }]);
