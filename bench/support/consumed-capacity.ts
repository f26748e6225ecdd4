/**
 * What a piece of work costs in DynamoDB capacity: a middleware on the document client asks every
 * command for `ReturnConsumedCapacity: 'INDEXES'` (the TOTAL figure plus its split over the table
 * and each index) and sums the units per operation, per table/index and per phase of the work.
 * Reads and writes are told apart by the command.
 *
 * DynamoDB Local answers ConsumedCapacity for every command, but not always as DynamoDB bills it, so
 * three kinds of write are counted by the documented formula instead (1 WCU per started KB of each
 * item, to the table and again to each index the item is in; transactions twice on the table) and
 * marked `formula`:
 * - TransactWriteItems: Local rounds the transaction's summed size up to a KB once, where DynamoDB
 *   bills each item (a transaction of two small items is 2 WCU in Local, 4 in DynamoDB). The
 *   size of an updated or checked item is read afterwards through `quiet`, a client the meter does not
 *   see. Index writes of a transaction are counted once (they are propagated like any index write).
 * - BatchWriteItem: with 'INDEXES' Local leaves out the index writes.
 * - a write that fails (a conditional write refused, a transaction cancelled) returns no
 *   ConsumedCapacity although DynamoDB charges it: 1 WCU per KB of the item put, 1 WCU otherwise.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '#shared/data/db.ts';
import { tableDesign } from '#shared/data/table-design.ts';
import { labelOf } from './command-counter.ts';

export interface CapacityTally {
  calls: number;
  units: number;
  /** calls whose units come from the formula, not from DynamoDB Local's answer */
  formulaCalls: number;
  /** the units split over "table" and each index */
  targets: Record<string, number>;
}

export interface CapacityMeter {
  /** the phase later commands are counted under */
  setPhase: (phase: string) => void;
  /** per "read|write <operation label>" */
  byOperation: () => Record<string, CapacityTally>;
  /** per "read|write <table or index>" */
  byTarget: () => Record<string, number>;
  /** per "<phase>" read and write units */
  byPhase: () => Record<string, { read: number; write: number }>;
  /**
   * write units per item written ("Put CONTRACT#…/CONTRACT", "Update TEAM#…/TEAM", "Check INSTITUTION#…/INSTITUTION"),
   * split over "table", "transaction" (the second write DynamoDB bills for an item in a transaction) and each index
   */
  byItem: () => Record<string, CapacityTally>;
  totals: () => {
    read: number;
    write: number;
    calls: number;
    formulaCalls: number;
    callsWithoutCapacity: number;
    /** what DynamoDB Local answered for the writes counted by the formula */
    localUnitsReplaced: number;
  };
  remove: () => void;
}

const NAME = 'benchCapacityMeter';
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

type Units = { CapacityUnits?: number };
type Consumed = Units & { TableName?: string; Table?: Units; GlobalSecondaryIndexes?: Record<string, Units>; LocalSecondaryIndexes?: Record<string, Units> };
type Key = Record<string, unknown>;
type TransactEntry = Record<string, { TableName?: string; Item?: Record<string, unknown>; Key?: Key }>;
/** the units of one item written, by target */
type ItemUnits = { item: string; targets: Record<string, number> };

type Input = {
  Item?: Record<string, unknown>;
  Key?: { pk?: unknown; sk?: unknown };
  TransactItems?: TransactEntry[];
  RequestItems?: Record<string, unknown[]>;
};

/** The key's entity words with the ids left out ("TEAM#team-1#CONTRACTS" → "TEAM#…#CONTRACTS"), as command-counter.ts does. */
const shape = (pk: unknown): string =>
  typeof pk === 'string'
    ? pk
        .split('#')
        .map((part) => (/^[A-Z_]+$/.test(part) ? part : '…'))
        .join('#')
    : '?';

const KIND: Record<string, string> = {
  PutItem: 'Put',
  UpdateItem: 'Update',
  DeleteItem: 'Delete',
  ConditionCheck: 'Check',
  PutRequest: 'Put',
  DeleteRequest: 'Delete',
};

/** An item written, by kind of write and key shape: "Update TEAM#…/TEAM". */
const itemLabel = (kind: string, key: { pk?: unknown; sk?: unknown } | undefined) => `${KIND[kind] ?? kind} ${shape(key?.pk)}/${shape(key?.sk)}`;

