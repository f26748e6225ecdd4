/**
 * `npm run reconcile -- --district haidian --period 2026Q3 [--fix]`: recompute survey aggregates
 * from the raw answers and report drift; then check every team's contract counter against the
 * active contracts (and that every active contract is in the end schedule), and that no resident has two contracts on one day. Talks to the database of a
 * running `npm start` (its endpoint is in .data/endpoint) or to DYNAMODB_ENDPOINT. `--fix` also drops the gsi1 keys teams and contracts
 * written before 2026-12-05 still carry (shared/data/retired-keys.ts, docs/deploy.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDb } from '#shared/data/db.ts';
import { dropRetiredListKeys } from '#shared/data/retired-keys.ts';
import { PERIOD_PATTERN, previousQuarter, quarterOf } from '#shared/domain/periods.ts';
import { todayIso } from '#shared/domain/dates.ts';
import { reconcileContracts } from '#shared/services/contract-reconcile.ts';
import { reconcileSurveyAggregates } from '#shared/services/survey-reconcile.ts';
import { DEMO_DISTRICT_ID } from './seed/demo-district.ts';

// Node 20 is fine for local use; the deployed functions run on Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({
  options: { district: { type: 'string', default: DEMO_DISTRICT_ID }, period: { type: 'string' }, fix: { type: 'boolean', default: false } },
});
const period = values.period ?? previousQuarter(quarterOf(todayIso()));
if (!PERIOD_PATTERN.test(period)) {
  console.error(`Not a period: ${period} (use 2026 or 2026Q3)`);
  process.exit(2);
}
const endpoint = process.env.DYNAMODB_ENDPOINT ?? (existsSync('.data/endpoint') ? readFileSync('.data/endpoint', 'utf8').trim() : undefined);
if (!endpoint) {
  console.error('No database: start the platform with `npm start` first, or set DYNAMODB_ENDPOINT.');
  process.exit(2);
}
const db = createDb({ tableName: process.env.TABLE_NAME ?? 'gatekeeper', endpoint, region: 'local' });
try {
  const report = await reconcileSurveyAggregates(db, values.district, period, values.fix);
  console.log(
    `${report.teamsChecked} teams checked for ${period}; ${report.teamsWithDrift} with drift${values.fix && report.teamsWithDrift ? ' (fixed)' : ''}.`,
  );
  for (const team of report.drift) {
    console.log(`  ${team.teamId}: ${team.differences.map((d) => `${d.key} stored ${d.stored}, recomputed ${d.recomputed}`).join('; ')}`);
  }
  const contracts = await reconcileContracts(db, values.district, todayIso(), values.fix);
  const fixed = (n: number) => (values.fix && n ? ' (fixed)' : '');
  console.log(
    `${contracts.contractsChecked} contracts of ${contracts.teamsChecked} teams checked; ` +
      `${contracts.counterDrift.length} team counters drift${fixed(contracts.counterDrift.length)}, ${contracts.overlaps.length} overlapping contracts.`,
  );
  for (const d of contracts.counterDrift) console.log(`  ${d.teamId}: counter ${d.stored}, active contracts ${d.active}`);
  for (const o of contracts.overlaps) console.log(`  resident ${o.identityMasked}: ${o.contractIds.join(' and ')} both from ${o.from} to ${o.to}`);
  if (contracts.pastEnd.length > 0) console.log(`${contracts.pastEnd.length} active contracts past their end date: \`npm run period-close\` ends them.`);
  if (contracts.unscheduled.length > 0)
    console.log(`${contracts.unscheduled.length} active contracts missing from the end schedule${fixed(contracts.unscheduled.length)}.`);
  if (values.fix) {
    const retired = await dropRetiredListKeys(db, values.district);
    console.log(`Retired gsi1 keys dropped from ${retired.teams} teams and ${retired.contracts} contracts.`);
  }
  const drift = (report.teamsWithDrift > 0 || contracts.counterDrift.length > 0 || contracts.unscheduled.length > 0) && !values.fix;
  process.exit(drift || contracts.overlaps.length > 0 ? 1 : 0);
} catch (error) {
  console.error(`Reconciliation failed: ${(error as Error).message}. Is \`npm start\` running?`);
  process.exit(2);
}
