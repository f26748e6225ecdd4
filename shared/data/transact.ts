/**
 * TransactWriteItems with a retry on transaction conflicts (another transaction touched one of
 * the items at the same moment: DynamoDB cancels rather than waits). A conditional failure is
 * returned to the caller as the per-item reason list so it can name the rule that failed.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, isRetryExhausted, unavailable } from './aws-errors.ts';
import type { Db } from './db.ts';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

export type TransactResult = { ok: true } | { ok: false; reasons: string[] };

const MAX_ATTEMPTS = 5;

export async function transactWrite(db: Db, items: TransactItems, clientRequestToken?: string): Promise<TransactResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: clientRequestToken }));
      return { ok: true };
    } catch (error) {
      const reasons = cancellationReasons(error);
      const conflicted = reasons?.some((r) => r === 'TransactionConflict') ?? false;
      if (reasons && !conflicted && reasons.some((r) => r === 'ConditionalCheckFailed')) return { ok: false, reasons };
      if (!isRetryExhausted(error) && !conflicted) throw error;
      if (attempt >= MAX_ATTEMPTS) throw unavailable();
      await sleep(backoffMs(attempt));
    }
  }
}

function backoffMs(attempt: number): number {
  return Math.random() * Math.min(1000, 25 * 2 ** attempt);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
