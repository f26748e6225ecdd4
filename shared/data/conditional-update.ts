/** One conditional UpdateItem: true when it applied, false when its condition did not hold. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './aws-errors.ts';
import type { Db } from './db.ts';

export async function conditionalUpdate(db: Db, input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
  try {
    await db.doc.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
