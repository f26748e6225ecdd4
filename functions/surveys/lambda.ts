import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createSurveysApp } from './app.ts';

export const handler = lambdaEntry(createSurveysApp(lambdaDeps()));
