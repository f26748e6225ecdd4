import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createReportsApp } from './app.tsx';

export const handler = lambdaEntry(createReportsApp(lambdaDeps()));
