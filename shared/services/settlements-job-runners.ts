/**
 * The deployed settlement job runner: the finance function invokes itself asynchronously
 * (InvocationType 'Event': Lambda queues the event and answers 202 at once) with the job event,
 * and that invocation computes the job to completion (functions/finance/lambda.ts), with the
 * jobs' timeout. The pattern of the report jobs (./reports/runner-lambda.ts).
 *
 * IAM: lambda:InvokeFunction on the function's own ARN only (`invokesItself` in
 * infra/function-permissions.ts); the stack passes REPORT_JOBS_FUNCTION=self, the function's own
 * name for its background jobs. The Lambda client is imported on first use.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type SettlementJobRunner, settlementJobEventFor } from './settlements-job-event.ts';

/** The function's own name when the stack lets it invoke itself (REPORT_JOBS_FUNCTION=self), or a name given outright; else undefined. */
export function jobsFunctionFromEnv(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.REPORT_JOBS_FUNCTION === 'self' ? env.AWS_LAMBDA_FUNCTION_NAME : env.REPORT_JOBS_FUNCTION;
}

export function selfInvokeSettlementRunner(options: { functionName: string; client?: LambdaClient }): SettlementJobRunner {
  let client = options.client;
  return {
    async start(jobId) {
      const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
      client ??= new LambdaClient({});
      const result = await client.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(settlementJobEventFor(jobId))),
        }),
      );
      if (result.StatusCode !== 202) throw new Error(`Lambda did not accept the settlement job invocation (status ${result.StatusCode})`);
    },
  };
}
