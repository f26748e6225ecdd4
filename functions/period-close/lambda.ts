/**
 * The period-close schedule's target (infra/period-close-schedule.ts): ends the contracts whose end
 * date has passed, starts the evaluation runs of the periods that just closed, and finalises
 * published periods whose review window has closed. The schedule sends `{}`; by hand,
 * `aws lambda invoke --payload '{"periods":["2026Q3"]}'`. Fails when any run could not be
 * started, so the schedule retries (already started runs are not started twice).
 */
import { createDb } from '#shared/data/db.ts';
import type { PeriodCloseRequest } from '#shared/services/evaluation/period-close.ts';
import { logger } from '#shared/observability/telemetry.ts';
import { taskEntry } from '../lambda-entry.ts';
import { stepFunctionsLauncher } from '../step-functions-launcher.ts';

const deps = {
  db: createDb({ tableName: process.env.TABLE_NAME ?? '' }),
  now: () => new Date(),
  launchEvaluation: stepFunctionsLauncher(() => process.env.EVALUATION_STATE_MACHINE_ARN ?? ''),
};

export const handler = taskEntry(async (event: PeriodCloseRequest) => {
  // the services load with the invocation, not at cold start
  const { endContractsPastTheirTerm, closePeriods, requireAllStarted, finalizeDuePeriods } = await import('./work.ts');
  // the daily contract step: ends the contracts whose end date has passed (idempotent, so a retry repeats it harmlessly)
  const contracts = await endContractsPastTheirTerm(deps).catch((error: unknown) => error as Error);
  if (!(contracts instanceof Error)) logger.info('contracts ended', contracts);
  const report = await closePeriods(deps, { periods: event?.periods });
  logger.info('period close', { ...report });
  // published periods whose review window has closed with every appeal decided become final (issue 14)
  logger.info('period finalize', { outcomes: await finalizeDuePeriods(deps) });
  const started = requireAllStarted(report);
  // a failed contract step fails the invocation after the close ran, so it is retried
  if (contracts instanceof Error) throw contracts;
  return started;
});
