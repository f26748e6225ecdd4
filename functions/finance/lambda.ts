import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createFinanceApp } from './app.tsx';

export const handler = lambdaEntry(createFinanceApp(lambdaDeps()));
