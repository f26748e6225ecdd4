/**
 * Counts the DynamoDB commands a piece of work sends, the time they were in flight and the items
 * they read or wrote, by adding a middleware to the document client: where an evaluation run's
 * time goes. Queries and gets are told apart by the kind of key they address, with the ids left
 * out ("Query gsi1 TEAM#…#CONTRACTS", "Query DISTRICT#…#SURVEYAGG#…").
 */
import type { Db } from '#shared/data/db.ts';

export interface CommandCount {
  count: number;
  /** summed latency; concurrent commands overlap, so this can exceed the wall time */
  ms: number;
  /** items returned (Query, GetItem, BatchGetItem) or put (BatchWriteItem) */
  items: number;
}

export interface CommandCounter {
  counts: () => Record<string, CommandCount>;
  remove: () => void;
}

const NAME = 'benchCommandCounter';

/** The key's entity words, ids replaced: "TEAM#team-1#CONTRACTS" → "TEAM#…#CONTRACTS". */
const keyShape = (key: string): string =>
  key
    .split('#')
    .map((part) => (/^[A-Z_]+$/.test(part) ? part : '…'))
    .join('#');

type Input = {
  IndexName?: string;
  Key?: { pk?: string };
  ExpressionAttributeValues?: Record<string, unknown>;
  RequestItems?: Record<string, unknown[]>;
};

export function labelOf(command: string, input: Input): string {
  if (command === 'Query') {
    const partition = Object.values(input.ExpressionAttributeValues ?? {}).find((v): v is string => typeof v === 'string' && v.includes('#'));
    return `Query ${input.IndexName ? `${input.IndexName} ` : ''}${partition ? keyShape(partition) : '?'}`;
  }
  if (command === 'GetItem' && typeof input.Key?.pk === 'string') return `GetItem ${keyShape(input.Key.pk)}`;
  return command;
}

function itemsOf(command: string, input: Input, output: unknown): number {
  const out = output as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> } | undefined;
  if (command === 'Query') return out?.Items?.length ?? 0;
  if (command === 'BatchGetItem') return Object.values(out?.Responses ?? {}).reduce((sum, list) => sum + list.length, 0);
  if (command === 'GetItem') return out?.Item ? 1 : 0;
  if (command === 'BatchWriteItem') return Object.values(input.RequestItems ?? {}).reduce((sum, list) => sum + list.length, 0);
  return 0;
}

export function countCommands(db: Db): CommandCounter {
  const counts: Record<string, CommandCount> = {};
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const input = args.input as Input;
      const started = performance.now();
      let output: unknown;
      try {
        const result = await next(args);
        output = result.output;
        return result;
      } finally {
        const label = labelOf(command, input);
        const entry = counts[label] ?? { count: 0, ms: 0, items: 0 };
        entry.count++;
        entry.ms += performance.now() - started;
        entry.items += itemsOf(command, input, output);
        counts[label] = entry;
      }
    },
    { step: 'initialize', name: NAME },
  );
  return {
    counts: () => structuredClone(counts),
    remove: () => {
      db.doc.middlewareStack.remove(NAME);
    },
  };
}
