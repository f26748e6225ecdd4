import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createResidentApp } from './app.tsx';

export const handler = lambdaEntry(createResidentApp(lambdaDeps()));
