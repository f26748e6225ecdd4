/**
 * Logs and metrics, through Powertools for AWS Lambda: structured JSON log lines (in a Lambda,
 * each carries the invocation's request id: functions/lambda-entry.ts adds the context) and
 * CloudWatch metrics as EMF lines, flushed at the end of each invocation.
 *
 * Metrics are recorded only inside a Lambda, where the entry flushes them; locally and in tests
 * there is nothing to send them to. Powertools Metrics is imported when an invocation has a count
 * to send, so it stays out of the cold start of every invocation that counts nothing. Never log
 * request bodies: they may hold identity numbers.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'gatekeeper';

export const logger = new Logger({ serviceName });

let metrics: Metrics | undefined;
const counted: CountedEvent[] = [];

/** What the platform counts (metric names, CloudWatch namespace Gatekeeper). */
export type CountedEvent =
  | 'SurveySubmitted'
  | 'UploadStored'
  | 'UploadRefused'
  | 'RunStarted'
  | 'RunCompleted'
  | 'RunFailed'
  | 'SettlementApproved'
  | 'ReportJobFailed'
  | 'SettlementJobFailed';

export function count(event: CountedEvent): void {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) counted.push(event);
}

/** Sends the invocation's counts as one EMF log line, if it counted anything. */
export async function flushMetrics(): Promise<void> {
  if (counted.length === 0) return;
  const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
  metrics ??= new Metrics({ namespace: 'Gatekeeper', serviceName });
  for (const event of counted.splice(0)) metrics.addMetric(event, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
