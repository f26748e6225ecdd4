/**
 * Section `cost`: what a district-quarter costs in DynamoDB capacity. One quarter is walked end to
 * end through the local app (bench/support/quarter-walk.ts) on DynamoDB Local, every command
 * metered with ReturnConsumedCapacity (bench/support/consumed-capacity.ts). Printed per team per
 * quarter beside the minimum the data requires: every item left in the table at the end written
 * once (1 WCU per started KB of the item) and read once (eventually consistent, in bulk: 0.5 RCU per
 * 4 KB of all items together). Ratio = measured ÷ minimum (lower is better; the target is ≤ 1.5×).
 * The on-demand price per 1,000 teams per quarter uses the list prices below.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDb, type Db } from '#shared/data/db.ts';
import { tableDesign } from '#shared/data/table-design.ts';
import { type CapacityTally, itemSize, meterCapacity } from './support/consumed-capacity.ts';
import { startBenchDb } from './support/dynamo.ts';
import { type QuarterOptions, walkQuarter } from './support/quarter-walk.ts';
import type { Figure, SectionResult } from './support/report.ts';
import { createBenchStack } from './support/stack.ts';
import { ratio } from './support/stats.ts';

export type CostModelOptions = QuarterOptions;

/**
 * On-demand list prices, US$ per million request units, DynamoDB Standard table class, us-east-1,
 * from https://aws.amazon.com/dynamodb/pricing/on-demand/ as they stand since the on-demand price
 * reduction of 1 November 2024 (the docs search finds the page but its excerpt stops before the
 * figures; check them there before quoting). The China (Beijing) page,
 * https://www.amazonaws.cn/en/dynamodb/pricing/, was found only in part (writes ¥ 11.1538 per
 * million; the read price cut off, and the figure may predate a reduction), so only US$ is printed.
 */
const USD_PER_MILLION = { write: 0.625, read: 0.125 };
export const COST_TARGET_RATIO = 1.5;

interface TableMinimum {
  items: number;
  bytes: number;
  /** each item written once, to the table only */
  writeUnits: number;
  /** the same, plus one write per index the item is projected into (every index projects ALL) */
  writeUnitsWithIndexes: number;
  /** every item read once, in bulk, eventually consistent */
  readUnits: number;
  /** every item read once by itself (GetItem), eventually consistent */
  readUnitsPerItem: number;
  byEntity: Record<string, { items: number; bytes: number }>;
}

