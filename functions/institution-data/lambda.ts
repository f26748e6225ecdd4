import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createInstitutionDataApp } from './app.ts';

export const handler = lambdaEntry(createInstitutionDataApp(lambdaDeps()));
