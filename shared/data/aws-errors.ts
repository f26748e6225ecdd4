/**
 * Recognising DynamoDB's failure modes in one place. The SDK already retries throttling
 * with backoff (maxAttempts in ./db.ts); what still arrives here is final.
 */
import { DomainError } from '../domain/errors.ts';

const RETRY_EXHAUSTED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

function nameOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return nameOf(error) === 'ConditionalCheckFailedException';
}

/** For a cancelled transaction: the reason code per item, in request order ('None' where the item was fine). */
export function cancellationReasons(error: unknown): string[] | null {
  if (nameOf(error) !== 'TransactionCanceledException') return null;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

export function isRetryExhausted(error: unknown): boolean {
  const name = nameOf(error);
  if (name !== undefined && RETRY_EXHAUSTED.has(name)) return true;
  const reasons = cancellationReasons(error);
  return reasons?.some((r) => r === 'TransactionConflict' || r === 'ThrottlingError') ?? false;
}

export function unavailable(): DomainError {
  return new DomainError('unavailable', 'database-busy', 'The database is busy; retry shortly');
}
