/**
 * What a piece of work costs in DynamoDB capacity: a middleware on the document client asks every
 * command for `ReturnConsumedCapacity: 'INDEXES'` (the TOTAL figure plus its split over the table
 * and each index; DynamoDB Local answers it for every command, as bench/cost-model.ts checks) and
 * sums what comes back per operation, per table/index and per phase of the work.
 *
 * Reads and writes are told apart by the command. A command that fails (a conditional write
 * refused, a transaction cancelled) returns no ConsumedCapacity, although DynamoDB charges it: it is
 * counted by the documented formula instead (1 WCU per started KB of the item put, 1 WCU for an
 * update, delete or condition check whose item size is not known here, twice that inside a
 * transaction) and marked `estimated`.
 */
import type { Db } from '#shared/data/db.ts';
import { labelOf } from './command-counter.ts';

export interface CapacityTally {
  calls: number;
  units: number;
  /** calls whose units come from the formula, not from DynamoDB */
  estimatedCalls: number;
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
  totals: () => { read: number; write: number; calls: number; estimatedCalls: number; callsWithoutCapacity: number };
  remove: () => void;
}

const NAME = 'benchCapacityMeter';
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

type Units = { CapacityUnits?: number };
type Consumed = Units & { TableName?: string; Table?: Units; GlobalSecondaryIndexes?: Record<string, Units>; LocalSecondaryIndexes?: Record<string, Units> };

type Input = {
  Item?: Record<string, unknown>;
  Key?: { pk?: unknown };
  TransactItems?: Record<string, { Item?: Record<string, unknown>; Key?: { pk?: unknown } }>[];
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

/** Which items a command touches, by key shape: "UpdateItem TEAM", "TransactWriteItems CONTRACT+RESIDENT#…+TEAM". */
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

/** The documented price of a write that returned no ConsumedCapacity (it failed). */
function formulaWriteUnits(command: string, input: Input): number {
  const kb = (item: Record<string, unknown> | undefined) => (item ? Math.max(1, Math.ceil(itemSize(item) / 1024)) : 1);
  if (command === 'PutItem') return kb(input.Item);
  if (command === 'TransactWriteItems') return 2 * (input.TransactItems ?? []).reduce((sum, entry) => sum + kb(Object.values(entry)[0]?.Item), 0);
  if (command === 'BatchWriteItem') return Object.values(input.RequestItems ?? {}).reduce((sum, list) => sum + list.length, 0);
  return 1;
}

function entry<T>(record: Record<string, T>, key: string, make: () => T): T {
  const found = record[key] ?? make();
  record[key] = found;
  return found;
}

export function meterCapacity(db: Db): CapacityMeter {
  const byOperation: Record<string, CapacityTally> = {};
  const byTarget: Record<string, number> = {};
  const byPhase: Record<string, { read: number; write: number }> = {};
  let phase = 'setup';
  let callsWithoutCapacity = 0;
  const add = (record: Record<string, number>, key: string, units: number) => {
    record[key] = (record[key] ?? 0) + units;
  };

  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const input = args.input as Input & { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'INDEXES';
      const kind = READS.has(command) ? 'read' : 'write';
      const label = `${kind} ${operationLabel(command, input)}`;
      const tally = entry(byOperation, label, () => ({ calls: 0, units: 0, estimatedCalls: 0, targets: {} }));
      const inPhase = entry(byPhase, phase, () => ({ read: 0, write: 0 }));
      tally.calls++;
      let consumed: Consumed[] = [];
      try {
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: Consumed | Consumed[] };
        consumed = output.ConsumedCapacity === undefined ? [] : [output.ConsumedCapacity].flat();
        if (consumed.length === 0) callsWithoutCapacity++;
        return result;
      } catch (error) {
        if (kind === 'write') {
          const units = formulaWriteUnits(command, input);
          tally.units += units;
          tally.estimatedCalls++;
          inPhase.write += units;
          add(byTarget, 'write table (estimated: failed writes)', units);
          add(tally.targets, 'table (estimated)', units);
        }
        throw error;
      } finally {
        for (const c of consumed) {
          const units = c.CapacityUnits ?? 0;
          tally.units += units;
          inPhase[kind] += units;
          const split: [string, number][] = [
            ['table', c.Table?.CapacityUnits ?? 0],
            ...Object.entries({ ...c.GlobalSecondaryIndexes, ...c.LocalSecondaryIndexes }).map(([index, used]): [string, number] => [
              index,
              used.CapacityUnits ?? 0,
            ]),
          ];
          for (const [target, used] of split) {
            add(byTarget, `${kind} ${target}`, used);
            add(tally.targets, target, used);
          }
        }
      }
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
    totals: () => {
      const all = Object.entries(byOperation);
      const sum = (kind: string) => all.filter(([label]) => label.startsWith(`${kind} `)).reduce((total, [, t]) => total + t.units, 0);
      return {
        read: sum('read'),
        write: sum('write'),
        calls: all.reduce((total, [, t]) => total + t.calls, 0),
        estimatedCalls: all.reduce((total, [, t]) => total + t.estimatedCalls, 0),
        callsWithoutCapacity,
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
