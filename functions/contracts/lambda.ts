import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createContractsApp } from './app.ts';

export const handler = lambdaEntry(createContractsApp(lambdaDeps()));
