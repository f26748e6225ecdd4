import { lambdaEntry } from '../lambda-entry.ts';
import { verifierFromEnv } from '../token-verifier.ts';
import { createSignInApp } from './app.tsx';

// no table: the sign-in function only verifies the ID token it received (the pages check a clerk's institution)
export const handler = lambdaEntry(createSignInApp({ verifyToken: verifierFromEnv(), now: () => new Date() }));
