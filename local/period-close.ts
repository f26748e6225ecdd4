/**
 * `npm run period-close [-- --period 2026Q3 [--period 2026]]`: what the deployed schedule does
 * (daily: ends the contracts whose end date has passed; at the start of each quarter: closes), by hand, against the database of a running `npm start`
 * (its endpoint is in .data/endpoint) or DYNAMODB_ENDPOINT. Without --period it closes the periods that ended on
 * the last quarter boundary. The runs it starts are computed in this process before it exits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDb } from '#shared/data/db.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { endContractsPastTheirTerm } from '#shared/services/contracts.ts';
import { closePeriods } from '#shared/services/evaluation/period-close.ts';
import { executeEvaluation } from '#shared/services/evaluation/phases.ts';

// Node 20 is fine for local use; the deployed functions run on Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({ options: { period: { type: 'string', multiple: true } } });
const endpoint = process.env.DYNAMODB_ENDPOINT ?? (existsSync('.data/endpoint') ? readFileSync('.data/endpoint', 'utf8').trim() : undefined);
if (!endpoint) {
  console.error('No database: start the platform with `npm start` first, or set DYNAMODB_ENDPOINT.');
  process.exit(2);
}
const db = createDb({ tableName: process.env.TABLE_NAME ?? 'gatekeeper', endpoint, region: 'local' });
const now = () => new Date();
const launched: Promise<void>[] = [];
try {
  // the daily contract step, as the deployed schedule runs it first
  const ended = await endContractsPastTheirTerm({ db, now });
  console.log(`Contracts past their end date: ${ended.ended} ended (${ended.changed} changed meanwhile), today ${ended.today}.`);
  // the runs are computed here, awaited below, rather than in the background of a server
  const report = await closePeriods(
    { db, now, launchEvaluation: async (evaluationId) => void launched.push(executeEvaluation(db, evaluationId, now)) },
    { periods: values.period },
  );
  console.log(`Closing ${report.periods.join(', ')}:`);
  for (const o of report.outcomes) {
    const detail =
      o.result === 'skipped'
        ? o.reason
        : o.result === 'failed'
          ? `${o.evaluationId} (version ${o.criteriaVersion}): ${o.error}`
          : `${o.evaluationId} (version ${o.criteriaVersion})`;
    console.log(`  ${o.districtId} ${o.period}: ${o.result} ${detail}`);
  }
  await Promise.all(launched);
  if (launched.length > 0) console.log(`${launched.length} run(s) computed; see them on the evaluator pages.`);
  process.exit(report.outcomes.some((o) => o.result === 'failed') ? 1 : 0);
} catch (error) {
  const hint = error instanceof DomainError ? '' : ' Is `npm start` running?';
  console.error(`Period close failed: ${(error as Error).message}.${hint}`);
  process.exit(2);
}
