import { lambdaDeps } from '../lambda-deps.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { createSignInApp } from './app.tsx';

export const handler = lambdaEntry(createSignInApp(lambdaDeps({ checkClerkInstitution: false })));
