/**
 * The export benchmark's in-memory settlement (shared/services/reports/synthetic-settlement.ts):
 * the report code pages through it as through DynamoDB, across page boundaries, every line once
 * and in key order, and its lines add up to its header (the report checks that itself).
 */
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { allLines } from '#shared/data/settlements.ts';
import { writeSettlementCsv } from '#shared/services/reports/index.ts';
import { syntheticSettlementDb } from '../../../bench/support/synthetic-settlement.ts';
import type { MemberLine } from '#shared/domain/settlements/compute.ts';

async function csvOf(write: (out: PassThrough) => Promise<unknown>): Promise<string[][]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  const records = parse(Buffer.concat(chunks).subarray(3).toString('utf8'), { relax_column_count: true }) as string[][];
  // the synthetic settlement is a draft: its CSVs start with the DRAFT line (#17), then the header
  expect(records[0]![0]).toBe('DRAFT');
  return records.slice(1);
}

describe('the synthetic settlement served from memory', () => {
  // 301 teams: 1,204 member lines, more than one 1,000-line page
  const { db, settlement } = syntheticSettlementDb({ teams: 301 });

  it('pages every member line once, in key order, across page boundaries', async () => {
    const ids: string[] = [];
    for await (const line of allLines<MemberLine>(db, settlement.computationId, 'member')) ids.push(line.memberId);
    expect(ids).toHaveLength(settlement.lineCounts.member);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('is written by the report code with its lines adding up to the header', async () => {
    const members = await csvOf((out) => writeSettlementCsv(db, settlement.settlementId, 'members', 'en', out));
    expect(members).toHaveLength(1 + settlement.lineCounts.member);
    const teams = await csvOf((out) => writeSettlementCsv(db, settlement.settlementId, 'teams', 'en', out));
    expect(teams).toHaveLength(1 + settlement.lineCounts.team);
    const institutions = await csvOf((out) => writeSettlementCsv(db, settlement.settlementId, 'institutions', 'en', out));
    expect(institutions).toHaveLength(1 + settlement.lineCounts.institution);
  });

  it('refuses what it does not serve', async () => {
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    await expect(db.doc.send(new ScanCommand({ TableName: 't' }))).rejects.toThrow(/does not serve/);
  });
});
