/**
 * A memory check of the report writers (a development script, not part of any function):
 *
 *   npx tsx --expose-gc shared/services/reports/memory-check.ts [teams…]     (default 5000 10000)
 *
 * For each size it stores a synthetic settlement (N teams with 4 members each, 10 teams per
 * institution) in a fresh in-memory DynamoDB Local (or DYNAMODB_ENDPOINT), writes the workbook and
 * the team and member CSVs into a byte-counting sink, and samples the live heap (after a forced
 * collection) every 2,000 rows. Streaming page by page means the peak above the baseline stays
 * about flat when N doubles; the script prints rows/second, bytes and peak live heap per size, and
 * exits 1 when the largest size's peak exceeds the smallest's by more than half (and 8 MB).
 * Nothing here asserts timing.
 *
 * `seedSyntheticSettlement` is exported for benchmarks that need a settlement of a given size.
 */
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../data/create-table.ts';
import { createDb, type Db } from '../../data/db.ts';
import { insertSettlement, type Settlement, writeLines } from '../../data/settlements.ts';
import type { InstitutionLine, MemberLine, SettlementLine, TeamLine } from '../settlements-compute.ts';
import { writeSettlementCsv, writeSettlementXlsx } from './index.ts';

export interface SyntheticSize {
  teams: number;
  membersPerTeam?: number;
  teamsPerInstitution?: number;
}

