/**
 * Fault injection for the hardening unit tests: a tiny in-memory table behind aws-sdk-client-mock
 * (Get, Query by partition with begins_with / BETWEEN, Put, Delete, BatchWrite, TransactWrite of
 * Puts and Deletes; Updates are recorded, not applied), with faults queued per command: a
 * rejection (throttling, a cancelled transaction, a timeout) or, for BatchWrite, items left
 * unprocessed. What remains in the table after a failure is what a reader would find.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { Db } from '#shared/data/db.ts';

export const TABLE = 't';

export function faultDb(): Db {
  return { doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), tableName: TABLE };
}

export const faults = {
  conflict: (size = 3) =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: Array.from({ length: size }, (_, i) => ({ Code: i === 0 ? 'TransactionConflict' : 'None' })),
    }),
  conditionFailed: (codes: string[]) =>
    new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) }),
  provisioned: () => new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} }),
  throttling: () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }),
  timeout: () => Object.assign(new Error('socket timed out after 3000 ms'), { name: 'TimeoutError' }),
};

type Item = Record<string, unknown>;
type WriteRequest = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };
type Fault = Error | { unprocessed: (requests: WriteRequest[]) => WriteRequest[] } | { committedThen: Error } | null;

const keyOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;

export interface FakeTable {
  items: Map<string, Item>;
  put: (...items: Item[]) => void;
  get: (pk: string, sk: string) => Item | undefined;
  /** items whose pk starts with a prefix */
  where: (pkPrefix: string) => Item[];
  /** faults for the next calls of a command, in order; null lets one call through */
  inject: (command: 'transact' | 'batch' | 'put' | 'update' | 'get' | 'query', ...faults: Fault[]) => void;
  /** a fault for every later call of a command */
  always: (command: 'transact' | 'batch' | 'put' | 'update' | 'get' | 'query', fault: Fault) => void;
  /** successful TransactWrite calls, with their items */
  committed: unknown[][];
  attempts: Record<string, number>;
}

/** Installs the fake table on a mocked DynamoDBDocumentClient (reset by the caller). */
export function fakeTable(mock: AwsClientStub<DynamoDBDocumentClient>): FakeTable {
  const items = new Map<string, Item>();
  const queued: Record<string, Fault[]> = {};
  const forever: Record<string, Fault> = {};
  const attempts: Record<string, number> = {};
  const committed: unknown[][] = [];
  const next = (command: string): Fault => {
    attempts[command] = (attempts[command] ?? 0) + 1;
    const list = queued[command];
    if (list && list.length > 0) return list.shift()!;
    return forever[command] ?? null;
  };
  const raise = (fault: Fault) => {
    if (fault instanceof Error) throw fault;
  };
  const apply = (request: WriteRequest) => {
    if (request.PutRequest) items.set(keyOf(request.PutRequest.Item), structuredClone(request.PutRequest.Item));
    if (request.DeleteRequest) items.delete(keyOf(request.DeleteRequest.Key));
  };

  mock.on(GetCommand).callsFake((input: { Key: Item }) => {
    raise(next('get'));
    const item = items.get(keyOf(input.Key));
    return item ? { Item: structuredClone(item) } : {};
  });
  mock
    .on(QueryCommand)
    .callsFake(
      (input: {
        IndexName?: string;
        KeyConditionExpression: string;
        ExpressionAttributeNames?: Record<string, string>;
        ExpressionAttributeValues: Record<string, unknown>;
        ScanIndexForward?: boolean;
        Limit?: number;
      }) => {
        raise(next('query'));
        const values = input.ExpressionAttributeValues;
        const index = input.IndexName;
        const partitionAttribute = index ? `${index}pk` : 'pk';
        const sortAttribute = index ? `${index}sk` : 'sk';
        const partition = values[':p'] ?? values[':pk'];
        let found = [...items.values()].filter((item) => item[partitionAttribute] === partition);
        const prefixAttribute = input.ExpressionAttributeNames?.['#s'] ?? 'sk';
        const prefix = (values[':s'] ?? values[':prefix']) as string | undefined;
        if (prefix !== undefined) found = found.filter((item) => String(item[prefixAttribute]).startsWith(prefix));
        if (values[':from'] !== undefined)
          found = found.filter((item) => String(item.sk) >= String(values[':from']) && String(item.sk) <= String(values[':to']));
        found.sort((a, b) => (String(a[sortAttribute]) < String(b[sortAttribute]) ? -1 : 1));
        if (input.ScanIndexForward === false) found.reverse();
        return { Items: found.slice(0, input.Limit ?? found.length).map((item) => structuredClone(item)), Count: found.length };
      },
    );
  mock.on(PutCommand).callsFake((input: { Item: Item; ConditionExpression?: string }) => {
    raise(next('put'));
    if (input.ConditionExpression === 'attribute_not_exists(pk)' && items.has(keyOf(input.Item)))
      throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
    items.set(keyOf(input.Item), structuredClone(input.Item));
    return {};
  });
  mock.on(DeleteCommand).callsFake((input: { Key: Item }) => {
    items.delete(keyOf(input.Key));
    return {};
  });
  mock.on(UpdateCommand).callsFake(() => {
    raise(next('update'));
    return {};
  });
  mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
    const requests = input.RequestItems[TABLE] ?? [];
    const fault = next('batch');
    raise(fault);
    const unprocessed = fault && 'unprocessed' in fault ? fault.unprocessed(requests) : [];
    for (const request of requests) if (!unprocessed.includes(request)) apply(request);
    return unprocessed.length > 0 ? { UnprocessedItems: { [TABLE]: unprocessed } } : {};
  });
  mock.on(TransactWriteCommand).callsFake((input: { TransactItems: { Put?: { Item: Item; ConditionExpression?: string }; Delete?: { Key: Item } }[] }) => {
    const fault = next('transact');
    raise(fault);
    // the one condition the fake evaluates: creates never overwrite
    const reasons = input.TransactItems.map((entry) =>
      entry.Put?.ConditionExpression === 'attribute_not_exists(pk)' && items.has(keyOf(entry.Put.Item)) ? 'ConditionalCheckFailed' : 'None',
    );
    if (reasons.includes('ConditionalCheckFailed')) throw faults.conditionFailed(reasons);
    for (const entry of input.TransactItems) {
      if (entry.Put) items.set(keyOf(entry.Put.Item), structuredClone(entry.Put.Item));
      if (entry.Delete) items.delete(keyOf(entry.Delete.Key));
    }
    committed.push(input.TransactItems);
    // committed, but the caller never hears of it (a timeout after the commit)
    if (fault && 'committedThen' in fault) throw fault.committedThen;
    return {};
  });

  return {
    items,
    put: (...list) => {
      for (const item of list) items.set(keyOf(item), structuredClone(item));
    },
    get: (pk, sk) => items.get(`${pk}\u0000${sk}`),
    where: (pkPrefix) => [...items.values()].filter((item) => String(item.pk).startsWith(pkPrefix)),
    inject: (command, ...list) => {
      queued[command] = [...(queued[command] ?? []), ...list];
    },
    always: (command, fault) => {
      forever[command] = fault;
    },
    committed,
    attempts,
  };
}

/** Every item left unprocessed (a BatchWrite fault). */
export const allUnprocessed = { unprocessed: (requests: WriteRequest[]) => requests };
/** The first n items of a BatchWrite left unprocessed. */
export const someUnprocessed = (n: number) => ({ unprocessed: (requests: WriteRequest[]) => requests.slice(0, n) });
