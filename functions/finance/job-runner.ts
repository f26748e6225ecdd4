/** Where the finance function's settlement jobs run (its API and its pages start them). */
import type { Deps } from '#shared/deps.ts';
import type { SettlementJobRunner } from '#shared/services/settlements-job-event.ts';

export interface FinanceOptions {
  /** where settlement jobs run: deployed, the function itself (functions/finance/lambda.ts); by default a worker thread of this process */
  settlementJobs?: SettlementJobRunner;
}

/** Where settlement jobs run: the given runner, or by default a worker thread of this process. */
export function settlementJobRunner(deps: Deps, options: FinanceOptions = {}): SettlementJobRunner {
  return options.settlementJobs ?? localJobRunner(deps);
}

/** The local runner, loaded on first use: a deployed function never loads it. */
function localJobRunner(deps: Deps): SettlementJobRunner {
  let runner: Promise<SettlementJobRunner> | undefined;
  return {
    async start(jobId) {
      runner ??= import('#shared/services/settlements-job-local.ts').then((m) => m.workerSettlementRunner(deps));
      return (await runner).start(jobId);
    },
  };
}