/** Stores a draft settlement with `teams` team lines whose lines add up like a real one; returns its header. */
export async function seedSyntheticSettlement(db: Db, size: SyntheticSize, settlementId = `stl-synthetic-${size.teams}`): Promise<Settlement> {
  const membersPerTeam = size.membersPerTeam ?? 4;
  const perInstitution = size.teamsPerInstitution ?? 10;
  const computationId = `cmp-${settlementId}`;
  const totals = { paid: 0, members: 0, subsidy: 0, contracts: 0, days: 0 };
  const institutions = Math.ceil(size.teams / perInstitution);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  let batch: SettlementLine[] = [];
  const flush = async (force = false) => {
    if (batch.length >= 2000 || (force && batch.length > 0)) {
      await writeLines(db, settlementId, computationId, batch);
      batch = [];
    }
  };
  for (let i = 0; i < institutions; i++) {
    const institutionId = `inst-${pad(i, 6)}`;
    const line: InstitutionLine = {
      kind: 'institution',
      institutionId,
      name: `合成社区卫生服务中心 ${i + 1}`,
      ownership: i % 10 === 9 ? 'social' : 'government',
      teams: 0,
      incentiveFen: 0,
      subsidisedContracts: 0,
      contractDays: 0,
      uninsuredContracts: 0,
      exactSubsidyFen: '0',
      subsidyFen: 0,
      feeStatement: null,
    };
    for (let t = 0; t < perInstitution && i * perInstitution + t < size.teams; t++) {
      const n = i * perInstitution + t;
      const teamId = `team-${pad(n, 7)}`;
      const amount = 100_000 + ((n * 7919) % 250_000);
      const subsidy = 30_000 + ((n * 104_729) % 9_000);
      const contracts = 400 + (n % 1600);
      const memberAmounts = Array.from({ length: membersPerTeam }, () => Math.floor(amount / membersPerTeam));
      memberAmounts[0]! += amount - memberAmounts.reduce((a, b) => a + b, 0);
      const score = (50 + ((n * 37) % 5000) / 100).toFixed(2);
      const team: TeamLine = {
        kind: 'team',
        institutionId,
        teamId,
        teamName: `合成团队 ${n + 1}`,
        scored: true,
        score,
        eligibility: 'eligible',
        capPercent: 100,
        gates: [],
        activeContracts: contracts,
        weightedResidents: String(contracts),
        amount,
        explanation: null,
        text: {
          en: `Team ${n + 1}: score ${score} × ${contracts} active contracts = a share of the pool; paid ¥${(amount / 100).toFixed(2)}.`,
          zh: `合成团队 ${n + 1}：得分 ${score} × 有效签约数 ${contracts} = 奖励池的一部分；实发 ${(amount / 100).toFixed(2)} 元。`,
        },
        membersFen: amount,
        memberUnallocatedFen: 0,
        subsidyFen: subsidy,
        subsidisedContracts: contracts,
        contractDays: contracts * 92,
      };
      batch.push(team);
      memberAmounts.forEach((memberAmount, m) => {
        const member: MemberLine = {
          kind: 'member',
          institutionId,
          teamId,
          memberId: `${teamId}-m${m}`,
          name: ['王医生', '李护士', '张药师', '赵健康管理师'][m % 4]!,
          amount: memberAmount,
          daysPresent: 92,
          weight: '1',
          stints: [{ role: ['general-practitioner', 'community-nurse', 'pharmacist', 'health-manager'][m % 4]!, joinedOn: '2025-01-01', leftOn: null, daysPresent: 92, share: '10', shareSource: 'role' }],
        };
        batch.push(member);
      });
      line.teams += 1;
      line.incentiveFen += amount;
      line.subsidyFen += subsidy;
      line.subsidisedContracts += contracts;
      line.contractDays += contracts * 92;
      totals.paid += amount;
      totals.members += amount;
      totals.subsidy += subsidy;
      totals.contracts += contracts;
      totals.days += contracts * 92;
    }
    line.exactSubsidyFen = String(line.subsidyFen);
    batch.push(line);
    await flush();
  }
  await flush(true);
  const at = '2026-10-10T00:00:00.000Z';
  const settlement: Settlement = {
    settlementId,
    districtId: 'synthetic',
    period: '2026Q3',
    evaluationId: 'eval-synthetic',
    status: 'draft',
    parameters: {
      evaluationId: 'eval-synthetic',
      period: '2026Q3',
      poolFen: totals.paid,
      method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
      roleShares: { 'general-practitioner': '40', 'community-nurse': '30', other: '10' },
      residentWeights: { keyPopulation: '2', byPopulation: {} },
      subsidyPerResidentYearFen: 12_000,
    },
    totals: {
      poolFen: totals.paid,
      paidFen: totals.paid,
      unallocatedFen: 0,
      scaledDown: false,
      membersFen: totals.members,
      memberUnallocatedFen: 0,
      subsidyFen: totals.subsidy,
      subsidisedContracts: totals.contracts,
      contractDays: totals.days,
      uninsuredContracts: 0,
      yearDays: 365,
      teams: size.teams,
      scoredTeams: size.teams,
      paidTeams: size.teams,
      members: size.teams * membersPerTeam,
      institutions,
    },
    histogram: { binWidthFen: 1, counts: [], zeroCount: 0, maxFen: 0 },
    fingerprint: 'f'.repeat(64),
    computationId,
    lineCounts: { team: size.teams, member: size.teams * membersPerTeam, institution: institutions },
    revision: 1,
    correctionOf: null,
    note: null,
    createdBy: 'memory-check',
    createdAt: at,
    computedBy: 'memory-check',
    computedAt: at,
  };
  await insertSettlement(db, settlement, {
    settlementId,
    revision: 1,
    action: 'create',
    by: 'memory-check',
    at,
    status: 'draft',
    computationId,
    fingerprint: settlement.fingerprint,
  });
  return settlement;
}

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

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
  if (sizes.length === 0) sizes.push(5_000, 10_000);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc: without it the samples include garbage not yet collected)');
  await import('exceljs/lib/stream/xlsx/workbook-writer.js'); // loaded once up front, so the first size does not count the module
  const { startDynamoDbLocal } = await import('../../../local/dynamodb-local.ts');
  const local = process.env.DYNAMODB_ENDPOINT ? null : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? local!.endpoint;
  const tableName = `memory-check-${Date.now()}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(client, tableName);
  client.destroy();
  const db = createDb({ tableName, endpoint, region: 'local' });
  const peaks: number[] = [];
  try {
    for (const teams of sizes) {
      const started = performance.now();
      const settlement = await seedSyntheticSettlement(db, { teams });
      const lines = settlement.lineCounts.team + settlement.lineCounts.member + settlement.lineCounts.institution;
      console.log(`\n${teams} teams: ${lines} lines stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      let sink = countingSink();
      const xlsx = await measure('xlsx (zh)', (o) => writeSettlementXlsx(db, settlement.settlementId, 'zh', sink, o), () => sink.bytes);
      sink = countingSink();
      const teamsCsv = await measure('csv teams (zh)', (o) => writeSettlementCsv(db, settlement.settlementId, 'teams', 'zh', sink, o), () => sink.bytes);
      sink = countingSink();
      const membersCsv = await measure('csv members (zh)', (o) => writeSettlementCsv(db, settlement.settlementId, 'members', 'zh', sink, o), () => sink.bytes);
      peaks.push(Math.max(xlsx, teamsCsv, membersCsv));
    }
  } finally {
    db.doc.destroy();
    local?.stop();
  }
  const first = peaks[0]!;
  const last = peaks[peaks.length - 1]!;
  const flat = last <= Math.max(first * 1.5, first + 8 * 1024 * 1024);
  console.log(`\npeak live heap ${sizes[0]} → ${sizes[sizes.length - 1]} teams: ${(first / 1048576).toFixed(1)} → ${(last / 1048576).toFixed(1)} MB: ${flat ? 'flat (PASS)' : 'grows (FAIL)'}`);
  process.exitCode = flat ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
