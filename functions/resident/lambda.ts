import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createResidentApp } from './app.ts';

export const handler = lambdaEntry(createResidentApp(lambdaDeps()));
