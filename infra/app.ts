/**
 * The CDK entry (cdk.json: `npx tsx infra/app.ts`). Context: stage (default 'dev'),
 * allowedOrigins (comma-separated), alarmEmail (optional), region, and an external OpenID Connect
 * issuer instead of Cognito (oidcIssuer, oidcAudience, oidc*Claim); see docs/deploy.md.
 */
import { createGatekeeperApp } from './gatekeeper-app.ts';

createGatekeeperApp().app.synth();
