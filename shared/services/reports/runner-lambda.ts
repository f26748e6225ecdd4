/**
 * The deployed report job runner: the reports function invokes itself asynchronously
 * (InvocationType 'Event': Lambda queues the event and answers 202 at once) with the job event,
 * and that invocation runs the job to completion (functions/reports/lambda.ts). The HTTP
 * invocation that requested the job can answer and freeze without stalling it.
 *
 * IAM: lambda:InvokeFunction on the function's own ARN only (`invokesItself` in
 * infra/function-permissions.ts); the stack passes the function's name in REPORT_JOBS_FUNCTION.
 * The Lambda client is imported on first use, so requests that start no job never load it.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type ReportJobRunner, reportJobEventFor } from './job-event.ts';

export interface SelfInvokeOptions {
  /** the reports function's own name (REPORT_JOBS_FUNCTION) */
  functionName: string;
  /** a client to use (tests pass one); otherwise one is created on first use, in the function's region */
  client?: LambdaClient;
}

export function selfInvokeReportRunner(options: SelfInvokeOptions): ReportJobRunner {
  let client = options.client;
  return {
    async start(jobId) {
      const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
      client ??= new LambdaClient({});
      const result = await client.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(reportJobEventFor(jobId))),
        }),
      );
      // an accepted asynchronous invocation answers 202; anything else did not queue the job
      if (result.StatusCode !== 202) throw new Error(`Lambda did not accept the report job invocation (status ${result.StatusCode})`);
    },
  };
}