/** Which items a command touches, by key shape: "UpdateItem TEAM", "TransactWriteItems ConditionCheck:INSTITUTION+Put:CONTRACT". */
function operationLabel(command: string, input: Input): string {
  if (command === 'Query' || command === 'GetItem') return labelOf(command, input as Parameters<typeof labelOf>[1]);
  if (command === 'PutItem') return `${command} ${shape(input.Item?.pk)}`;
  if (command === 'UpdateItem' || command === 'DeleteItem') return `${command} ${shape(input.Key?.pk)}`;
  if (command === 'TransactWriteItems' || command === 'TransactGetItems') {
    const parts = (input.TransactItems ?? []).map((entry) => {
      const [kind, op] = Object.entries(entry)[0] ?? ['?', {}];
      return `${kind}:${shape(op.Item?.pk ?? op.Key?.pk)}`;
    });
    return `${command} ${[...new Set(parts)].sort().join('+')}`;
  }
  if (command === 'BatchWriteItem' || command === 'BatchGetItem') {
    const keys = Object.values(input.RequestItems ?? {}).flatMap((requests) =>
      (Array.isArray(requests) ? requests : ((requests as { Keys?: unknown[] }).Keys ?? [])).map((r) => {
        const request = r as { PutRequest?: { Item?: { pk?: unknown } }; DeleteRequest?: { Key?: { pk?: unknown } }; pk?: unknown };
        return shape(request.PutRequest?.Item?.pk ?? request.DeleteRequest?.Key?.pk ?? request.pk);
      }),
    );
    return `${command} ${[...new Set(keys)].sort().join('+')}`;
  }
  return command;
}

const kilobytes = (item: Record<string, unknown> | undefined) => (item ? Math.max(1, Math.ceil(itemSize(item) / 1024)) : 1);
const indexesOf = (item: Record<string, unknown> | undefined) =>
  tableDesign.globalSecondaryIndexes.filter((index) => item?.[index.partitionKey] !== undefined && item?.[index.sortKey] !== undefined).map((i) => i.indexName);

function addTo(record: Record<string, number>, key: string, units: number): void {
  record[key] = (record[key] ?? 0) + units;
}

/** A transaction as DynamoDB bills it: every item twice on the table, by its own size; index copies once. */
async function transactionUnits(quiet: Db, items: TransactEntry[]): Promise<ItemUnits[]> {
  const units: ItemUnits[] = [];
  for (const entry of items) {
    const [kind, op] = Object.entries(entry)[0] ?? ['?', {}];
    const item =
      kind === 'Put'
        ? op.Item
        : kind === 'Update' || kind === 'ConditionCheck'
          ? (await quiet.doc.send(new GetCommand({ TableName: op.TableName, Key: op.Key, ConsistentRead: true }))).Item
          : undefined;
    const kb = kilobytes(item);
    const targets: Record<string, number> = { table: kb, transaction: kb };
    if (kind === 'Put' || kind === 'Update') for (const index of indexesOf(item)) addTo(targets, index, kb);
    units.push({ item: itemLabel(kind, op.Item ?? op.Key), targets });
  }
  return units;
}

function batchWriteUnits(input: Input): ItemUnits[] {
  const units: ItemUnits[] = [];
  for (const request of Object.values(input.RequestItems ?? {}).flat() as {
    PutRequest?: { Item?: Record<string, unknown> };
    DeleteRequest?: { Key?: Key };
  }[]) {
    const item = request.PutRequest?.Item;
    const kb = kilobytes(item);
    const targets: Record<string, number> = { table: kb };
    for (const index of indexesOf(item)) addTo(targets, index, kb);
    units.push({ item: itemLabel(item ? 'PutRequest' : 'DeleteRequest', item ?? request.DeleteRequest?.Key), targets });
  }
  return units;
}

/** The documented price of a write that returned no ConsumedCapacity (it failed). */
function failedWriteUnits(command: string, input: Input): ItemUnits[] {
  if (command === 'PutItem') return [{ item: itemLabel(command, input.Item), targets: { table: kilobytes(input.Item) } }];
  if (command === 'TransactWriteItems')
    return (input.TransactItems ?? []).map((entry) => {
      const [kind, op] = Object.entries(entry)[0] ?? ['?', {}];
      const kb = kilobytes(op.Item);
      return { item: itemLabel(kind, op.Item ?? op.Key), targets: { table: kb, transaction: kb } };
    });
  if (command === 'BatchWriteItem') return batchWriteUnits(input);
  return [{ item: itemLabel(command, input.Key), targets: { table: 1 } }];
}