async function tableMinimum(quiet: Db): Promise<TableMinimum> {
  const minimum: TableMinimum = { items: 0, bytes: 0, writeUnits: 0, writeUnitsWithIndexes: 0, readUnits: 0, readUnitsPerItem: 0, byEntity: {} };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await quiet.doc.send(new ScanCommand({ TableName: quiet.tableName, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const size = itemSize(item);
      const writes = Math.max(1, Math.ceil(size / 1024));
      minimum.items++;
      minimum.bytes += size;
      minimum.writeUnits += writes;
      minimum.writeUnitsWithIndexes += writes * (1 + tableDesign.globalSecondaryIndexes.filter((index) => item[index.partitionKey] !== undefined).length);
      minimum.readUnitsPerItem += 0.5 * Math.max(1, Math.ceil(size / 4096));
      const entity = typeof item.entity === 'string' ? item.entity : String(item.sk ?? '?').split('#')[0]!;
      const e = minimum.byEntity[entity] ?? { items: 0, bytes: 0 };
      minimum.byEntity[entity] = { items: e.items + 1, bytes: e.bytes + size };
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  minimum.readUnits = 0.5 * Math.ceil(minimum.bytes / 4096);
  return minimum;
}

const usdPerThousandTeams = (read: number, write: number) => (1000 * (read * USD_PER_MILLION.read + write * USD_PER_MILLION.write)) / 1e6;

const top = (operations: Record<string, CapacityTally>, n: number) =>
  Object.entries(operations)
    .sort((a, b) => b[1].units - a[1].units)
    .slice(0, n);

export async function runCostModel(options: CostModelOptions): Promise<SectionResult> {
  const bench = await startBenchDb('gatekeeper-cost');
  // bench bookkeeping (waiting for the run, the final scan) goes through a client the meter does not see
  const quiet = createDb({ tableName: 'gatekeeper-cost', endpoint: bench.endpoint, region: 'local' });
  try {
    return await measureQuarter(bench.db, quiet, options);
  } finally {
    quiet.doc.destroy();
    bench.stop();
  }
}

/** The section on an empty table: `db` is metered, `quiet` (the same table) is not. */
export async function measureQuarter(db: Db, quiet: Db, options: CostModelOptions): Promise<SectionResult> {
  const started = performance.now();
  let clock = new Date();
  // without `settings` the settlement job runs on this thread, through the metered client, instead of in a worker thread with a client of its own
  const stack = createBenchStack({ doc: db.doc, tableName: db.tableName }, () => clock);
  const meter = meterCapacity(db, quiet);
  const quarter = await walkQuarter(stack, quiet, (iso) => (clock = new Date(iso)), options, meter.setPhase);
  meter.remove();
  const totals = meter.totals();
  const minimum = await tableMinimum(quiet);
  const teams = quarter.teams;
  const perTeam = { read: totals.read / teams, write: totals.write / teams };
  const minPerTeam = { read: minimum.readUnits / teams, write: minimum.writeUnits / teams };
  const price = usdPerThousandTeams(perTeam.read, perTeam.write);
  const minPrice = usdPerThousandTeams(minPerTeam.read, minPerTeam.write);
  const readRatio = ratio(perTeam.read, minPerTeam.read);
  const writeRatio = ratio(perTeam.write, minPerTeam.write);
  const priceRatio = ratio(price, minPrice);
  const operations = meter.byOperation();
  const byPhase = meter.byPhase();
  const byTarget = meter.byTarget();
  const byItem = meter.byItem();
  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const topWrites = top(Object.fromEntries(Object.entries(operations).filter(([k]) => k.startsWith('write '))), 6);
  const topReads = top(Object.fromEntries(Object.entries(operations).filter(([k]) => k.startsWith('read '))), 6);
  const list = (entries: [string, CapacityTally][]) =>
    entries
      .map(([label, t]) => {
        const split = Object.entries(t.targets)
          .map(([target, units]) => `${target} ${fmt(units)}`)
          .join(' + ');
        return (
          `${label.replace(/^(read|write) /, '')}: ${fmt(t.units)} in ${t.calls} calls ` +
          `(${split}${t.formulaCalls ? `; ${t.formulaCalls} by the formula` : ''})`
        );
      })
      .join('; ');
  const figures: Figure[] = [
    {
      measure: 'write units per team-quarter',
      value: perTeam.write,
      unit: 'WCU',
      baseline: minPerTeam.write,
      ratio: writeRatio,
      target: `≤ ${COST_TARGET_RATIO}× minimum`,
      met: writeRatio <= COST_TARGET_RATIO,
      note:
        `minimum: each item in the table written once (${fmt(minimum.writeUnits)} WCU for ${minimum.items} items); ` +
        `with a copy per index it projects into: ${fmt(minimum.writeUnitsWithIndexes / teams)} ` +
        `per team (${fmt(perTeam.write / (minimum.writeUnitsWithIndexes / teams))}×). ` +
        `Top writes: ${list(topWrites)}`,
    },
    {
      measure: 'read units per team-quarter',
      value: perTeam.read,
      unit: 'RCU',
      baseline: minPerTeam.read,
      ratio: readRatio,
      target: `≤ ${COST_TARGET_RATIO}× minimum`,
      met: readRatio <= COST_TARGET_RATIO,
      note:
        `minimum: all ${fmt(minimum.bytes / 1024)} KB read once in bulk, eventually consistent ` +
        `(each item by itself: ${fmt(minimum.readUnitsPerItem / teams)} per team). Top reads: ${list(topReads)}`,
    },
    {
      measure: 'on-demand price per 1,000 teams per quarter (us-east-1)',
      value: price,
      unit: 'US$',
      baseline: minPrice,
      ratio: priceRatio,
      target: `≤ ${COST_TARGET_RATIO}× minimum`,
      met: priceRatio <= COST_TARGET_RATIO,
      note: `US$ ${USD_PER_MILLION.write} per million WRU, ${USD_PER_MILLION.read} per million RRU; cn-north-1 not printed (its read price was not found)`,
    },
  ];
  // where the writes above the minimum go: index copies, the second write of each transaction item, the rest rewrites
  const indexWrites = Object.entries(byTarget)
    .filter(([target]) => target.startsWith('write ') && target !== 'write table')
    .reduce((sum, [, units]) => sum + units, 0);
  const transactionSecondWrites =
    Object.entries(operations)
      .filter(([label]) => label.startsWith('write TransactWriteItems'))
      .reduce((sum, [, t]) => sum + (t.targets.table ?? 0), 0) / 2;
  const rewrites = totals.write - minimum.writeUnits - indexWrites - transactionSecondWrites;
  const share = (units: number) => `${Math.round((100 * units) / totals.write)} %`;
  const decomposition =
    `Of the ${fmt(totals.write)} WCU: ${share(minimum.writeUnits)} the minimum, ${share(indexWrites)} ` +
    `index copies (every index projects ALL, so a counter update rewrites them), ` +
    `${share(transactionSecondWrites)} the second write of each transaction item, ${share(rewrites)} ` +
    `items written more than once or checked (counters, aggregates, period records, condition checks).`;
  const phases = Object.entries(byPhase)
    .map(([phase, u]) => `${phase} ${fmt(u.read)} R / ${fmt(u.write)} W`)
    .join(', ');
  const items = top(byItem, 12)
    .map(([item, t]) => {
      const split = Object.entries(t.targets)
        .map(([target, units]) => `${target === 'transaction' ? '2nd' : target} ${fmt(units)}`)
        .join(' + ');
      return `${item} ${fmt(t.units)} (${t.calls}×: ${split})`;
    })
    .join('; ');
  const targets = Object.entries(byTarget)
    .map(([target, units]) => `${target} ${fmt(units)}`)
    .join(', ');
  return {
    section: 'cost',
    status: 'ok',
    durationMs: performance.now() - started,
    note:
      `one quarter of ${teams} teams, ${quarter.contracts} contracts, ${quarter.surveysAccepted} survey answers, ` +
      `${quarter.uploads} metric uploads, one run, one settlement; ` +
      `${totals.calls} DynamoDB calls, ${totals.callsWithoutCapacity} answered without ConsumedCapacity; ` +
      `${totals.formulaCalls} writes counted by the documented formula ` +
      `(transactions and batch writes, whose answer from DynamoDB Local is not the bill: ` +
      `it said ${fmt(totals.localUnitsReplaced)} WCU for them; refused writes). ` +
      `${decomposition} Per phase: ${phases}. Per table/index: ${targets}. ` +
      `Writes per item (table, 2nd = the second write of a transaction item, index copies): ${items}.`,
    figures,
    details: {
      options,
      quarter,
      totals,
      minimum,
      operations,
      byPhase,
      byTarget,
      byItem,
      decomposition: { indexWrites, transactionSecondWrites, rewrites },
      prices: USD_PER_MILLION,
    },
  };
}
