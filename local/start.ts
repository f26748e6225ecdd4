/**
 * `npm start`: DynamoDB Local (persisted in .data/), the table, the demo district on first
 * start, and every function app on http://localhost:$PORT.
 *   npm start -- --fresh        start empty (or GATEKEEPER_FRESH=1)
 *   DYNAMODB_ENDPOINT=...       use another DynamoDB instead of the embedded one
 *   SEED_RESIDENTS_PER_TEAM=40  a bigger demo district on first start
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { todayIso } from '#shared/domain/dates.ts';
import { ensureTable } from '#shared/data/create-table.ts';
import { createDb } from '#shared/data/db.ts';
import { getDistrict } from '#shared/data/districts.ts';
import type { Deps } from '#shared/deps.ts';
import { clerkInstitutionChecked, jwksVerifier } from '#shared/http/tokens.ts';
import { getInstitution } from '#shared/data/institutions.ts';
import { residentKeyer } from '#shared/security/resident-key.ts';
import { payeeCipher } from '#shared/security/payee-cipher.ts';
import { inProcessLauncher } from '#shared/services/evaluation/launch.ts';
import { createDevAuth, DEV_ISSUER } from './dev-auth.ts';
import { JAVA_MISSING, javaAvailable, startDynamoDbLocal } from './dynamodb-local.ts';
import { printWelcome } from './welcome.ts';
import { previousQuarter, quarterOf } from '#shared/domain/periods.ts';
import { DEFAULT_RESIDENTS_PER_TEAM, DEMO_DISTRICT_ID, seedDemoDistrict } from './seed/demo-district.ts';
import { seedDemoSurveys } from './seed/demo-surveys.ts';
import { seedDemoMetrics } from './seed/demo-metrics.ts';
import { seedDemoEvaluation } from './seed/demo-evaluation.ts';
import { seedDemoPeriods } from './seed/demo-periods.ts';
import { seedDemoInvitation } from './seed/demo-invitation.ts';

// Node 20 is fine for local use; the deployed functions run on Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// finished report files of background report jobs
process.env.REPORTS_DIR ??= resolve('.data/reports');
process.env.ATTACHMENTS_DIR ??= resolve('.data/attachments');
const DATA_DIR = resolve('.data');
const fresh = process.argv.includes('--fresh') || process.env.GATEKEEPER_FRESH === '1';
const port = Number(process.env.PORT ?? 3000);
const tableName = process.env.TABLE_NAME ?? 'gatekeeper';

if (fresh) rmSync(DATA_DIR, { recursive: true, force: true });
mkdirSync(resolve(DATA_DIR, 'dynamodb'), { recursive: true });

let endpoint = process.env.DYNAMODB_ENDPOINT;
let stopDb = () => {};
if (!endpoint) {
  if (!javaAvailable()) {
    console.error(JAVA_MISSING);
    process.exit(1);
  }
  const local = await startDynamoDbLocal({ dataDir: resolve(DATA_DIR, 'dynamodb') });
  endpoint = local.endpoint;
  stopDb = local.stop;
  // for `npm run reconcile` and other scripts that talk to the running local database
  writeFileSync(resolve(DATA_DIR, 'endpoint'), endpoint);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stopDb();
    process.exit(0);
  });
}

const pepperFile = resolve(DATA_DIR, 'pepper');
if (!existsSync(pepperFile)) writeFileSync(pepperFile, randomBytes(32).toString('hex'), { mode: 0o600 });
const pepper = Buffer.from(readFileSync(pepperFile, 'utf8').trim(), 'hex');
const keyer = residentKeyer(pepper);
const cipher = payeeCipher(pepper);
const auth = createDevAuth(resolve(DATA_DIR, 'dev-signing-key.json'));

const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
await ensureTable(client, tableName);
client.destroy();
const db = createDb({ tableName, endpoint, region: 'local' });
const deps: Deps = {
  db,
  verifyToken: clerkInstitutionChecked(jwksVerifier({ keys: auth.jwks, issuer: DEV_ISSUER }), async (id) => (await getInstitution(db, id))?.districtId ?? null),
  residentKeyer: async () => keyer,
  payeeCipher: async () => cipher,
  now: () => new Date(),
  launchEvaluation: inProcessLauncher(db, () => new Date()),
  // the demo's fictional identity numbers (address code 99…)
  demoIdentityNumbers: true,
};

const seededFile = resolve(DATA_DIR, 'seeded.json');

/** The whole demo district with a completed previous quarter; .data/seeded.json marks it done. */
async function seedEverything(): Promise<void> {
  const started = Date.now();
  console.log('Seeding the demo district (first start only; the API already answers)…');
  const demo = await seedDemoDistrict(deps.db, keyer, {
    residentsPerTeam: Number(process.env.SEED_RESIDENTS_PER_TEAM ?? DEFAULT_RESIDENTS_PER_TEAM),
    today: todayIso(),
    log: (line) => console.log(line),
  });
  const completedPeriod = previousQuarter(quarterOf(todayIso()));
  const settledPeriod = previousQuarter(completedPeriod);
  await seedDemoSurveys(deps.db, demo, { period: completedPeriod, log: (line) => console.log(line) });
  // the period before is the baseline of achievement-improvement indicators, and the settled period of the demo
  for (const period of [settledPeriod, completedPeriod]) {
    await seedDemoMetrics(deps.db, demo, { today: todayIso(), period, log: (line) => console.log(line) });
  }
  const log = (line: string) => console.log(line);
  const earlier = await seedDemoEvaluation(deps.db, { districtId: DEMO_DISTRICT_ID, period: settledPeriod, now: () => new Date(), log });
  await seedDemoEvaluation(deps.db, {
    districtId: DEMO_DISTRICT_ID,
    period: completedPeriod,
    now: () => new Date(),
    log,
    criteriaVersion: earlier.criteriaVersion,
  });
  // every state to look at (issue 14): the earlier quarter final and settled, the last one in review with an open appeal
  await seedDemoPeriods(deps, {
    districtId: DEMO_DISTRICT_ID,
    settled: { period: settledPeriod, evaluationId: earlier.evaluationId },
    inReview: { period: completedPeriod },
    log,
  });
  const invitationToken = await seedDemoInvitation(deps.db, demo, { period: quarterOf(todayIso()), now: new Date() });
  writeFileSync(seededFile, JSON.stringify({ sampleResidents: demo.sampleResidents, invitationToken }, null, 2), { mode: 0o600 });
  console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function welcome(): void {
  const seeded = existsSync(seededFile)
    ? (JSON.parse(readFileSync(seededFile, 'utf8')) as { sampleResidents: { identityNumber: string }[]; invitationToken?: string })
    : null;
  printWelcome({ port, endpoint: endpoint!, sampleResident: seeded?.sampleResidents[0]?.identityNumber, invitationToken: seeded?.invitationToken });
}

const { createLocalApp } = await import('./server.ts');
const app = createLocalApp(deps, auth);
await new Promise<void>((listening) => serve({ fetch: app.fetch, port }, () => listening()));
console.log(`Listening on http://localhost:${port}`);

if (existsSync(seededFile)) {
  welcome();
} else if (await getDistrict(deps.db, DEMO_DISTRICT_ID)) {
  console.log('The first start was interrupted while seeding: run `npm start -- --fresh` to seed again from scratch.');
  welcome();
} else {
  try {
    await seedEverything();
    welcome();
  } catch (error) {
    console.error(`Seeding failed: ${(error as Error).message}. Run \`npm start -- --fresh\` to try again.`);
    stopDb();
    process.exit(1);
  }
}
