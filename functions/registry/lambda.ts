import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createRegistryApp } from './app.ts';

export const handler = lambdaEntry(createRegistryApp(lambdaDeps()));