function entry<T>(record: Record<string, T>, key: string, make: () => T): T {
  const found = record[key] ?? make();
  record[key] = found;
  return found;
}

export function meterCapacity(db: Db, quiet: Db): CapacityMeter {
  const byOperation: Record<string, CapacityTally> = {};
  const byTarget: Record<string, number> = {};
  const byPhase: Record<string, { read: number; write: number }> = {};
  const byItem: Record<string, CapacityTally> = {};
  let phase = 'setup';
  let callsWithoutCapacity = 0;
  let localUnitsReplaced = 0;

  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const input = args.input as Input & { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'INDEXES';
      const kind = READS.has(command) ? 'read' : 'write';
      const tally = entry(byOperation, `${kind} ${operationLabel(command, input)}`, () => ({ calls: 0, units: 0, formulaCalls: 0, targets: {} }));
      const inPhase = entry(byPhase, phase, () => ({ read: 0, write: 0 }));
      const count = (targets: Record<string, number>, formula: boolean) => {
        for (const [target, units] of Object.entries(targets)) {
          tally.units += units;
          inPhase[kind] += units;
          addTo(byTarget, `${kind} ${target}`, units);
          addTo(tally.targets, target, units);
        }
        if (formula) tally.formulaCalls++;
      };
      /** per item; the operation's tally keeps a transaction's second write under "table", as DynamoDB reports it */
      const countItems = (items: ItemUnits[], formula: boolean) => {
        const merged: Record<string, number> = {};
        for (const { item, targets } of items) {
          const perItem = entry(byItem, item, () => ({ calls: 0, units: 0, formulaCalls: 0, targets: {} }));
          perItem.calls++;
          if (formula) perItem.formulaCalls++;
          for (const [target, units] of Object.entries(targets)) {
            perItem.units += units;
            addTo(perItem.targets, target, units);
            addTo(merged, target === 'transaction' ? 'table' : target, units);
          }
        }
        count(merged, formula);
      };
      tally.calls++;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        if (kind === 'write') countItems(failedWriteUnits(command, input), true);
        throw error;
      }
      const output = result.output as { ConsumedCapacity?: Consumed | Consumed[] };
      const consumed = output.ConsumedCapacity === undefined ? [] : [output.ConsumedCapacity].flat();
      if (consumed.length === 0) callsWithoutCapacity++;
      if (command === 'TransactWriteItems' || command === 'BatchWriteItem') {
        localUnitsReplaced += consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        countItems(command === 'BatchWriteItem' ? batchWriteUnits(input) : await transactionUnits(quiet, input.TransactItems ?? []), true);
      } else {
        for (const c of consumed) {
          const targets: Record<string, number> = { table: c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0 };
          for (const [index, used] of Object.entries({ ...c.GlobalSecondaryIndexes, ...c.LocalSecondaryIndexes })) targets[index] = used.CapacityUnits ?? 0;
          if (kind === 'write') countItems([{ item: itemLabel(command, input.Item ?? input.Key), targets }], false);
          else count(targets, false);
        }
      }
      return result;
    },
    { step: 'initialize', name: NAME },
  );

  return {
    setPhase: (next) => {
      phase = next;
    },
    byOperation: () => structuredClone(byOperation),
    byTarget: () => ({ ...byTarget }),
    byPhase: () => structuredClone(byPhase),
    byItem: () => structuredClone(byItem),
    totals: () => {
      const all = Object.entries(byOperation);
      const sum = (kind: string) => all.filter(([label]) => label.startsWith(`${kind} `)).reduce((total, [, t]) => total + t.units, 0);
      return {
        read: sum('read'),
        write: sum('write'),
        calls: all.reduce((total, [, t]) => total + t.calls, 0),
        formulaCalls: all.reduce((total, [, t]) => total + t.formulaCalls, 0),
        callsWithoutCapacity,
        localUnitsReplaced,
      };
    },
    remove: () => {
      db.doc.middlewareStack.remove(NAME);
    },
  };
}

/**
 * An item's size as DynamoDB bills it (attribute names plus values, UTF-8), from the document
 * client's JavaScript form. Numbers are approximated as 1 byte per two significant digits plus one.
 */
export function itemSize(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) if (value !== undefined) bytes += Buffer.byteLength(name) + valueSize(value);
  return bytes;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint')
    return (
      Math.ceil(
        String(value)
          .replace(/[-.]|e.*$/gi, '')
          .replace(/^0+/, '').length / 2,
      ) + 1
    );
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  return 0;
}
