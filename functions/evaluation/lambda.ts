import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createEvaluationApp } from './app.ts';

export const handler = lambdaEntry(createEvaluationApp(lambdaDeps()));
