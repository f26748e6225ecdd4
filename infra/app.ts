/**
 * The CDK entry (cdk.json: `npx tsx infra/app.ts`). Context: stage (default 'dev'),
 * allowedOrigins (comma-separated), alarmEmail (optional); see docs/deploy.md.
 */
import { createGatekeeperApp } from './gatekeeper-app.ts';

createGatekeeperApp().app.synth();
