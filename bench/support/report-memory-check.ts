/**
 * A memory check of the report writers (a development script, not part of any function):
 *
 *   node --expose-gc --import tsx shared/services/reports/memory-check.ts [--source=memory|dynamodb] [teams…]
 *   (default: memory, 25000 50000)
 *
 * For each size it takes a synthetic settlement (./synthetic-settlement.ts: N teams with 4 members
 * each, 10 teams per institution), writes the workbook and the team and member CSVs into a
 * byte-counting sink with the real report code (exceljs's streaming writer, csv-stringify), and
 * samples the live heap (after a forced collection) every 2,000 rows. Before them, a plain dump
 * of the same team and member lines from the same source is the rows/s baseline. The lines come
 *
 * - `--source=memory` (default): generated page by page in this process through the same Db
 *   interface the report reads DynamoDB with, so the figures are the report code and writers
 *   without DynamoDB's reads (and seeding 50,000 teams, minutes on DynamoDB Local, is not needed);
 * - `--source=dynamodb`: stored first in a fresh in-memory DynamoDB Local (or DYNAMODB_ENDPOINT)
 *   and read back from it, as deployed (reads included; slow to seed at the larger sizes).
 *
 * Streaming page by page means the peak above the baseline stays about flat when N doubles; the
 * script prints rows/second, bytes and peak live heap per size, and exits 1 when the largest
 * size's peak exceeds the smallest's by more than half (and 8 MB). Nothing here asserts timing.
 */
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '#shared/data/create-table.ts';
import { createDb, type Db } from '#shared/data/db.ts';
import { allLines, type Settlement } from '#shared/data/settlements.ts';
import type { SettlementLine } from '#shared/domain/settlements/compute.ts';
import { writeSettlementCsv, writeSettlementXlsx } from '#shared/services/reports/index.ts';
import { seedSyntheticSettlement, syntheticSettlementDb } from './synthetic-settlement.ts';

/** A destination that counts bytes and drops them, applying back-pressure like a slow-ish client would not. */
function countingSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

type Work = (options: { onProgress: () => void; every: number }) => Promise<{ rows: number }>;

/**
 * Runs one report, sampling the live heap: with --expose-gc a collection runs before each sample
 * (every 2,000 rows), so the figure is what the writer holds, not garbage awaiting collection.
 */
async function measure(label: string, work: Work, sinkBytes: () => number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = () => {
    gc?.();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const started = performance.now();
  const { rows } = await work({ onProgress: sample, every: 2000 });
  const seconds = (performance.now() - started) / 1000;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(
    `${label.padEnd(20)} ${String(rows).padStart(8)} rows  ${Math.round(rows / seconds)
      .toString()
      .padStart(7)} rows/s  ${mb(sinkBytes()).padStart(6)} MB out  peak live heap +${mb(peak - base)} MB`,
  );
  return peak - base;
}

/**
 * The baseline for rows/s: the same team and member lines, read page by page from the same
 * source, each written as its values joined by commas: no header, quoting, ranks, names,
 * formats or workbook, so the ratio is what the report adds to merely reading the lines.
 */
async function plainDump(db: Db, settlement: Settlement, sink: Writable): Promise<{ rows: number }> {
  let rows = 0;
  for (const kind of ['team', 'member'] as const) {
    for await (const line of allLines<SettlementLine>(db, settlement.computationId, kind)) {
      sink.write(`${Object.values(line).join(',')}\r\n`);
      rows += 1;
    }
  }
  return { rows };
}

/** Where each size's settlement comes from: a Db to read it with, and a way to let go of it. */
interface Source {
  settlement(teams: number): Promise<{ db: Db; settlement: Settlement }>;
  close(): void;
}

async function dynamoSource(): Promise<Source> {
  const { startDynamoDbLocal } = await import('../../local/dynamodb-local.ts');
  const local = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const tableName = `memory-check-${Date.now()}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(client, tableName);
  client.destroy();
  const db = createDb({ tableName, endpoint, region: 'local' });
  return {
    settlement: async (teams) => ({ db, settlement: await seedSyntheticSettlement(db, { teams }) }),
    close: () => {
      db.doc.destroy();
      local?.stop();
    },
  };
}

const memorySource: Source = { settlement: async (teams) => syntheticSettlementDb({ teams }), close: () => {} };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const source = args.find((a) => a.startsWith('--source='))?.slice('--source='.length) ?? 'memory';
  if (source !== 'memory' && source !== 'dynamodb') throw new Error(`--source=memory|dynamodb, got ${source}`);
  const sizes = args.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
  if (sizes.length === 0) sizes.push(25_000, 50_000);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc: without it the samples include garbage not yet collected)');
  await import('exceljs/lib/stream/xlsx/workbook-writer.js'); // loaded once up front, so the first size does not count the module
  console.log(source === 'memory' ? 'lines generated page by page in this process (no DynamoDB reads)' : 'lines stored in and read from DynamoDB Local');
  const lines = source === 'memory' ? memorySource : await dynamoSource();
  const peaks: number[] = [];
  try {
    for (const teams of sizes) {
      const started = performance.now();
      const { db, settlement } = await lines.settlement(teams);
      const count = settlement.lineCounts.team + settlement.lineCounts.member + settlement.lineCounts.institution;
      console.log(
        `\n${teams} teams: ${count} lines ${source === 'memory' ? 'to generate' : 'stored'} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      let sink = countingSink();
      await measure(
        'plain dump (baseline)',
        () => plainDump(db, settlement, sink),
        () => sink.bytes,
      );
      sink = countingSink();
      const xlsx = await measure(
        'xlsx (zh)',
        (o) => writeSettlementXlsx(db, settlement.settlementId, 'zh', sink, o),
        () => sink.bytes,
      );
      sink = countingSink();
      const teamsCsv = await measure(
        'csv teams (zh)',
        (o) => writeSettlementCsv(db, settlement.settlementId, 'teams', 'zh', sink, o),
        () => sink.bytes,
      );
      sink = countingSink();
      const membersCsv = await measure(
        'csv members (zh)',
        (o) => writeSettlementCsv(db, settlement.settlementId, 'members', 'zh', sink, o),
        () => sink.bytes,
      );
      peaks.push(Math.max(xlsx, teamsCsv, membersCsv));
    }
  } finally {
    lines.close();
  }
  const first = peaks[0]!;
  const last = peaks[peaks.length - 1]!;
  const flat = last <= Math.max(first * 1.5, first + 8 * 1024 * 1024);
  console.log(
    `\npeak live heap ${sizes[0]} → ${sizes[sizes.length - 1]} teams: ` +
      `${(first / 1048576).toFixed(1)} → ${(last / 1048576).toFixed(1)} MB: ${flat ? 'flat (PASS)' : 'grows (FAIL)'}`,
  );
  process.exitCode = flat ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
